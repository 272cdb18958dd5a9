import { CHANNELS, CLIENT_NOTIFICATION_TYPES, LANGUAGES, SCENARIOS_BY_CHANNEL, TEAM_EVENT_TYPES } from '../notifications/catalog.ts';
import type { Channel, ClientNotificationType, Language, Scenario, TeamEventType } from '../notifications/catalog.ts';
import { hhmmField, idField, isoUtcField, longTextField } from './schema-parts.ts';

export const NOTIFICATION_TYPES = [...CLIENT_NOTIFICATION_TYPES, ...TEAM_EVENT_TYPES] as const;
export type NotificationType = ClientNotificationType | TeamEventType;

export const AUDIENCES = ['client', 'team'] as const;
export type Audience = (typeof AUDIENCES)[number];

export function audienceOf(type: NotificationType): Audience {
  return (CLIENT_NOTIFICATION_TYPES as readonly string[]).includes(type) ? 'client' : 'team';
}

/**
 * Which timing fields a type uses. Offsets/delays are elapsed time; `daysBefore` + `localTime` is wall-clock time in
 * the location's zone (DESIGN §4.4).
 */
export interface NotificationTiming {
  /** reminder: minutes before start, e.g. [1440, 120]. */
  reminderOffsetsMinutes?: number[];
  /** winBack, reviewRequest: minutes after the trigger. */
  delayMinutes?: number;
  /** birthdayGreeting, expiringDiscount: calendar days before the date… */
  daysBefore?: number;
  /** …at this local time "HH:MM". */
  localTime?: string;
}

export interface ChannelSetting {
  scenario: Scenario;
  /** How long the cascade waits for a delivery report before deciding (DESIGN §3). */
  verdictWindowMinutes: number;
}

export interface Template {
  /** Email only. */
  subject?: string;
  /** Push and desktop notifications. */
  title?: string;
  body: string;
}

export type TemplatesByLanguage = Partial<Record<Language, Template>>;

export interface NotificationSettings {
  /** `${locationId}:${type}` — one document per location and type, so two desks editing converge on one doc. */
  id: string;
  locationId: string;
  type: NotificationType;
  audience: Audience;
  enabled: boolean;
  timing: NotificationTiming;
  /** Client types use email/aggregatorPush/brandedPush/sms; team types email/adminPush/sms/desktop. */
  channels: Partial<Record<Channel, ChannelSetting>>;
  templates: Partial<Record<Channel, TemplatesByLanguage>>;
  /** Quiet hours move the message to the end of the quiet period; off for urgent types (change, cancellation). */
  respectQuietHours: boolean;
  updatedAt: string;
  /** The desk that saved it last (sync: the newest edit wins, and the settings screen says whose it is). */
  updatedBy?: string;
}

export function notificationSettingsId(locationId: string, type: NotificationType): string {
  return `${locationId}:${type}`;
}

const templateField = {
  type: 'object',
  additionalProperties: false,
  properties: {
    subject: { type: 'string', maxLength: 500 },
    title: { type: 'string', maxLength: 200 },
    body: longTextField,
  },
  required: ['body'],
} as const;

const templatesByLanguageField = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(LANGUAGES.map((l) => [l, templateField])) as Record<Language, typeof templateField>,
} as const;

function channelSettingField(channel: Channel) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      // The enum restricts each channel to the scenarios the spec allows, so `ifPreviousFailed` on email is refused.
      scenario: { type: 'string', enum: [...SCENARIOS_BY_CHANNEL[channel]], maxLength: 20 },
      verdictWindowMinutes: { type: 'integer', minimum: 0, maximum: 10_080 },
    },
    required: ['scenario', 'verdictWindowMinutes'],
  } as const;
}

export const notificationSettingsSchemaV0 = {
  title: 'notification_settings',
  description: 'Settings of one notification type at one location',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 200, minLength: 3 },
    locationId: idField,
    type: { type: 'string', enum: NOTIFICATION_TYPES, maxLength: 40 },
    audience: { type: 'string', enum: AUDIENCES, maxLength: 10 },
    enabled: { type: 'boolean' },
    timing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        reminderOffsetsMinutes: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 43_200 },
          maxItems: 5,
          uniqueItems: true,
        },
        delayMinutes: { type: 'integer', minimum: 0, maximum: 525_600 },
        daysBefore: { type: 'integer', minimum: 0, maximum: 365 },
        localTime: hhmmField,
      },
    },
    channels: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(CHANNELS.map((c) => [c, channelSettingField(c)])) as Record<
        Channel,
        ReturnType<typeof channelSettingField>
      >,
    },
    templates: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(CHANNELS.map((c) => [c, templatesByLanguageField])) as Record<
        Channel,
        typeof templatesByLanguageField
      >,
    },
    respectQuietHours: { type: 'boolean' },
    updatedAt: isoUtcField,
  },
  required: ['id', 'locationId', 'type', 'audience', 'enabled', 'timing', 'channels', 'templates', 'respectQuietHours', 'updatedAt'],
  indexes: ['locationId'],
} as const;

/** v1 adds `updatedBy` (optional): with sync, the newest edit wins and the screen says which desk made it. */
export const notificationSettingsSchemaV1 = {
  ...notificationSettingsSchemaV0,
  version: 1,
  properties: { ...notificationSettingsSchemaV0.properties, updatedBy: { type: 'string', maxLength: 120 } },
} as const;

export const notificationSettingsMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
