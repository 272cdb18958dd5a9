/**
 * SMS and WhatsApp through Twilio's Messages API (2010-04-01): a form-encoded POST with HTTP basic auth (Account SID
 * and Auth Token) creates the message; the message resource is fetched for its delivery status (queued → sending →
 * sent → delivered / undelivered / failed, plus WhatsApp's read); inbound replies are read from the message list.
 * With a WhatsApp sender configured, WhatsApp is tried first and SMS is the channel's next route.
 *
 * Error codes handled (Twilio's REST error body `{code, message, more_info, status}`): 20003 authentication,
 * 20429 / HTTP 429 too many requests (safe to retry), 21211 invalid To, 21614 not a mobile number, 21610 unsubscribed
 * (STOP), 21612 / 21408 unreachable or not permitted, 63003 / 63016 WhatsApp address or window. Message error codes on
 * a report (30003–30008, 63016…) become the reason of an undelivered message.
 */
import type { OutgoingMessage, ReportOutcome, ReportQuery, SendOutcome } from '../../../../shared/engine/provider.ts';
import { smsSegments } from '../../../../shared/notifications/templates/sms.ts';
import { hostOf, httpRequest, isTransientStatus, redact, retryAfterMs, type HttpAnswer } from './http.ts';
import { answerLost, coded, noAnswer, limiterFor, priceMicros, rateLimited, type InboundMessage, type ProviderClient, type ProviderDeps, type TestResult } from './provider-client.ts';
import { isDialable } from '../../../../shared/domain/phone.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** E.164 sender number, or… */
  from?: string;
  /** …a Messaging Service SID (MG…) that picks the sender. */
  messagingServiceSid?: string;
  /** E.164 WhatsApp sender: WhatsApp first, SMS after it. */
  whatsappFrom?: string;
  /** https://api.twilio.com unless a test server stands in. */
  baseUrl: string;
  /** Price per SMS segment in micro-units, used until Twilio reports the real price. */
  pricePerSegmentMicros?: number;
  currency?: string;
  ratePerSecond?: number;
  /** Read replies from the message list. */
  readReplies?: boolean;
}

const LABEL = 'Twilio';
/** Message statuses (Twilio's message resource). */
const DELIVERED = new Set(['delivered', 'read']);
const FAILED = new Set(['undelivered', 'failed', 'canceled']);

interface TwilioMessage {
  sid?: string;
  status?: string;
  num_segments?: string;
  price?: string | null;
  price_unit?: string | null;
  error_code?: number | null;
  error_message?: string | null;
  direction?: string;
  from?: string;
  to?: string;
  body?: string;
  date_created?: string;
  date_sent?: string | null;
}

function errorOf(answer: HttpAnswer): { code?: number; message: string } {
  const body = answer.json as { code?: unknown; message?: unknown } | undefined;
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${answer.status}`;
  return { ...(code !== undefined ? { code } : {}), message };
}

export function createTwilioClient(config: TwilioConfig, deps: ProviderDeps): ProviderClient {
  const limiter = limiterFor(config.ratePerSecond, deps);
  const base = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  const secrets = [config.authToken, auth];
  const words = (text: string) => redact(text, secrets);
  let repliesSince = deps.clock.now() - 24 * 3600_000;
  const seenReplies = new Set<string>();

  const costOf = (message: TwilioMessage, body: string) => {
    const segments = Number(message.num_segments) > 0 ? Number(message.num_segments) : smsSegments(body).segments;
    const reported = priceMicros(message.price ?? undefined);
    if (reported !== undefined && message.price_unit) return { micros: reported, currency: message.price_unit, segments, estimated: false };
    if (config.pricePerSegmentMicros !== undefined && config.currency) return { micros: config.pricePerSegmentMicros * segments, currency: config.currency, segments, estimated: true };
    return undefined;
  };

  function failure(answer: HttpAnswer, route: string, phone: string, more: boolean): SendOutcome {
    const { code, message } = errorOf(answer);
    const providerStatus = code !== undefined ? String(code) : String(answer.status);
    const detail = words(message);
    if (answer.status === 401 || code === 20003) return { status: 'failed', permanent: true, route, providerStatus, ...coded('provider.auth', { provider: LABEL, field: 'the Account SID and Auth Token' }) };
    if (answer.status === 429 || code === 20429) {
      const wait = retryAfterMs(answer.headers, deps.clock.now());
      return { status: 'failed', permanent: false, route, providerStatus: '429', ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...coded('provider.rateLimited', { provider: LABEL }) };
    }
    if (isTransientStatus(answer.status)) return { status: 'failed', permanent: false, route, providerStatus, ...coded('provider.unavailable', { provider: LABEL, detail }) };
    if (route === 'whatsapp') return { status: 'failed', permanent: true, route, providerStatus, nextRoute: more, ...coded('whatsapp.unavailable', { detail }) };
    if (code === 21211 || code === 21614) return { status: 'failed', permanent: true, route, providerStatus, ...coded('phone.invalid', { phone }) };
    if (code === 21610) return { status: 'failed', permanent: true, route, providerStatus, ...coded('phone.unsubscribed') };
    if (code === 21612 || code === 21408) return { status: 'failed', permanent: true, route, providerStatus, ...coded('phone.unreachable', { phone, detail }) };
    return { status: 'failed', permanent: true, route, providerStatus, nextRoute: more, ...coded('provider.rejected', { provider: LABEL, detail }) };
  }

  async function send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const phone = message.recipient.phone;
    if (!phone) return { status: 'notTried', route, ...coded('channel.noPhone') };
    if (!isDialable(phone)) return { status: 'notTried', route, ...coded('phone.invalid', { phone }) };
    const more = route === 'whatsapp';
    const form = new URLSearchParams();
    form.set('To', route === 'whatsapp' ? `whatsapp:${phone}` : phone);
    if (route === 'whatsapp') form.set('From', `whatsapp:${config.whatsappFrom}`);
    else if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
    else form.set('From', config.from ?? '');
    form.set('Body', message.subject && route !== 'sms' ? `${message.subject}\n${message.body}` : message.body);
    return rateLimited(limiter, LABEL, deps.clock, async () => {
      const result = await httpRequest({ method: 'POST', url: `${base}/Messages.json`, headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() }, signal);
      if (!result.ok) return noAnswer(LABEL, result, route, false);
      const { answer } = result;
      if (answer.status !== 201 && answer.status !== 200) return failure(answer, route, phone, more);
      const created = answer.json as TwilioMessage | undefined;
      // Twilio created the message (201): sending again would send it twice, even when its answer is unreadable.
      if (!created?.sid) return answerLost(LABEL, answer, route, 'accepted');
      const cost = costOf(created, message.body);
      return { status: 'accepted', route, providerMessageId: created.sid, providerStatus: created.status ?? 'queued', ...(cost ? { cost } : {}) };
    });
  }

  async function report(query: ReportQuery, signal?: AbortSignal): Promise<ReportOutcome> {
    const result = await httpRequest({ method: 'GET', url: `${base}/Messages/${encodeURIComponent(query.providerMessageId)}.json`, headers: { authorization: auth, accept: 'application/json' } }, signal);
    if (!result.ok) return { status: 'unknown', reason: result.reason };
    const { answer } = result;
    if (answer.status !== 200) {
      const wait = retryAfterMs(answer.headers, deps.clock.now());
      return { status: 'unknown', reason: words(errorOf(answer).message), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    const message = answer.json as TwilioMessage | undefined;
    const status = message?.status ?? 'unknown';
    const cost = message ? costOf(message, message.body ?? '') : undefined;
    const common = { route: query.route ?? 'sms', providerStatus: status, ...(cost && !cost.estimated ? { cost } : {}) };
    if (DELIVERED.has(status)) return { status: 'delivered', ...common };
    if (FAILED.has(status)) {
      const detail = [message?.error_code ? String(message.error_code) : undefined, message?.error_message ? words(message.error_message) : undefined].filter(Boolean).join(' ') || status;
      if (query.route === 'whatsapp') return { status: 'failed', ...common, nextRoute: true, ...coded('whatsapp.unavailable', { detail }) };
      return { status: 'failed', ...common, ...coded('provider.undelivered', { provider: LABEL, detail }) };
    }
    return { status: 'inFlight', ...common };
  }

  async function test(signal?: AbortSignal): Promise<TestResult> {
    const result = await httpRequest({ method: 'GET', url: `${base}.json`, headers: { authorization: auth, accept: 'application/json' } }, signal);
    if (!result.ok) return { ok: false, ...coded('provider.error', { detail: result.reason }) };
    if (result.answer.status === 401) return { ok: false, ...coded('provider.auth', { provider: LABEL, field: 'the Account SID and Auth Token' }) };
    if (result.answer.status !== 200) return { ok: false, ...coded('provider.rejected', { provider: LABEL, detail: words(errorOf(result.answer).message) }) };
    const account = result.answer.json as { friendly_name?: string; status?: string } | undefined;
    // Not "connected" on an answer nobody could read: a proxy's page or a reply cut off.
    if (account === undefined) return { ok: false, ...coded('provider.badAnswer', { provider: LABEL, detail: result.answer.broken ?? 'HTTP 200 without JSON' }) };
    return { ok: true, detail: `Connected to ${hostOf(config.baseUrl)} as "${account?.friendly_name ?? config.accountSid}" (${account?.status ?? 'active'}).` };
  }

  async function inbound(signal?: AbortSignal): Promise<InboundMessage[]> {
    const numbers = [config.from, config.whatsappFrom ? `whatsapp:${config.whatsappFrom}` : undefined].filter((n): n is string => !!n);
    const found: InboundMessage[] = [];
    const since = new Date(repliesSince).toISOString().slice(0, 10);
    let newest = repliesSince;
    for (const number of numbers) {
      const query = new URLSearchParams({ To: number, 'DateSent>': since, PageSize: '100' });
      const result = await httpRequest({ method: 'GET', url: `${base}/Messages.json?${query.toString()}`, headers: { authorization: auth, accept: 'application/json' } }, signal);
      if (!result.ok || result.answer.status !== 200) continue;
      const list = (result.answer.json as { messages?: TwilioMessage[] } | undefined)?.messages ?? [];
      for (const message of list) {
        if (typeof message.sid !== 'string' || message.direction !== 'inbound' || seenReplies.has(message.sid) || typeof message.body !== 'string') continue;
        const at = Date.parse(message.date_sent ?? message.date_created ?? '') || deps.clock.now();
        seenReplies.add(message.sid);
        newest = Math.max(newest, at);
        // As every provider's replies: a client's answer is a word or two; a novel is cut, not stored whole.
        found.push({ id: message.sid, fromPhone: String(message.from ?? '').replace(/^whatsapp:/, ''), text: message.body.slice(0, 2000), at, via: number.startsWith('whatsapp:') ? 'whatsapp' : 'sms' });
      }
    }
    // DateSent filters by day: keep asking from the day of the newest reply; the seen set drops repeats.
    repliesSince = newest;
    return found;
  }

  return {
    label: LABEL,
    idempotent: false,
    allRoutes: config.whatsappFrom ? ['whatsapp', 'sms'] : ['sms'],
    routes: () => (config.whatsappFrom ? ['whatsapp', 'sms'] : ['sms']),
    send,
    report,
    test,
    ...(config.readReplies ? { inbound } : {}),
  };
}
