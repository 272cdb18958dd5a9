/**
 * The provider registry: for each kind of shared/providers/catalog.ts, how its settings and secrets become a working
 * client. The catalog says what a provider is (channels, fields, secrets, reports, replies); this says how it runs.
 * Nothing outside this file knows a provider by name: the hub, the settings API and the engine go through here.
 */
import type { Location } from '../../../shared/domain/location.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import { plainReason, type ReasonFields } from '../../../shared/notifications/reasons.ts';
import { PROVIDER_SPECS, withDefaults, type ProviderKind, type ProviderSettingsValues, type ProviderSpec } from '../../../shared/providers/catalog.ts';
import { createFcmClient } from './providers/fcm.ts';
import { parseServiceAccount } from './providers/google-oauth.ts';
import { createHttpSmsClient } from './providers/http-sms.ts';
import { createNtfyClient } from './providers/ntfy.ts';
import { createSmtpClient } from './providers/smtp.ts';
import type { ProviderClient, ProviderDeps } from './providers/provider-client.ts';
import { createTelegramClient } from './providers/telegram.ts';
import { createTwilioClient } from './providers/twilio.ts';

export type Secrets = Readonly<Record<string, string | undefined>>;

export interface BuildContext {
  channel: Channel;
  location: Location | undefined;
  deps: ProviderDeps;
  /** Telegram's getUpdates long-poll wait (tests shorten it). */
  pollTimeoutSeconds?: number;
}

export type Built = { ok: true; client: ProviderClient } | { ok: false; problem: ReasonFields };

export interface ProviderDefinition {
  spec: ProviderSpec;
  /** Settings (validated) and secrets (as saved) into a client, or why it cannot run. */
  build(settings: ProviderSettingsValues, secrets: Secrets, context: BuildContext): Built;
}

const CHANNEL_LABEL: Partial<Record<Channel, string>> = { brandedPush: "the salon's app", aggregatorPush: 'the client app', adminPush: 'the staff app' };

function missing(provider: string, field: string): Built {
  return { ok: false, problem: plainReason('provider.secretMissing', { provider, field }) };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (v === undefined || v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined);
const micros = (v: unknown): number | undefined => {
  const n = num(v);
  return n === undefined ? undefined : Math.round(n * 1_000_000);
};

export const PROVIDER_DEFINITIONS: Readonly<Record<ProviderKind, ProviderDefinition>> = {
  smtp: {
    spec: PROVIDER_SPECS.smtp,
    build(settings, secrets, { location, deps }) {
      const username = str(settings.username)?.trim();
      // A login without its password would fail at every send: the channel says what to do instead.
      if (username && !secrets.password) return { ok: false, problem: plainReason('smtp.password.needed') };
      const secure = settings.security === 'tls';
      const port = Number(settings.port);
      return {
        ok: true,
        client: createSmtpClient({
          host: String(settings.host).trim(), port, secure, requireStartTls: !secure && port === 587,
          ...(username && secrets.password ? { auth: { user: username, pass: secrets.password } } : {}),
          ...(settings.allowInsecureAuth === true ? { allowInsecureAuth: true } : {}),
          from: { name: str(settings.fromName) ?? location?.name ?? '', address: String(settings.fromAddress).trim() },
          connectionTimeoutMs: (num(settings.timeoutSeconds) ?? 15) * 1000,
        }, deps),
      };
    },
  },
  twilio: {
    spec: PROVIDER_SPECS.twilio,
    build(settings, secrets, { location, deps }) {
      if (!secrets.authToken) return missing('Twilio', 'the Auth Token');
      const price = micros(settings.pricePerSegment);
      return {
        ok: true,
        client: createTwilioClient({
          accountSid: String(settings.accountSid), authToken: secrets.authToken, baseUrl: String(settings.baseUrl),
          ...(str(settings.from) ? { from: str(settings.from)! } : {}),
          ...(str(settings.messagingServiceSid) ? { messagingServiceSid: str(settings.messagingServiceSid)! } : {}),
          ...(str(settings.whatsappFrom) ? { whatsappFrom: str(settings.whatsappFrom)! } : {}),
          ...(price !== undefined ? { pricePerSegmentMicros: price, currency: str(settings.currency) ?? location?.currency ?? 'USD' } : {}),
          ...(num(settings.ratePerSecond) ? { ratePerSecond: num(settings.ratePerSecond)! } : {}),
          readReplies: settings.readReplies !== false,
        }, deps),
      };
    },
  },
  httpSms: {
    spec: PROVIDER_SPECS.httpSms,
    build(settings, secrets, { location, deps }) {
      const price = micros(settings.pricePerSegment);
      const text = (key: string) => (str(settings[key]) !== undefined ? { [key]: str(settings[key])! } : {});
      return {
        ok: true,
        client: createHttpSmsClient({
          url: String(settings.url), method: (str(settings.method) ?? 'POST') as 'POST' | 'GET' | 'PUT', headers: str(settings.headers) ?? '',
          contentType: (str(settings.contentType) ?? 'json') as 'json' | 'form' | 'none', bodyTemplate: str(settings.bodyTemplate) ?? '',
          messageIdPath: str(settings.messageIdPath) ?? 'id',
          ...text('sender'), ...text('successPath'), ...text('successValues'), ...text('errorPath'), ...text('statusUrl'), ...text('statusPath'),
          ...text('deliveredValues'), ...text('failedValues'), ...text('idempotencyHeader'), ...text('inboundUrl'), ...text('inboundListPath'),
          ...text('inboundIdPath'), ...text('inboundFromPath'), ...text('inboundTextPath'), ...text('testUrl'),
          ...(secrets.apiKey ? { apiKey: secrets.apiKey } : {}),
          ...(price !== undefined ? { pricePerSegmentMicros: price, currency: str(settings.currency) ?? location?.currency ?? 'EUR' } : {}),
          ...(num(settings.ratePerSecond) ? { ratePerSecond: num(settings.ratePerSecond)! } : {}),
        }, deps),
      };
    },
  },
  telegram: {
    spec: PROVIDER_SPECS.telegram,
    build(settings, secrets, { deps, pollTimeoutSeconds }) {
      if (!secrets.botToken) return missing('Telegram', 'the bot token');
      return { ok: true, client: createTelegramClient({ botToken: secrets.botToken, baseUrl: String(settings.baseUrl), ...(pollTimeoutSeconds !== undefined ? { pollTimeoutSeconds } : {}) }, deps) };
    },
  },
  fcm: {
    spec: PROVIDER_SPECS.fcm,
    build(settings, secrets, { channel, deps }) {
      if (!secrets.serviceAccountJson) return missing('Firebase', 'the service-account key');
      const parsed = parseServiceAccount(secrets.serviceAccountJson);
      if (!parsed.ok) return { ok: false, problem: plainReason('provider.keyInvalid', { detail: parsed.problem }) };
      const projectId = str(settings.projectId) ?? parsed.account.project_id;
      if (!projectId) return { ok: false, problem: plainReason('provider.keyInvalid', { detail: 'the key names no project: enter the project id' }) };
      const label = `Firebase (${CHANNEL_LABEL[channel] ?? channel})`;
      return { ok: true, client: createFcmClient({ account: parsed.account, projectId, baseUrl: String(settings.baseUrl), label, ...(num(settings.ratePerSecond) ? { ratePerSecond: num(settings.ratePerSecond)! } : {}) }, deps) };
    },
  },
  ntfy: {
    spec: PROVIDER_SPECS.ntfy,
    build(settings, secrets, { deps }) {
      return {
        ok: true,
        client: createNtfyClient({
          serverUrl: String(settings.serverUrl),
          ...(secrets.accessToken ? { accessToken: secrets.accessToken } : {}),
          ...(str(settings.defaultTopic) ? { defaultTopic: str(settings.defaultTopic)! } : {}),
          ...(num(settings.priority) ? { priority: num(settings.priority)! } : {}),
          ...(str(settings.clickUrl) ? { clickUrl: str(settings.clickUrl)! } : {}),
          ...(num(settings.ratePerSecond) ? { ratePerSecond: num(settings.ratePerSecond)! } : {}),
        }, deps),
      };
    },
  },
};

/** Builds a client from stored settings: defaults filled in first, so an older document still runs. */
export function buildProvider(kind: ProviderKind, settings: ProviderSettingsValues, secrets: Secrets, context: BuildContext): Built {
  return PROVIDER_DEFINITIONS[kind].build(withDefaults(kind, settings), secrets, context);
}
