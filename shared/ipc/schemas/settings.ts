/**
 * The notification settings document of one type as a request carries it: every field bounded, so a save or a
 * validation of the largest legal document stays small (six channels × two languages × a 20,000-character body),
 * and anything bigger is refused by the schema before any work is done.
 */
import { z } from 'zod';
import { AUDIENCES, NOTIFICATION_TYPES } from '../../domain/notification-settings.ts';
import { CHANNELS, LANGUAGES, SCENARIOS } from '../../notifications/catalog.ts';
import type { Channel, Language } from '../../notifications/catalog.ts';
import { hhmm, id, isoUtc } from './common.ts';

export const TEMPLATE_LIMITS = { subject: 500, title: 200, body: 20_000 } as const;

export const templateInput = z
  .object({
    subject: z.string().max(TEMPLATE_LIMITS.subject).optional(),
    title: z.string().max(TEMPLATE_LIMITS.title).optional(),
    body: z.string().max(TEMPLATE_LIMITS.body),
  })
  .strict();

const byLanguage = z.object(Object.fromEntries(LANGUAGES.map((l) => [l, templateInput.optional()])) as Record<Language, z.ZodOptional<typeof templateInput>>).strict();

/** Any scenario per channel: which channel allows which is a domain rule, reported as an issue naming the field. */
const channelSetting = z.object({ scenario: z.enum(SCENARIOS), verdictWindowMinutes: z.number().int().min(0).max(10_080) }).strict();

function perChannel<T extends z.ZodType>(value: T) {
  return z.object(Object.fromEntries(CHANNELS.map((c) => [c, value.optional()])) as Record<Channel, z.ZodOptional<T>>).strict();
}

const timing = z
  .object({
    reminderOffsetsMinutes: z.array(z.number().int().min(1).max(43_200)).max(5).optional(),
    delayMinutes: z.number().int().min(0).max(525_600).optional(),
    daysBefore: z.number().int().min(0).max(365).optional(),
    localTime: hhmm.optional(),
  })
  .strict();

const settingsFields = {
  locationId: id,
  type: z.enum(NOTIFICATION_TYPES),
  enabled: z.boolean(),
  timing,
  channels: perChannel(channelSetting),
  templates: perChannel(byLanguage),
  respectQuietHours: z.boolean(),
};

/**
 * As the settings screen sends it: the document it was given by settings.list, edited. `id` and `audience` follow
 * from location and type (the host checks they agree); `updatedAt`, when given, is the version the manager edited —
 * a save over a newer one is refused with `conflict`.
 */
export const notificationSettingsInput = z
  .object({
    ...settingsFields,
    id: z.string().max(200).optional(),
    audience: z.enum(AUDIENCES).optional(),
    updatedAt: isoUtc.optional(),
    /** The desk that saves (sync: the newest edit wins, and the screen says whose it is). */
    updatedBy: z.string().min(1).max(120).optional(),
  })
  .strict();

/** The stored document, as settings.save answers it. */
export const notificationSettingsDocument = z
  .object({ ...settingsFields, id: z.string(), audience: z.enum(AUDIENCES), updatedAt: z.string(), updatedBy: z.string().optional() })
  .strict();

export const settingsIssue = z.object({
  code: z.string().optional(),
  field: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
