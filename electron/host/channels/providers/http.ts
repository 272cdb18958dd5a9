/**
 * The one HTTP call every provider makes: a timeout, a size cap on the answer, JSON parsed when it is JSON, and a
 * result that tells a network failure (nothing came back) from an HTTP answer. Nothing here ever puts a URL, a header
 * or a body into a message: provider URLs carry secrets (Telegram's bot token is in the path), so errors name the
 * host only.
 */

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
   * The status came, so the provider took the request: sending it again could deliver the message twice.
   */
  broken?: string;
}

export type HttpResult = { ok: true; answer: HttpAnswer } | { ok: false; reason: string };

const DEFAULT_TIMEOUT_MS = 20_000;
/** Provider answers are small; anything bigger is not an answer we can use (and must not fill memory). */
const MAX_ANSWER_BYTES = 1_000_000;
/** The longest wait a provider's Retry-After may impose: beyond it the header is a mistake, not a plan. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new Error('the answer is larger than 1 MB');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function httpRequest(request: HttpRequest, signal?: AbortSignal): Promise<HttpResult> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const host = hostOf(request.url);
  const late = `${host} did not answer within ${Math.round(timeoutMs / 1000)} s`;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal: combined,
      redirect: 'error',
    });
  } catch (error) {
    if (timeout.aborted) return { ok: false, reason: late };
    if (signal?.aborted) return { ok: false, reason: 'sending was cancelled' };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: `${host} could not be reached${cause ? ` (${cause})` : ''}` };
  }
  let text: string;
  try {
    text = await readCapped(response);
  } catch (error) {
    const why = timeout.aborted
      ? `the rest of its answer did not come within ${Math.round(timeoutMs / 1000)} s`
      : signal?.aborted
        ? 'reading its answer was cancelled'
        : error instanceof Error && error.message.startsWith('the answer is larger')
          ? error.message
          : 'its answer broke off';
    return { ok: true, answer: { status: response.status, headers: response.headers, text: '', json: undefined, broken: `${host} answered HTTP ${response.status}, but ${why}` } };
  }
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { ok: true, answer: { status: response.status, headers: response.headers, text, json } };
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
