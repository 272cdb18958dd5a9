/**
 * The one HTTP call every provider makes: a timeout, a size cap on the answer, JSON parsed when it is JSON, and a
 * result that tells a network failure (nothing came back) from an HTTP answer. Nothing here ever puts a URL, a header
 * or a body into a message: provider URLs carry secrets (Telegram's bot token is in the path), so errors name the
 * host only.
 */

import type * as NodeHttp from 'node:http';
import { createRequire } from 'node:module';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it was JSON. */
  json: unknown;
  /**
   * Why the body could not be read to its end (it broke off, never ended, or was too big); `text` is then empty.
   * The status came: when it is 2xx the provider took the request, and sending it again could deliver it twice.
   */
  broken?: string;
}

export type HttpResult =
  | { ok: true; answer: HttpAnswer }
  /**
   * No answer came. `requestSent`: the whole request had gone onto the connection first (a fresh one: no reused
   * socket the server may have closed), so the provider may have acted on it — sending again could send twice.
   */
  | { ok: false; reason: string; requestSent?: boolean };

const DEFAULT_TIMEOUT_MS = 20_000;
/** Provider answers are small; anything bigger is not an answer we can use (and must not fill memory). */
const MAX_ANSWER_BYTES = 1_000_000;
/** The longest wait a provider's Retry-After may impose: beyond it the header is a mistake, not a plan. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

const load = createRequire(import.meta.url);

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

function headersOf(incoming: NodeHttp.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * node:http rather than fetch, for one fact fetch does not tell: whether the whole request had gone out when the
 * connection failed. Redirects are not followed (a provider's API does not redirect; the 3xx is the answer).
 */
export function httpRequest(request: HttpRequest, signal?: AbortSignal): Promise<HttpResult> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const host = hostOf(request.url);
  const seconds = Math.round(timeoutMs / 100) / 10;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ ok: false, reason: `${host} could not be reached (the address is not a web address)` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve({ ok: false, reason: `${host} could not be reached (the address must start with https://)` });
  // fetch refused such an address; node:http would send it as a login. It is refused in the settings too.
  if (url.username || url.password) return Promise.resolve({ ok: false, reason: `${host} was not called: the address holds a user name or password` });
  if (signal?.aborted) return Promise.resolve({ ok: false, reason: 'sending was cancelled' });
  const body = request.body !== undefined ? Buffer.from(request.body, 'utf8') : undefined;
  const protocol = load(url.protocol === 'https:' ? 'node:https' : 'node:http') as typeof NodeHttp;
  return new Promise<HttpResult>((resolve) => {
    let settled = false;
    let requestSent = false;
    let responded = false;
    let timedOut = false;
    const settle = (result: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    // A fresh connection per call (agent: false): a reused one the server had closed would fail after the request
    // "went out", and look like a request the provider may have acted on.
    const outgoing = protocol.request(url, { method: request.method, headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent: false });
    const timer = setTimeout(() => {
      timedOut = true;
      outgoing.destroy(new Error('timeout'));
    }, timeoutMs);
    const onAbort = (): void => {
      outgoing.destroy(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('finish', () => {
      requestSent = true;
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (responded) return;
      if (timedOut) return settle({ ok: false, reason: `${host} did not answer within ${seconds} s`, requestSent });
      if (signal?.aborted) return settle({ ok: false, reason: 'sending was cancelled', requestSent });
      settle({ ok: false, reason: `${host} could not be reached${error.code ? ` (${error.code})` : ''}`, requestSent });
    });
    outgoing.on('response', (incoming) => {
      responded = true;
      const status = incoming.statusCode ?? 0;
      const headers = headersOf(incoming.headers);
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      const broken = (why: string): void =>
        settle({ ok: true, answer: { status, headers, text: '', json: undefined, broken: `${host} answered HTTP ${status}, but ${why}` } });
      incoming.on('error', () => undefined);
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          tooBig = true;
          incoming.destroy();
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text.trim() === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        settle({ ok: true, answer: { status, headers, text, json } });
      });
      incoming.on('close', () => {
        if (tooBig) broken('the answer is larger than 1 MB');
        else if (timedOut) broken(`the rest of its answer did not come within ${seconds} s`);
        else if (signal?.aborted) broken('reading its answer was cancelled');
        else broken('its answer broke off');
      });
    });
    outgoing.end(body);
  });
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3), at most a day. Nonsense is ignored;
 * an HTTP date always names its day or month, so a bare "-5" or "1.5" is not read as one.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/** A text safe to show or log: every secret replaced, trimmed to `max` characters. */
export function redact(text: string, secrets: readonly (string | undefined)[], max = 300): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('•••');
  }
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** Reads a dotted path ("data.items.0.id") out of parsed JSON. */
export function pathValue(json: unknown, path: string): unknown {
  if (!path) return json;
  let current: unknown = json;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, part) ? (current as Record<string, unknown>)[part] : undefined;
  }
  return current;
}

/** HTTP statuses a retry can cure: timeouts, rate limits and server trouble. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
