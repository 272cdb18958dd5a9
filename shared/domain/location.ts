import {
  e164Field,
  emailField,
  hhmmField,
  idField,
  isoUtcField,
  nameField,
} from './schema-parts.ts';
import { isSecretRef, secretRefField } from './secret-ref.ts';
import { workingHoursField, type WorkingHours } from './staff.ts';
import { LANGUAGES, type Language } from '../notifications/catalog.ts';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  country: string;
}

/** Quiet hours are a wall-clock window in the location's zone; start > end means it spans midnight. */
export interface QuietHours {
  enabled: boolean;
  start: string;
  end: string;
}

/**
 * The SMTP connection as older builds kept it on the location. Read only once, by the host's move onto the providers'
 * shape (electron/host/channels/legacy-smtp.ts), which then drops it; the schema keeps it so data folders, backups and
 * sync peers of older builds still load. The password was never stored here: `passwordRef` names the secret.
 */
export interface LegacySmtpSettings {
  host: string;
  port: number;
  /** true = implicit TLS (465); false = STARTTLS when offered. */
  secure: boolean;
  username?: string;
  /** A secret reference (shared/domain/secret-ref.ts); the host's store knows whether the secret is still readable. */
  passwordRef?: string;
  /**
   * The manager allowed this server to receive the password over a connection without TLS (a LAN relay without
   * STARTTLS). Otherwise a password is only ever sent after TLS. Reset whenever the server (host or port) changes.
   */
  allowInsecureAuth?: boolean;
  fromAddress: string;
  fromName?: string;
}

export interface Location {
  id: string;
  name: string;
  /** IANA zone, e.g. "Europe/Berlin". Every time of the salon is computed in it. */
  timeZone: string;
  address: Address;
  /** Salon phone, E.164. */
  phone: string;
  email?: string;
  /** ISO 3166-1 alpha-2 country used to normalise local phone numbers typed at the desk. */
  countryCode: string;
  /** ISO 4217, e.g. "EUR". Prices are stored in minor units of this currency. */
  currency: string;
  /** BCP 47 locale used to format dates, times and money in messages, e.g. "de-DE". */
  locale: string;
  quietHours: QuietHours;
  /** On by default: messages are rendered and logged as `sandboxed`, never sent. Turning it off is explicit. */
  sandboxMode: boolean;
  /** Older builds' email settings, moved to `provider_settings` at start (see LegacySmtpSettings). */
  smtp?: LegacySmtpSettings;
  /** Placeholder targets for templates ({bookingLink}, {reviewLink}). */
  bookingUrl?: string;
  reviewUrl?: string;
  /** When the salon is open (version 3 on); new staff start with these hours. Absent on older locations. */
  openingHours?: WorkingHours;
  /**
   * Languages clients get messages in (version 3 on), the first being the default for a new client. Absent on older
   * locations: English and Russian, whichever the locale names first.
   */
  clientLanguages?: Language[];
  createdAt: string;
  /** Last local edit and the desk that made it (sync: the newest edit wins). Absent until first edited. */
  updatedAt?: string;
  updatedBy?: string;
}

export const COUNTRY_CODE_PATTERN = '^[A-Z]{2}$';

export const locationSchemaV0 = {
  title: 'locations',
  description: 'A salon location with its time zone and location-wide notification settings',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    name: nameField,
    timeZone: { type: 'string', minLength: 1, maxLength: 64 },
    address: {
      type: 'object',
      additionalProperties: false,
      properties: {
        line1: { type: 'string', minLength: 1, maxLength: 200 },
        line2: { type: 'string', maxLength: 200 },
        city: { type: 'string', minLength: 1, maxLength: 100 },
        postalCode: { type: 'string', maxLength: 20 },
        country: { type: 'string', pattern: COUNTRY_CODE_PATTERN, maxLength: 2 },
      },
      required: ['line1', 'city', 'postalCode', 'country'],
    },
    phone: e164Field,
    email: emailField,
    countryCode: { type: 'string', pattern: COUNTRY_CODE_PATTERN, maxLength: 2 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3 },
    locale: { type: 'string', minLength: 2, maxLength: 35 },
    quietHours: {
      type: 'object',
      additionalProperties: false,
      properties: { enabled: { type: 'boolean' }, start: hhmmField, end: hhmmField },
      required: ['enabled', 'start', 'end'],
    },
    sandboxMode: { type: 'boolean' },
    smtp: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1, maxLength: 253 },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secure: { type: 'boolean' },
        username: { type: 'string', maxLength: 254 },
        passwordRef: { type: 'string', maxLength: 128 },
        fromAddress: emailField,
        fromName: { type: 'string', maxLength: 120 },
      },
      required: ['host', 'port', 'secure', 'fromAddress'],
    },
    bookingUrl: { type: 'string', format: 'uri', maxLength: 2000 },
    reviewUrl: { type: 'string', format: 'uri', maxLength: 2000 },
    createdAt: isoUtcField,
  },
  required: [
    'id',
    'name',
    'timeZone',
    'address',
    'phone',
    'countryCode',
    'currency',
    'locale',
    'quietHours',
    'sandboxMode',
    'createdAt',
  ],
} as const;

/** v1 adds `updatedAt`/`updatedBy` (optional): with sync, the newest edit of the location settings wins. */
export const locationSchemaV1 = {
  ...locationSchemaV0,
  version: 1,
  properties: { ...locationSchemaV0.properties, updatedAt: isoUtcField, updatedBy: { type: 'string', maxLength: 120 } },
} as const;

/**
 * v2: `smtp.passwordRef` must be a secret reference (no `__proto__` or other inherited key can name a secret), and
 * `smtp.allowInsecureAuth` records the manager's consent to send the password without TLS.
 */
export const locationSchemaV2 = {
  ...locationSchemaV1,
  version: 2,
  properties: {
    ...locationSchemaV1.properties,
    smtp: {
      ...locationSchemaV1.properties.smtp,
      properties: {
        ...locationSchemaV1.properties.smtp.properties,
        passwordRef: secretRefField,
        allowInsecureAuth: { type: 'boolean' },
      },
    },
  },
} as const;

/** v3: opening hours and the client languages, both optional (older locations have neither). */
export const locationSchemaV3 = {
  ...locationSchemaV2,
  version: 3,
  properties: {
    ...locationSchemaV2.properties,
    openingHours: workingHoursField,
    clientLanguages: { type: 'array', items: { type: 'string', enum: LANGUAGES, maxLength: 5 }, minItems: 1, maxItems: LANGUAGES.length, uniqueItems: true },
  },
} as const;

/** The languages a location writes to clients in, default first. */
export function clientLanguagesOf(location: Pick<Location, 'clientLanguages' | 'locale'>): Language[] {
  if (location.clientLanguages && location.clientLanguages.length > 0) return location.clientLanguages;
  return location.locale.toLowerCase().startsWith('ru') ? ['ru', 'en'] : ['en', 'ru'];
}

/** v1 → v2: a password reference that is not a valid secret reference is dropped (the password must be entered again). */
export function migrateLocationV1toV2<T extends { smtp?: { passwordRef?: string } }>(old: T): T {
  if (!old.smtp || old.smtp.passwordRef === undefined || isSecretRef(old.smtp.passwordRef)) return old;
  const { passwordRef: _dropped, ...smtp } = old.smtp;
  return { ...old, smtp };
}

export const locationMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  2: (oldDoc: Record<string, unknown>): Record<string, unknown> => migrateLocationV1toV2(oldDoc as { smtp?: { passwordRef?: string } }),
  3: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
