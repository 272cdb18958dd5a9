import { CLIENT_NOTIFICATION_TYPES, LANGUAGES } from '../notifications/catalog.ts';
import type { ClientChannel, ClientNotificationType, Language } from '../notifications/catalog.ts';
import { e164Field, emailField, idField, isoUtcField, textField } from './schema-parts.ts';

/** "YYYY-MM-DD", or "--MM-DD" (ISO 8601 without year) when the client did not tell the year. */
export const BIRTHDAY_PATTERN = '^(\\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

/** What the client can be reached through besides email and SMS (which depend on `email` / `phone`). */
export interface ClientApps {
  /** The platform's free client app is installed (aggregator push reaches them). */
  aggregator: boolean;
  /** Push tokens of the salon's branded app, one per device; none = not installed. */
  brandedPushTokens?: string[];
  /** Push tokens of the aggregator app, one per device. */
  aggregatorPushTokens?: string[];
}

/** The client's Telegram chat, linked when they open the salon bot's deep link with their start code. */
export interface ClientTelegram {
  /** Telegram chat id (a number as text: ids exceed 2^31). */
  chatId?: string;
  /** The one-time start code of the deep link `t.me/<bot>?start=<code>` given to the client. */
  linkCode?: string;
  linkedAt?: string;
}

/** Version 1 of the apps field, kept for the v1 → v2 migration. */
export interface ClientAppsV1 {
  aggregator: boolean;
  brandedPushToken?: string;
}

export interface Client {
  id: string;
  locationId: string;
  firstName: string;
  /** May be empty: walk-ins often give only a first name. */
  lastName: string;
  /** E.164. */
  phone?: string;
  email?: string;
  birthday?: string;
  language: Language;
  apps: ClientApps;
  telegram?: ClientTelegram;
  /** Notification types the client asked not to receive. */
  optOuts: ClientNotificationType[];
  /**
   * Channels the client asked not to be reached on (version 3 on): `all` = nothing on that channel ("no SMS"),
   * `marketing` = no promotional messages on it ("no marketing email"). The cascade skips such a channel with the reason.
   */
  channelOptOuts?: ChannelOptOuts;
  /** Consent to promotional messages (win-back, repeat-visit, birthday, discount). */
  marketingConsent: boolean;
  loyaltyPoints: number;
  notes?: string;
  createdAt: string;
}

/** Version 1 as shipped: one branded push token, no Telegram chat. */
export type ClientV1 = Omit<Client, 'apps' | 'telegram' | 'channelOptOuts'> & { apps: ClientAppsV1 };

export const CHANNEL_OPT_OUT_SCOPES = ['all', 'marketing'] as const;
export type ChannelOptOutScope = (typeof CHANNEL_OPT_OUT_SCOPES)[number];
export type ChannelOptOuts = Partial<Record<ClientChannel, ChannelOptOutScope>>;

/**
 * Version 0 as first shipped: one `name` field and flat app flags. Kept because databases created with it exist and
 * are migrated on open (see `clientMigrationStrategies`).
 */
export interface ClientV0 {
  id: string;
  locationId: string;
  name: string;
  phone?: string;
  email?: string;
  birthday?: string;
  language: Language;
  aggregatorAppInstalled: boolean;
  brandedPushToken?: string;
  optOuts: ClientNotificationType[];
  marketingConsent: boolean;
  loyaltyPoints: number;
  notes?: string;
  createdAt: string;
}

const optOutsField = {
  type: 'array',
  items: { type: 'string', enum: CLIENT_NOTIFICATION_TYPES, maxLength: 40 },
  uniqueItems: true,
} as const;

const clientNameField = { type: 'string', minLength: 1, maxLength: 120 } as const;

export const clientSchemaV0 = {
  title: 'clients',
  description: 'A salon client (version 0: single name field)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    name: clientNameField,
    phone: e164Field,
    email: emailField,
    birthday: { type: 'string', pattern: BIRTHDAY_PATTERN, maxLength: 10 },
    language: { type: 'string', enum: LANGUAGES, maxLength: 5 },
    aggregatorAppInstalled: { type: 'boolean' },
    brandedPushToken: { type: 'string', minLength: 1, maxLength: 512 },
    optOuts: optOutsField,
    marketingConsent: { type: 'boolean' },
    loyaltyPoints: { type: 'integer', minimum: 0 },
    notes: textField,
    createdAt: isoUtcField,
  },
  required: [
    'id',
    'locationId',
    'name',
    'language',
    'aggregatorAppInstalled',
    'optOuts',
    'marketingConsent',
    'loyaltyPoints',
    'createdAt',
  ],
  indexes: ['locationId'],
} as const;

export const clientSchemaV1 = {
  title: 'clients',
  description: 'A salon client',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    firstName: clientNameField,
    lastName: { type: 'string', maxLength: 120 },
    phone: e164Field,
    email: emailField,
    birthday: { type: 'string', pattern: BIRTHDAY_PATTERN, maxLength: 10 },
    language: { type: 'string', enum: LANGUAGES, maxLength: 5 },
    apps: {
      type: 'object',
      additionalProperties: false,
      properties: {
        aggregator: { type: 'boolean' },
        brandedPushToken: { type: 'string', minLength: 1, maxLength: 512 },
      },
      required: ['aggregator'],
    },
    optOuts: optOutsField,
    marketingConsent: { type: 'boolean' },
    loyaltyPoints: { type: 'integer', minimum: 0 },
    notes: textField,
    createdAt: isoUtcField,
  },
  required: [
    'id',
    'locationId',
    'firstName',
    'lastName',
    'language',
    'apps',
    'optOuts',
    'marketingConsent',
    'loyaltyPoints',
    'createdAt',
  ],
  indexes: [['locationId', 'lastName']],
} as const;

const pushTokensField = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 512 }, maxItems: 10, uniqueItems: true } as const;

/** Version 2: push tokens per device (branded and aggregator app) and the linked Telegram chat. */
export const clientSchemaV2 = {
  ...clientSchemaV1,
  version: 2,
  properties: {
    ...clientSchemaV1.properties,
    apps: {
      type: 'object',
      additionalProperties: false,
      properties: {
        aggregator: { type: 'boolean' },
        brandedPushTokens: pushTokensField,
        aggregatorPushTokens: pushTokensField,
      },
      required: ['aggregator'],
    },
    telegram: {
      type: 'object',
      additionalProperties: false,
      properties: {
        chatId: { type: 'string', pattern: '^-?\\d{1,20}$', maxLength: 21 },
        linkCode: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$', maxLength: 64 },
        linkedAt: isoUtcField,
      },
    },
  },
} as const;

const channelOptOutField = { type: 'string', enum: CHANNEL_OPT_OUT_SCOPES, maxLength: 10 } as const;

/** Version 3: per-channel opt-outs. Existing clients have none. */
export const clientSchemaV3 = {
  ...clientSchemaV2,
  version: 3,
  properties: {
    ...clientSchemaV2.properties,
    channelOptOuts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        email: channelOptOutField,
        aggregatorPush: channelOptOutField,
        brandedPush: channelOptOutField,
        sms: channelOptOutField,
      } satisfies Record<ClientChannel, typeof channelOptOutField>,
    },
  },
} as const;

/**
 * Splits a single display name the way a receptionist typed it: the last word is the surname, the rest the given
 * name(s). A one-word name becomes the first name with an empty surname.
 */
export function splitFullName(name: string): { firstName: string; lastName: string } {
  const words = name.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { firstName: name.trim() || '?', lastName: '' };
  if (words.length === 1) return { firstName: words[0] as string, lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1] as string };
}

/** v0 → v1: split `name`, move app flags under `apps`. Pure, so it is tested without a database. */
export function migrateClientV0toV1(old: ClientV0): ClientV1 {
  const { name, aggregatorAppInstalled, brandedPushToken, ...rest } = old;
  const apps: ClientAppsV1 = { aggregator: aggregatorAppInstalled };
  if (brandedPushToken !== undefined) apps.brandedPushToken = brandedPushToken;
  return { ...rest, ...splitFullName(name), apps };
}

/** v1 → v2: the single branded token becomes the first of the per-device list. */
export function migrateClientV1toV2(old: ClientV1): Client {
  const { brandedPushToken, ...apps } = old.apps;
  return { ...old, apps: { ...apps, ...(brandedPushToken !== undefined ? { brandedPushTokens: [brandedPushToken] } : {}) } };
}

export const clientMigrationStrategies = {
  // RxDB passes the stored document including its meta fields (_rev, _meta…); they must be carried through.
  1: (oldDoc: ClientV0 & Record<string, unknown>): ClientV1 & Record<string, unknown> =>
    migrateClientV0toV1(oldDoc) as ClientV1 & Record<string, unknown>,
  2: (oldDoc: ClientV1 & Record<string, unknown>): Client & Record<string, unknown> =>
    migrateClientV1toV2(oldDoc) as Client & Record<string, unknown>,
  3: (oldDoc: Client & Record<string, unknown>): Client & Record<string, unknown> => oldDoc,
};

export function clientDisplayName(c: Pick<Client, 'firstName' | 'lastName'>): string {
  return c.lastName === '' ? c.firstName : `${c.firstName} ${c.lastName}`;
}
