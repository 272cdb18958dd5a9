/**
 * One provider's settings at one location for one channel (`<locationId>:<channel>:<kind>`), e.g. Twilio for SMS,
 * FCM for the branded app. Only what may replicate and reach the renderer is here: secrets (auth tokens, API keys,
 * service-account keys) live in the host's encrypted store under `providerSecretRef(…)`, and `secretsSet` only says
 * which of them were saved (on some desk) so the screen can tell "set" from "never entered".
 *
 * Its own collection, not a field of `locations`: provider settings change apart from the location (tests, tokens,
 * bot names), several desks edit them, and planning reads the location on every pass — it should stay small.
 */
import { CHANNELS } from '../notifications/catalog.ts';
import type { Channel } from '../notifications/catalog.ts';
import { PROVIDER_KINDS, type ProviderKind, type ProviderSettingsValues } from '../providers/catalog.ts';
import { idField, isoUtcField } from './schema-parts.ts';

export interface ProviderSettings {
  id: string;
  locationId: string;
  channel: Channel;
  kind: ProviderKind;
  enabled: boolean;
  settings: ProviderSettingsValues;
  /** Keys of the secrets that have been saved. */
  secretsSet: string[];
  updatedAt: string;
  /** The desk that saved (sync: newest edit wins). */
  updatedBy?: string;
}

export const providerSettingsSchemaV0 = {
  title: 'provider_settings',
  description: "A channel provider's settings at a location (secrets are in the host's encrypted store)",
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 3, maxLength: 200 },
    locationId: idField,
    channel: { type: 'string', enum: CHANNELS, maxLength: 20 },
    // The kinds of v0, as v0 was written (v1 takes PROVIDER_KINDS).
    kind: { type: 'string', enum: ['telegram', 'twilio', 'httpSms', 'fcm', 'ntfy'], maxLength: 20 },
    enabled: { type: 'boolean' },
    settings: {
      type: 'object',
      maxProperties: 40,
      additionalProperties: { anyOf: [{ type: 'string', maxLength: 4000 }, { type: 'number' }, { type: 'boolean' }] },
    },
    secretsSet: { type: 'array', maxItems: 5, uniqueItems: true, items: { type: 'string', maxLength: 40 } },
    updatedAt: isoUtcField,
    updatedBy: { type: 'string', maxLength: 120 },
  },
  required: ['id', 'locationId', 'channel', 'kind', 'enabled', 'settings', 'secretsSet', 'updatedAt'],
  indexes: ['locationId'],
} as const;

/** v1: `smtp` joins the kinds (email moved onto the providers' shape); v0 documents are unchanged. */
export const providerSettingsSchemaV1 = {
  ...providerSettingsSchemaV0,
  version: 1,
  properties: { ...providerSettingsSchemaV0.properties, kind: { type: 'string', enum: PROVIDER_KINDS, maxLength: 20 } },
} as const;

export const providerSettingsMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
