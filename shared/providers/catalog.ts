/**
 * The providers FrontDesk can use, as data: for each kind its channels, the order of its route in a channel, its
 * settings and secrets as field descriptions, and what it can do (delivery reports, replies). The settings screen is
 * generated from this (labels are `provider.<kind>.…` in the translation tables); the host builds its clients from the
 * same keys; both validate with `validateProviderSettings`.
 */
import type { ErrorIssue } from '../ipc/result.ts';
import type { Channel } from '../notifications/catalog.ts';

export const PROVIDER_KINDS = ['smtp', 'telegram', 'twilio', 'httpSms', 'fcm', 'ntfy'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export type FieldKind = 'text' | 'url' | 'phone' | 'email' | 'number' | 'boolean' | 'select' | 'textarea';

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  required?: boolean;
  default?: string | number | boolean;
  options?: readonly string[];
  pattern?: string;
  min?: number;
  max?: number;
  /** A number that must be whole (a port). */
  integer?: boolean;
  maxLength?: number;
  /**
   * The saved secrets belong to this value (the server, the login): saving another value forgets them unless new ones
   * come with the same save, so a password never reaches a server it was not typed for.
   */
  bindsSecrets?: boolean;
  /** A consent that belongs to these fields' values (sending a password without TLS to one server): it goes back to off when they change. */
  consentFor?: readonly string[];
  /** Shown under "Advanced" (addresses of the API, for test servers or regional endpoints). */
  advanced?: boolean;
  /** A URL field that may hold {{placeholders}} (templates of the generic gateway). */
  template?: boolean;
}

export interface SecretSpec {
  key: string;
  /** `textarea` for a pasted key file. */
  kind: 'password' | 'textarea';
  required: boolean;
  maxLength: number;
}

export interface ProviderSpec {
  kind: ProviderKind;
  channels: readonly Channel[];
  /** Place of its routes in a channel with several providers: messengers (10) before SMS (20). */
  order: number;
  fields: readonly FieldSpec[];
  secrets: readonly SecretSpec[];
  reports: boolean;
  replies: boolean;
  /** Only one provider of a group may be on in a channel (two SMS gateways would make the route ambiguous). */
  exclusiveGroup?: string;
}

export type SettingValue = string | number | boolean;
export type ProviderSettingsValues = Record<string, SettingValue>;

const E164 = '^\\+[1-9]\\d{7,14}$';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A host name or an IPv4 address (letters, digits, dots, hyphens), or an IPv6 address in brackets. */
const HOST = '^([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\\[[0-9A-Fa-f:.]+\\]$';
const CURRENCY = '^[A-Z]{3}$';
const price: FieldSpec = { key: 'pricePerSegment', kind: 'number', min: 0, max: 100 };
const currency: FieldSpec = { key: 'currency', kind: 'text', pattern: CURRENCY, maxLength: 3 };
const rate = (fallback: number): FieldSpec => ({ key: 'ratePerSecond', kind: 'number', min: 0.1, max: 1000, default: fallback, advanced: true });
const jsonPath = (key: string, fallback?: string): FieldSpec => ({ key, kind: 'text', maxLength: 200, advanced: true, ...(fallback !== undefined ? { default: fallback } : {}) });

export const PROVIDER_SPECS: Readonly<Record<ProviderKind, ProviderSpec>> = {
  smtp: {
    kind: 'smtp', channels: ['email'], order: 10, reports: false, replies: false,
    fields: [
      { key: 'host', kind: 'text', required: true, maxLength: 253, pattern: HOST, bindsSecrets: true },
      { key: 'port', kind: 'number', min: 1, max: 65_535, integer: true, default: 587, bindsSecrets: true },
      // starttls: upgrade when the server offers it (required on 587 and before any login); tls: encrypted from the first byte (465).
      { key: 'security', kind: 'select', options: ['starttls', 'tls'], default: 'starttls' },
      { key: 'username', kind: 'text', maxLength: 254, bindsSecrets: true },
      { key: 'allowInsecureAuth', kind: 'boolean', default: false, consentFor: ['host', 'port'] },
      { key: 'fromAddress', kind: 'email', required: true, maxLength: 254 },
      { key: 'fromName', kind: 'text', maxLength: 120 },
      { key: 'timeoutSeconds', kind: 'number', min: 1, max: 120, default: 15, advanced: true },
    ],
    secrets: [{ key: 'password', kind: 'password', required: false, maxLength: 1000 }],
  },
  telegram: {
    kind: 'telegram', channels: ['sms'], order: 10, reports: false, replies: true,
    fields: [
      { key: 'botUsername', kind: 'text', maxLength: 64, pattern: '^[A-Za-z0-9_]{3,64}$' },
      { key: 'baseUrl', kind: 'url', default: 'https://api.telegram.org', advanced: true, bindsSecrets: true },
    ],
    secrets: [{ key: 'botToken', kind: 'password', required: true, maxLength: 200 }],
  },
  twilio: {
    kind: 'twilio', channels: ['sms'], order: 20, reports: true, replies: true, exclusiveGroup: 'sms',
    fields: [
      { key: 'accountSid', kind: 'text', required: true, pattern: '^AC[0-9a-fA-F]{32}$', maxLength: 34, bindsSecrets: true },
      { key: 'from', kind: 'phone', pattern: E164, maxLength: 16 },
      { key: 'messagingServiceSid', kind: 'text', pattern: '^MG[0-9a-fA-F]{32}$', maxLength: 34 },
      { key: 'whatsappFrom', kind: 'phone', pattern: E164, maxLength: 16 },
      { key: 'readReplies', kind: 'boolean', default: true },
      price,
      currency,
      rate(1),
      { key: 'baseUrl', kind: 'url', default: 'https://api.twilio.com', advanced: true, bindsSecrets: true },
    ],
    secrets: [{ key: 'authToken', kind: 'password', required: true, maxLength: 200 }],
  },
  httpSms: {
    kind: 'httpSms', channels: ['sms'], order: 20, reports: true, replies: true, exclusiveGroup: 'sms',
    fields: [
      { key: 'url', kind: 'url', required: true, template: true, bindsSecrets: true },
      { key: 'method', kind: 'select', options: ['POST', 'GET', 'PUT'], default: 'POST' },
      { key: 'headers', kind: 'textarea', maxLength: 2000, default: 'Authorization: Bearer {{apiKey}}' },
      { key: 'contentType', kind: 'select', options: ['json', 'form', 'none'], default: 'json' },
      { key: 'bodyTemplate', kind: 'textarea', maxLength: 4000, default: '{"to":"{{to}}","text":"{{text}}","from":"{{from}}"}' },
      { key: 'sender', kind: 'text', maxLength: 20 },
      jsonPath('messageIdPath', 'id'),
      jsonPath('successPath'),
      jsonPath('successValues'),
      jsonPath('errorPath', 'error'),
      { key: 'statusUrl', kind: 'url', template: true, bindsSecrets: true },
      jsonPath('statusPath', 'status'),
      jsonPath('deliveredValues', 'delivered,DELIVRD'),
      jsonPath('failedValues', 'failed,undelivered,rejected,expired,UNDELIV,REJECTD'),
      { key: 'idempotencyHeader', kind: 'text', maxLength: 60, pattern: '^[A-Za-z0-9-]+$', default: 'Idempotency-Key' },
      { key: 'inboundUrl', kind: 'url', template: true, bindsSecrets: true },
      jsonPath('inboundListPath', 'messages'),
      jsonPath('inboundIdPath', 'id'),
      jsonPath('inboundFromPath', 'from'),
      jsonPath('inboundTextPath', 'text'),
      { key: 'testUrl', kind: 'url', template: true, bindsSecrets: true },
      price,
      currency,
      rate(10),
    ],
    secrets: [{ key: 'apiKey', kind: 'password', required: false, maxLength: 500 }],
  },
  fcm: {
    kind: 'fcm', channels: ['brandedPush', 'aggregatorPush', 'adminPush'], order: 10, reports: false, replies: false, exclusiveGroup: 'push',
    fields: [
      { key: 'projectId', kind: 'text', maxLength: 100, pattern: '^[a-z][a-z0-9-]{4,99}$' },
      rate(100),
      { key: 'baseUrl', kind: 'url', default: 'https://fcm.googleapis.com', advanced: true, bindsSecrets: true },
    ],
    secrets: [{ key: 'serviceAccountJson', kind: 'textarea', required: true, maxLength: 10_000 }],
  },
  ntfy: {
    kind: 'ntfy', channels: ['adminPush'], order: 10, reports: false, replies: false, exclusiveGroup: 'push',
    fields: [
      { key: 'serverUrl', kind: 'url', required: true, default: 'https://ntfy.sh', bindsSecrets: true },
      { key: 'defaultTopic', kind: 'text', maxLength: 64, pattern: '^[A-Za-z0-9_-]{1,64}$' },
      { key: 'priority', kind: 'select', options: ['1', '2', '3', '4', '5'], default: '4' },
      { key: 'clickUrl', kind: 'url', template: true },
      rate(10),
    ],
    secrets: [{ key: 'accessToken', kind: 'password', required: false, maxLength: 200 }],
  },
};

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && (PROVIDER_KINDS as readonly string[]).includes(value);
}

/** Kinds that can serve a channel, in route order. */
export function kindsForChannel(channel: Channel): ProviderKind[] {
  return PROVIDER_KINDS.filter((kind) => PROVIDER_SPECS[kind].channels.includes(channel)).sort((a, b) => PROVIDER_SPECS[a].order - PROVIDER_SPECS[b].order);
}

/** The id of a provider's settings document: one per location, channel and kind. */
export function providerDocId(locationId: string, channel: Channel, kind: ProviderKind): string {
  return `${locationId}:${channel}:${kind}`;
}

/** Where a provider's secret lives in the host's encrypted store (a SECRET_REF_PATTERN reference). */
export function providerSecretRef(locationId: string, channel: Channel, kind: ProviderKind, key: string): string {
  return `provider:${locationId}:${channel}:${kind}:${key}`;
}

/** Where the host records whom a provider's secrets were typed for (see secretOwner); no secret is named `owner-binding`. */
export function providerSecretOwnerRef(locationId: string, channel: Channel, kind: ProviderKind): string {
  return providerSecretRef(locationId, channel, kind, 'owner-binding');
}

/** The settings with every default filled in, unknown keys dropped. */
export function withDefaults(kind: ProviderKind, settings: ProviderSettingsValues): ProviderSettingsValues {
  const out: ProviderSettingsValues = {};
  for (const field of PROVIDER_SPECS[kind].fields) {
    const value = settings[field.key];
    if (value !== undefined && value !== '') out[field.key] = value;
    else if (field.default !== undefined) out[field.key] = field.default;
  }
  return out;
}

function issue(code: string, field: string, message: string, params: Record<string, string | number> = {}): ErrorIssue {
  return { code, field: `settings.${field}`, message, params: { field, ...params } };
}

/**
 * What is wrong with a provider's settings, each problem an issue with a code (`provider.field.required`…) and the
 * field it belongs to. Empty when the settings can be saved. Secrets are checked apart (they never travel back).
 */
export function validateProviderSettings(kind: ProviderKind, settings: Record<string, unknown>): ErrorIssue[] {
  const spec = PROVIDER_SPECS[kind];
  const issues: ErrorIssue[] = [];
  const known = new Set(spec.fields.map((f) => f.key));
  for (const key of Object.keys(settings)) if (!known.has(key)) issues.push(issue('provider.field.unknown', key, `${key} is not a setting of ${kind}`));
  for (const field of spec.fields) {
    const value = settings[field.key];
    const empty = value === undefined || value === '';
    if (empty) {
      if (field.required && field.default === undefined) issues.push(issue('provider.field.required', field.key, `${field.key}: enter a value`));
      continue;
    }
    if (field.kind === 'boolean') {
      if (typeof value !== 'boolean') issues.push(issue('provider.field.invalid', field.key, `${field.key}: expected yes or no`));
      continue;
    }
    if (field.kind === 'number') {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n) || (field.integer && !Number.isInteger(n)) || (field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
        issues.push(issue('provider.field.number', field.key, `${field.key}: enter a number from ${field.min ?? 0} to ${field.max ?? '∞'}`, { min: field.min ?? 0, max: field.max ?? 0 }));
      }
      continue;
    }
    if (typeof value !== 'string') {
      issues.push(issue('provider.field.invalid', field.key, `${field.key}: expected text`));
      continue;
    }
    if (value.length > (field.maxLength ?? 2000)) issues.push(issue('provider.field.tooLong', field.key, `${field.key}: at most ${field.maxLength ?? 2000} characters`, { max: field.maxLength ?? 2000 }));
    else if (field.kind === 'select' && !field.options?.includes(value)) issues.push(issue('provider.field.invalid', field.key, `${field.key}: choose one of ${field.options?.join(', ')}`));
    // A password in the address would sit in the plain settings every desk syncs, not with the encrypted secrets.
    else if (field.kind === 'url' && /^https?:\/\/[^/?#\s]*@/i.test(value)) issues.push(issue('provider.field.credentialsInUrl', field.key, `${field.key}: remove the user name and password from the address; the API key or token goes in its own field`));
    else if (field.kind === 'url' && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(field.template ? value.replace(/\{\{\s*\w+\s*\}\}/g, 'x') : value)) {
      issues.push(issue('provider.field.url', field.key, `${field.key}: enter an address starting with https://`));
    } else if (field.kind === 'phone' && !new RegExp(E164).test(value)) issues.push(issue('provider.field.phone', field.key, `${field.key}: enter the number with + and the country code`));
    else if (field.kind === 'email' && !EMAIL.test(value)) issues.push(issue('provider.field.email', field.key, `${field.key}: enter an email address like hello@salon.example`));
    else if (field.pattern && !new RegExp(field.pattern).test(value)) issues.push(issue('provider.field.pattern', field.key, `${field.key}: the value does not look right`));
  }
  if (kind === 'twilio' && !settings.from && !settings.messagingServiceSid) {
    issues.push(issue('provider.twilio.sender', 'from', 'from: enter the sender number or a Messaging Service SID'));
  }
  return issues;
}

/**
 * Where a secret bound to this value goes: for an address, its origin (scheme, host, port: another path on the same
 * server keeps the secret; templates' {{placeholders}} count as text); for anything else the value itself. Without case,
 * as host names are compared.
 */
function secretOwnerOf(field: FieldSpec, value: SettingValue | undefined): string {
  const text = String(value ?? '').trim().toLowerCase();
  if (field.kind !== 'url' || text === '') return text;
  // The origin by hand: shared code has no URL class (it runs in Node and the browser, typed for neither).
  const match = /^(https?):\/\/([^/?#\\]*)/.exec(text);
  if (!match) return text;
  const [, scheme, authority] = match;
  const defaultPort = scheme === 'https' ? ':443' : ':80';
  return `${scheme}://${authority!.endsWith(defaultPort) ? authority!.slice(0, -defaultPort.length) : authority}`;
}

/**
 * Whom a provider's secrets belong to under these settings: the owners of its `bindsSecrets` fields (server origins,
 * logins, accounts). The host records it beside the secrets when they are typed and hands them out only while the
 * settings still name the same owner, so a settings document changed elsewhere (another desk, a sync peer) can never
 * send a token to another server.
 */
export function secretOwner(kind: ProviderKind, settings: ProviderSettingsValues): string {
  const values = withDefaults(kind, settings);
  return JSON.stringify(PROVIDER_SPECS[kind].fields.filter((f) => f.bindsSecrets).map((f) => [f.key, secretOwnerOf(f, values[f.key])]));
}

/** Whether saving `next` over `saved` forgets the saved secrets: a field they belong to now names another owner. */
export function changesSecretOwner(kind: ProviderKind, saved: ProviderSettingsValues, next: ProviderSettingsValues): boolean {
  return secretOwner(kind, saved) !== secretOwner(kind, next);
}
