/**
 * A generic HTTP SMS gateway, for the local aggregators a salon uses: the manager describes the request (URL, method,
 * headers, body template) and how to read the answer (where the message id is, what counts as success, where the error
 * text is), optionally a status URL for delivery reports, an inbound URL for replies, and an idempotency header.
 *
 * Templates take {{to}}, {{text}}, {{from}}, {{apiKey}}, {{idempotencyKey}} and, in the status URL, {{id}}; each is
 * escaped for where it stands (URL component, JSON string, form field, header value).
 */
import type { OutgoingMessage, ReportOutcome, ReportQuery, SendOutcome } from '../../../../shared/engine/provider.ts';
import { smsSegments } from '../../../../shared/notifications/templates/sms.ts';
import { hostOf, httpRequest, isTransientStatus, pathValue, redact, retryAfterMs, type HttpAnswer } from './http.ts';
import { answerLost, coded, noAnswer, limiterFor, rateLimited, type InboundMessage, type ProviderClient, type ProviderDeps, type TestResult } from './provider-client.ts';
import { isDialable } from '../../../../shared/domain/phone.ts';

export interface HttpSmsConfig {
  url: string;
  method: 'POST' | 'GET' | 'PUT';
  /** One "Name: value" per line. */
  headers: string;
  contentType: 'json' | 'form' | 'none';
  bodyTemplate: string;
  sender?: string;
  apiKey?: string;
  /** Dotted path of the message id in the JSON answer ("id", "messages.0.id"). */
  messageIdPath: string;
  /** Dotted path and accepted values of a success flag in the answer, when HTTP 2xx alone does not mean success. */
  successPath?: string;
  successValues?: string;
  /** Dotted path of the error text in the JSON answer. */
  errorPath?: string;
  /** HTTP statuses that mean "this message will never go" (default 400, 401, 403, 404, 422). */
  permanentStatuses?: readonly number[];
  statusUrl?: string;
  statusPath?: string;
  deliveredValues?: string;
  failedValues?: string;
  /** Header carrying the idempotency key: the gateway drops a repeated request, so a crashed send may be repeated. */
  idempotencyHeader?: string;
  inboundUrl?: string;
  inboundListPath?: string;
  inboundIdPath?: string;
  inboundFromPath?: string;
  inboundTextPath?: string;
  /** A URL that answers 2xx when the credentials are right (balance, account), for "Test connection". */
  testUrl?: string;
  pricePerSegmentMicros?: number;
  currency?: string;
  ratePerSecond?: number;
}

const LABEL = 'the SMS gateway';
const list = (text: string | undefined, fallback: string) => new Set((text ?? fallback).split(',').map((v) => v.trim().toLowerCase()).filter(Boolean));

type Escape = 'url' | 'json' | 'form' | 'header' | 'raw';

function escapeFor(value: string, how: Escape): string {
  switch (how) {
    case 'url':
    case 'form':
      return encodeURIComponent(value);
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    case 'header':
      return value.replace(/[\r\n]+/g, ' ');
    case 'raw':
      return value;
  }
}

export function fillTemplate(template: string, values: Record<string, string>, how: Escape): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? escapeFor(values[name]!, how) : whole));
}

export function parseHeaderLines(text: string, values: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!/^[A-Za-z0-9-]+$/.test(name)) continue;
    headers[name.toLowerCase()] = fillTemplate(line.slice(colon + 1).trim(), values, 'header');
  }
  return headers;
}

export function createHttpSmsClient(config: HttpSmsConfig, deps: ProviderDeps): ProviderClient {
  const limiter = limiterFor(config.ratePerSecond, deps);
  const permanent = new Set(config.permanentStatuses ?? [400, 401, 403, 404, 422]);
  const delivered = list(config.deliveredValues, 'delivered,delivrd');
  const failed = list(config.failedValues, 'failed,undelivered,rejected,expired,undeliv,rejectd');
  const words = (text: string) => redact(text, [config.apiKey]);
  let repliesSeen = new Set<string>();
  const idempotent = Boolean(config.idempotencyHeader) || /\{\{\s*idempotencyKey\s*\}\}/.test(config.bodyTemplate);

  function errorText(answer: HttpAnswer): string {
    const fromPath = config.errorPath ? pathValue(answer.json, config.errorPath) : undefined;
    if (typeof fromPath === 'string' && fromPath) return words(fromPath);
    const text = answer.text.trim();
    // A proxy's or load balancer's error page: its title says what happened; its markup would fill the log.
    if (text.startsWith('<')) {
      const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
      return words(`HTTP ${answer.status}${title ? ` (${title})` : ''}`);
    }
    return words(text || `HTTP ${answer.status}`);
  }

  async function send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const phone = message.recipient.phone;
    if (!phone) return { status: 'notTried', route, ...coded('channel.noPhone') };
    if (!isDialable(phone)) return { status: 'notTried', route, ...coded('phone.invalid', { phone }) };
    const values = { to: phone, text: message.body, from: config.sender ?? '', apiKey: config.apiKey ?? '', idempotencyKey: message.idempotencyKey };
    const headers = parseHeaderLines(config.headers, values);
    if (config.idempotencyHeader) headers[config.idempotencyHeader.toLowerCase()] = escapeFor(message.idempotencyKey, 'header');
    let body: string | undefined;
    if (config.method !== 'GET' && config.contentType !== 'none') {
      body = fillTemplate(config.bodyTemplate, values, config.contentType === 'json' ? 'json' : 'form');
      headers['content-type'] ??= config.contentType === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    } else if (config.method !== 'GET') body = fillTemplate(config.bodyTemplate, values, 'raw');
    const segments = smsSegments(message.body).segments;
    const cost = config.pricePerSegmentMicros !== undefined && config.currency ? { micros: config.pricePerSegmentMicros * segments, currency: config.currency, segments, estimated: true } : undefined;
    return rateLimited(limiter, LABEL, deps.clock, async () => {
      const result = await httpRequest({ method: config.method, url: fillTemplate(config.url, values, 'url'), headers, ...(body !== undefined ? { body } : {}) }, signal);
      if (!result.ok) return noAnswer(LABEL, result, route, idempotent);
      const { answer } = result;
      const status = String(answer.status);
      if (answer.status === 401 || answer.status === 403) return { status: 'failed', permanent: true, route, providerStatus: status, ...coded('provider.auth', { provider: LABEL, field: 'the API key' }) };
      if (answer.status === 429) {
        const wait = retryAfterMs(answer.headers, deps.clock.now());
        return { status: 'failed', permanent: false, route, providerStatus: '429', ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...coded('provider.rateLimited', { provider: LABEL }) };
      }
      if (answer.status < 200 || answer.status > 299) {
        const isPermanent = permanent.has(answer.status) || !isTransientStatus(answer.status);
        const wait = retryAfterMs(answer.headers, deps.clock.now());
        return { status: 'failed', permanent: isPermanent, route, providerStatus: status, ...(wait !== undefined && !isPermanent ? { retryAfterMs: wait } : {}), ...coded(isPermanent ? 'provider.rejected' : 'provider.unavailable', { provider: LABEL, detail: errorText(answer) }) };
      }
      if (answer.broken) return answerLost(LABEL, answer, route, 'delivered');
      if (config.successPath) {
        const flag = String(pathValue(answer.json, config.successPath) ?? '').toLowerCase();
        if (!list(config.successValues, 'ok,true,success').has(flag)) return { status: 'failed', permanent: true, route, providerStatus: flag || status, ...coded('provider.rejected', { provider: LABEL, detail: errorText(answer) }) };
      }
      const id = pathValue(answer.json, config.messageIdPath);
      const messageId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
      if (config.statusUrl && messageId) return { status: 'accepted', route, providerMessageId: messageId, providerStatus: 'accepted', ...(cost ? { cost } : {}) };
      // Without a status URL the gateway's acceptance is the last word we get.
      return { status: 'delivered', route, ...(messageId ? { providerMessageId: messageId } : {}), providerStatus: 'accepted', detail: `Accepted by ${hostOf(config.url)}`, ...(cost ? { cost } : {}) };
    });
  }

  async function report(query: ReportQuery, signal?: AbortSignal): Promise<ReportOutcome> {
    if (!config.statusUrl) return { status: 'unknown', reason: 'no status URL is set' };
    const values = { id: query.providerMessageId, apiKey: config.apiKey ?? '' };
    const result = await httpRequest({ method: 'GET', url: fillTemplate(config.statusUrl, values, 'url'), headers: parseHeaderLines(config.headers, values) }, signal);
    if (!result.ok) return { status: 'unknown', reason: result.reason };
    const { answer } = result;
    if (answer.status < 200 || answer.status > 299) {
      const wait = retryAfterMs(answer.headers, deps.clock.now());
      return { status: 'unknown', reason: errorText(answer), ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    const raw = pathValue(answer.json, config.statusPath ?? 'status');
    const status = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : 'unknown';
    const key = status.toLowerCase();
    if (delivered.has(key)) return { status: 'delivered', route: query.route ?? 'sms', providerStatus: status };
    if (failed.has(key)) return { status: 'failed', route: query.route ?? 'sms', providerStatus: status, ...coded('provider.undelivered', { provider: LABEL, detail: config.errorPath ? errorText(answer) : status }) };
    return { status: 'inFlight', route: query.route ?? 'sms', providerStatus: status };
  }

  async function test(signal?: AbortSignal): Promise<TestResult> {
    if (!config.testUrl) return { ok: true, detail: 'No test URL is set: use "Send a test message" to check the gateway.' };
    const values = { apiKey: config.apiKey ?? '' };
    const result = await httpRequest({ method: 'GET', url: fillTemplate(config.testUrl, values, 'url'), headers: parseHeaderLines(config.headers, values) }, signal);
    if (!result.ok) return { ok: false, ...coded('provider.error', { detail: result.reason }) };
    if (result.answer.status === 401 || result.answer.status === 403) return { ok: false, ...coded('provider.auth', { provider: LABEL, field: 'the API key' }) };
    if (result.answer.status < 200 || result.answer.status > 299) return { ok: false, ...coded('provider.rejected', { provider: LABEL, detail: errorText(result.answer) }) };
    return { ok: true, detail: `Connected to ${hostOf(config.testUrl)}.` };
  }

  async function inbound(signal?: AbortSignal): Promise<InboundMessage[]> {
    if (!config.inboundUrl) return [];
    const values = { apiKey: config.apiKey ?? '' };
    const result = await httpRequest({ method: 'GET', url: fillTemplate(config.inboundUrl, values, 'url'), headers: parseHeaderLines(config.headers, values) }, signal);
    if (!result.ok || result.answer.status < 200 || result.answer.status > 299) return [];
    const items = pathValue(result.answer.json, config.inboundListPath ?? '');
    if (!Array.isArray(items)) return [];
    const found: InboundMessage[] = [];
    const seen = new Set<string>();
    for (const item of items.slice(0, 500)) {
      const id = pathValue(item, config.inboundIdPath ?? 'id');
      const from = pathValue(item, config.inboundFromPath ?? 'from');
      const text = pathValue(item, config.inboundTextPath ?? 'text');
      if ((typeof id !== 'string' && typeof id !== 'number') || typeof from !== 'string' || typeof text !== 'string') continue;
      seen.add(String(id));
      if (repliesSeen.has(String(id))) continue;
      found.push({ id: String(id), fromPhone: from, text: text.slice(0, 2000), at: deps.clock.now(), via: 'sms' });
    }
    // The gateway's list is what it still holds: remember exactly that, so the set does not grow for ever.
    repliesSeen = seen;
    return found;
  }

  return {
    label: LABEL,
    idempotent,
    allRoutes: ['sms'],
    routes: () => ['sms'],
    send,
    ...(config.statusUrl ? { report } : {}),
    test,
    ...(config.inboundUrl ? { inbound } : {}),
  };
}
