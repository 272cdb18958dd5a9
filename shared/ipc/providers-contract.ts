/**
 * The provider channels of the IPC contract (merged into `contract`): the catalog and each configured provider of a
 * location, saving one (secrets go into the host's encrypted store and never come back out), removing one, "Test
 * connection", "Send a test message", the problems of team channels that cannot work, and a month's spend per channel.
 */
import { z } from 'zod';
import { CHANNELS } from '../notifications/catalog.ts';
import { PROVIDER_KINDS } from '../providers/catalog.ts';
import { id } from './schemas/common.ts';

const params = z.record(z.string().max(60), z.union([z.string().max(1000), z.number()])).optional();
const reason = { reason: z.string().optional(), reasonCode: z.string().optional(), reasonParams: params };
const channel = z.enum(CHANNELS);
const kind = z.enum(PROVIDER_KINDS);
const settingValue = z.union([z.string().max(4000), z.number(), z.boolean()]);
const which = { locationId: id, channel, kind };

const fieldSpec = z.object({
  key: z.string(), kind: z.string(), required: z.boolean().optional(), default: settingValue.optional(), options: z.array(z.string()).optional(),
  pattern: z.string().optional(), min: z.number().optional(), max: z.number().optional(), maxLength: z.number().optional(), advanced: z.boolean().optional(), template: z.boolean().optional(),
});

export const providerSpecSchema = z.object({
  kind, channels: z.array(channel), order: z.number(), reports: z.boolean(), replies: z.boolean(), exclusiveGroup: z.string().optional(),
  fields: z.array(fieldSpec), secrets: z.array(z.object({ key: z.string(), kind: z.string(), required: z.boolean(), maxLength: z.number() })),
});

export const providerViewSchema = z.object({
  id: z.string(),
  locationId: z.string(),
  channel,
  kind,
  enabled: z.boolean(),
  settings: z.record(z.string(), settingValue),
  /** Per secret: saved and readable on this desk, never saved, or unreadable here ("enter it again"). */
  secrets: z.record(z.string(), z.enum(['set', 'missing', 'damaged'])),
  ready: z.boolean(),
  problem: z.object(reason).optional(),
  updatedAt: z.string(),
  updatedBy: z.string().optional(),
});
export type ProviderView = z.infer<typeof providerViewSchema>;

const testAnswer = z.object({ ok: z.boolean(), detail: z.string().optional(), ...reason, facts: z.record(z.string(), z.string()).optional() });

export const teamChannelProblemSchema = z.object({ type: z.string(), channel, staffId: z.string().optional(), code: z.string(), message: z.string(), params });

export const providersContract = {
  'providers.list': {
    request: z.object({ locationId: id }).strict(),
    response: z.object({ catalog: z.array(providerSpecSchema), providers: z.array(providerViewSchema) }),
  },
  'providers.save': {
    request: z
      .object({
        ...which,
        enabled: z.boolean(),
        settings: z.record(z.string().max(60), settingValue).refine((s) => Object.keys(s).length <= 40, 'too many settings'),
        /** New secret values; '' forgets one. Absent keys keep what is saved. */
        secrets: z.record(z.string().max(60), z.string().max(10_000)).optional(),
      })
      .strict(),
    response: z.object({ provider: providerViewSchema }),
  },
  'providers.remove': { request: z.object(which).strict(), response: z.object({ removed: z.boolean() }) },
  'providers.test': { request: z.object(which).strict(), response: testAnswer },
  'providers.sendTest': {
    request: z.object({ ...which, to: z.string().trim().min(1).max(4000) }).strict(),
    response: z.object({ status: z.string(), detail: z.string().optional(), route: z.string().optional(), ...reason }),
  },
  'providers.teamProblems': {
    request: z.object({ locationId: id }).strict(),
    response: z.object({ problems: z.array(teamChannelProblemSchema) }),
  },
  /**
   * The Telegram deep link that links a client's chat: `t.me/<bot>?start=<code>`, a new one-time code each time (the
   * client opens it, the bot receives "/start <code>", and the desk links the chat). No url while the bot's name is
   * unknown (run Test connection of the Telegram provider first).
   */
  'providers.telegramLink': {
    request: z.object({ clientId: id }).strict(),
    response: z.object({ code: z.string(), url: z.string().optional(), linked: z.boolean(), ...reason }),
  },
  'log.spend': {
    request: z.object({ locationId: id, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM') }).strict(),
    response: z.object({
      channels: z.array(z.object({ channel, currency: z.string(), micros: z.number(), messages: z.number().int(), segments: z.number().int(), estimated: z.boolean() })),
    }),
  },
} as const;
