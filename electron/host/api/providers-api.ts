/**
 * API handlers of the providers (the mail server among them): the catalog and a location's providers, save (settings validated against the
 * catalog, secrets into the encrypted store — they never come back out), remove, "Test connection", "Send a test
 * message", the team channels that cannot work, and a month's spend per channel from the delivery log.
 */
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import type { ProviderSettings } from '../../../shared/domain/provider-settings.ts';
import type { OutgoingMessage, SendOutcome } from '../../../shared/engine/provider.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import type { ProviderView } from '../../../shared/ipc/providers-contract.ts';
import { ApiError, type ErrorIssue } from '../../../shared/ipc/result.ts';
import { STAFF_CHANNELS, TEAM_EVENT_TYPES, type Channel } from '../../../shared/notifications/catalog.ts';
import { atLocalTime } from '../../../shared/notifications/zoned-time.ts';
import {
  PROVIDER_KINDS, PROVIDER_SPECS, changesSecretOwner, providerDocId, providerSecretOwnerRef, providerSecretRef, validateProviderSettings, withDefaults, type ProviderKind, type ProviderSettingsValues,
} from '../../../shared/providers/catalog.ts';
import { randomBytes } from 'node:crypto';
import { bindSecrets, readBoundSecrets } from '../channels/bound-secrets.ts';
import { parseServiceAccount } from '../channels/providers/google-oauth.ts';
import { telegramLink } from '../channels/providers/telegram.ts';
import { plainReason } from '../../../shared/notifications/reasons.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';

type ProviderChannels =
  | 'providers.list' | 'providers.save' | 'providers.remove' | 'providers.test' | 'providers.sendTest' | 'providers.teamProblems' | 'providers.telegramLink' | 'log.spend';

function refused(message: string, code: string, issues: ErrorIssue[] = [], params?: Record<string, string | number>): ApiError {
  return new ApiError('invalid_request', `Nothing was saved. ${message}`, { reason: code, ...(params ? { params } : {}), issues: issues.length > 0 ? issues : [{ code, message, ...(params ? { params } : {}) }] });
}

async function view(rt: SalonRuntime, doc: ProviderSettings): Promise<ProviderView> {
  const { status: secrets } = await readBoundSecrets(rt.secrets, doc);
  const loaded = rt.providerHub.get(doc.id);
  const problem = loaded?.problem;
  return {
    id: doc.id, locationId: doc.locationId, channel: doc.channel, kind: doc.kind, enabled: doc.enabled, settings: withDefaults(doc.kind, doc.settings), secrets,
    ready: Boolean(loaded?.client) && doc.enabled, ...(problem ? { problem: { ...problem } } : {}), updatedAt: doc.updatedAt, ...(doc.updatedBy ? { updatedBy: doc.updatedBy } : {}),
  };
}

/** The recipient a test message goes to, from what the manager typed: a phone, a chat id, a device token, a topic. */
function testRecipient(kind: ProviderKind, to: string): OutgoingMessage['recipient'] {
  switch (kind) {
    case 'telegram':
      return { telegramChatId: to };
    case 'fcm':
      return { pushTokens: [to] };
    case 'ntfy':
      return { ntfyTopic: to };
    case 'smtp':
      return { email: to };
    default:
      return { phone: to };
  }
}

export function providerHandlers(runtime: () => SalonRuntime): Pick<Handlers, ProviderChannels> {
  const docOf = async (locationId: string, channel: Channel, kind: ProviderKind) => runtime().db.provider_settings.findOne(providerDocId(locationId, channel, kind)).exec();
  const location = async (locationId: string) => {
    const found = await runtime().db.locations.findOne(locationId).exec();
    if (!found) throw new ApiError('not_found', `No location '${locationId}'.`, { reason: 'location.notFound' });
    return found.toMutableJSON();
  };

  return {
    'providers.list': async ({ locationId }) => {
      const rt = runtime();
      await location(locationId);
      const docs = await rt.db.provider_settings.find({ selector: { locationId } }).exec();
      return {
        // Plain data for the wire: the settings screen is generated from it.
        catalog: PROVIDER_KINDS.map((kind) => JSON.parse(JSON.stringify(PROVIDER_SPECS[kind])) as ResponseOf<'providers.list'>['catalog'][number]),
        providers: await Promise.all(docs.map((d) => view(rt, d.toMutableJSON()))),
      };
    },

    'providers.save': async ({ locationId, channel, kind, enabled, settings, secrets }) => {
      const rt = runtime();
      await location(locationId);
      const spec = PROVIDER_SPECS[kind];
      if (!spec.channels.includes(channel)) throw refused(`${kind} cannot serve the ${channel} channel.`, 'provider.channel', [], { kind, channel });
      const issues = validateProviderSettings(kind, settings);
      for (const key of Object.keys(secrets ?? {})) {
        if (!spec.secrets.some((s) => s.key === key)) issues.push({ code: 'provider.field.unknown', field: `secrets.${key}`, message: `${key} is not a secret of ${kind}`, params: { field: key } });
      }
      if (kind === 'fcm' && secrets?.serviceAccountJson) {
        const parsed = parseServiceAccount(secrets.serviceAccountJson);
        if (!parsed.ok) issues.push({ code: 'provider.keyInvalid', field: 'secrets.serviceAccountJson', message: `the service-account key cannot be used: ${parsed.problem}`, params: { detail: parsed.problem } });
      }
      if (issues.length > 0) throw refused(issues.map((i) => i.message).join('; '), 'provider.invalid', issues);
      if (enabled && spec.exclusiveGroup) {
        const others = await rt.db.provider_settings.find({ selector: { locationId, channel, enabled: true } }).exec();
        const clash = others.find((o) => o.kind !== kind && PROVIDER_SPECS[o.kind].exclusiveGroup === spec.exclusiveGroup);
        if (clash) throw refused(`${clash.kind} is already on for this channel: turn it off first.`, 'provider.exclusive', [], { other: clash.kind, channel });
      }
      // Secrets belong to one server and login: another one forgets those not given again with it.
      const before = await docOf(locationId, channel, kind);
      // The saved ones are also forgotten when they were typed for another owner than these settings name (the
      // document was changed on another desk or by a sync peer), so saving what is shown never re-binds them.
      const typedForOther = (await readBoundSecrets(rt.secrets, { locationId, channel, kind, settings: before?.settings ?? settings })).ownerChanged;
      if ((before && changesSecretOwner(kind, before.settings, settings)) || typedForOther) {
        for (const secret of spec.secrets) if (secrets?.[secret.key] === undefined) await rt.secrets.delete(providerSecretRef(locationId, channel, kind, secret.key));
      }
      for (const [key, value] of Object.entries(secrets ?? {})) {
        const ref = providerSecretRef(locationId, channel, kind, key);
        if (value === '') await rt.secrets.delete(ref);
        else await rt.secrets.set(ref, value);
      }
      await bindSecrets(rt.secrets, { locationId, channel, kind, settings });
      const secretsSet: string[] = [];
      for (const secret of spec.secrets) if ((await rt.secrets.status(providerSecretRef(locationId, channel, kind, secret.key))) === 'set') secretsSet.push(secret.key);
      const values: ProviderSettingsValues = {};
      for (const [key, value] of Object.entries(settings)) if (value !== '') values[key] = value;
      const doc: ProviderSettings = {
        id: providerDocId(locationId, channel, kind), locationId, channel, kind, enabled, settings: values, secretsSet,
        updatedAt: new Date(rt.clock.now()).toISOString(), ...(rt.sync.config.deskName ? { updatedBy: rt.sync.config.deskName } : {}),
      };
      await rt.db.provider_settings.upsert(doc);
      await rt.providerHub.reload(doc);
      return { provider: await view(rt, doc) };
    },

    'providers.remove': async ({ locationId, channel, kind }) => {
      const rt = runtime();
      const doc = await docOf(locationId, channel, kind);
      for (const secret of PROVIDER_SPECS[kind].secrets) await rt.secrets.delete(providerSecretRef(locationId, channel, kind, secret.key));
      await rt.secrets.delete(providerSecretOwnerRef(locationId, channel, kind));
      if (!doc) return { removed: false };
      await doc.remove();
      return { removed: true };
    },

    'providers.test': async ({ locationId, channel, kind }) => {
      const rt = runtime();
      const loaded = rt.providerHub.get(providerDocId(locationId, channel, kind));
      if (!loaded) throw new ApiError('not_found', 'Save the provider settings first, then test them.', { reason: 'provider.notSaved' });
      if (!loaded.client) return { ok: false, ...loaded.problem };
      const result = await loaded.client.test();
      const botUsername = result.ok ? result.facts?.botUsername : undefined;
      if (botUsername && loaded.doc.settings.botUsername !== botUsername) {
        // The deep links need the bot's name: the test found it, so the manager need not type it.
        const doc = await docOf(locationId, channel, kind);
        await doc?.incrementalModify((d) => ({ ...d, settings: { ...d.settings, botUsername } }));
      }
      return result;
    },

    'providers.sendTest': async ({ locationId, channel, kind, to }) => {
      const rt = runtime();
      const loaded = rt.providerHub.get(providerDocId(locationId, channel, kind));
      if (!loaded) throw new ApiError('not_found', 'Save the provider settings first, then send a test message.', { reason: 'provider.notSaved' });
      if (!loaded.client) return { status: 'notTried', ...loaded.problem };
      const stamp = rt.clock.now();
      const message: OutgoingMessage = {
        jobId: `test|${stamp}`, idempotencyKey: `test-${locationId}-${channel}-${kind}-${stamp}`, channel, locationId, recipient: testRecipient(kind, to),
        subject: 'FrontDesk test', body: 'This is a test message from FrontDesk. If you can read it, this channel works.',
      };
      const route = loaded.client.routes(message)[0] ?? loaded.client.allRoutes[0] ?? 'default';
      const outcome: SendOutcome = await loaded.client.send(message, route);
      const { staleTokens: _s, cost: _c, ...rest } = outcome as SendOutcome & { staleTokens?: unknown; cost?: unknown };
      return {
        status: rest.status,
        ...('detail' in rest && rest.detail ? { detail: rest.detail } : {}),
        ...(rest.route ? { route: rest.route } : {}),
        ...('reason' in rest ? { reason: rest.reason } : {}),
        ...(rest.reasonCode ? { reasonCode: rest.reasonCode } : {}),
        ...(rest.reasonParams ? { reasonParams: rest.reasonParams } : {}),
      };
    },

    'providers.teamProblems': async ({ locationId }) => {
      const rt = runtime();
      await location(locationId);
      const settings = await rt.db.notification_settings.find({ selector: { locationId } }).exec();
      const staff = (await rt.db.staff.find({ selector: { locationId } }).exec()).map((d) => d.toMutableJSON()).filter((s) => s.active && s.role === 'specialist');
      const problems: ResponseOf<'providers.teamProblems'>['problems'] = [];
      // ntfy's default topic reaches staff without a topic of their own.
      const defaultTopic = rt.providerHub.providersOf(locationId, 'adminPush').some((p) => p.doc.kind === 'ntfy' && typeof p.doc.settings.defaultTopic === 'string' && p.doc.settings.defaultTopic !== '');
      for (const doc of settings) {
        if (!doc.enabled || !(TEAM_EVENT_TYPES as readonly string[]).includes(doc.type)) continue;
        for (const channel of STAFF_CHANNELS) {
          if (channel === 'desktop' || doc.channels[channel]?.scenario !== 'always') continue;
          const ready = rt.providers[channel].readiness(locationId);
          if (!ready.ready) {
            problems.push({ type: doc.type, channel, code: 'team.noProvider', message: `${channel} is on for ${doc.type}, but ${ready.reason}`, params: { type: doc.type, channel } });
            continue;
          }
          for (const member of staff) {
            const lacks = channel === 'email' ? !member.email : channel === 'sms' ? !member.phone : !defaultTopic && !member.adminPush?.ntfyTopic && (member.adminPush?.pushTokens ?? []).length === 0;
            if (lacks) problems.push({ type: doc.type, channel, staffId: member.id, code: 'team.noContact', message: `${member.name} cannot get ${doc.type} by ${channel}: no address for it`, params: { type: doc.type, channel, name: member.name } });
          }
        }
      }
      return { problems };
    },

    'providers.telegramLink': async ({ clientId }) => {
      const rt = runtime();
      const client = await rt.db.clients.findOne(clientId).exec();
      if (!client) throw new ApiError('not_found', `No client '${clientId}'.`, { reason: 'client.notFound', params: { id: clientId } });
      const code = randomBytes(12).toString('base64url');
      await client.incrementalModify((c) => ({ ...c, telegram: { ...c.telegram, linkCode: code } }));
      const provider = rt.providerHub.get(providerDocId(client.locationId, 'sms', 'telegram'));
      const bot = provider?.doc.enabled ? provider.doc.settings.botUsername : undefined;
      const linked = Boolean(client.telegram?.chatId);
      if (typeof bot !== 'string' || bot === '') return { code, linked, ...plainReason('telegram.botUnknown') };
      return { code, linked, url: telegramLink(bot, code) };
    },

    'log.spend': async ({ locationId, month }) => {
      const rt = runtime();
      const loc = await location(locationId);
      const [year, m] = month.split('-').map(Number) as [number, number];
      const from = atLocalTime({ year, month: m, day: 1 }, '00:00', loc.timeZone);
      const to = atLocalTime(m === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: m + 1, day: 1 }, '00:00', loc.timeZone);
      const entries = await rt.db.delivery_log.find({ selector: { atMs: { $gte: from, $lt: to } }, sort: [{ atMs: 'asc' }] }).exec();
      // The latest entry of a message (job, channel, route) that carries a cost is what it cost: a reported price
      // replaces the estimate made at sending.
      const latest = new Map<string, DeliveryLogEntry>();
      for (const doc of entries) {
        if (doc.locationId !== locationId || doc.costMicros === undefined || !doc.costCurrency) continue;
        latest.set(`${doc.jobId}#${doc.channel}#${doc.route ?? ''}`, doc.toMutableJSON());
      }
      const totals = new Map<string, { channel: Channel; currency: string; micros: number; messages: number; segments: number; estimated: boolean }>();
      for (const entry of latest.values()) {
        const key = `${entry.channel}#${entry.costCurrency}`;
        const total = totals.get(key) ?? { channel: entry.channel, currency: entry.costCurrency!, micros: 0, messages: 0, segments: 0, estimated: false };
        total.micros += entry.costMicros!;
        total.messages += 1;
        total.segments += entry.segments ?? 0;
        total.estimated ||= entry.costEstimated === true;
        totals.set(key, total);
      }
      return { channels: [...totals.values()] };
    },
  };
}
