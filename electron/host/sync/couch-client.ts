/**
 * HTTP to the CouchDB endpoint, guarded: every request has a timeout and is aborted when sync stops; answers are
 * size-capped and parsed defensively; every failure becomes a `SyncError` with a stable code and a sentence that says
 * what to do. Consecutive failures back off exponentially (shared by all requests to the endpoint), and the endpoint's
 * health — offline since when, the last problem — is what the status indicator shows.
 */
import type { SyncErrorCode, SyncProblem } from '../../../shared/sync/sync-status.ts';
import type { Clock } from '../../../shared/time/clock.ts';

export class SyncError extends Error {
  readonly code: SyncErrorCode | 'sync.stopped';
  readonly status: number | undefined;
  /** How long the server asked the desk to wait (its Retry-After, bounded), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(code: SyncErrorCode | 'sync.stopped', message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The longest wait a Retry-After is obeyed for: a server (or a proxy) that says "a day" or "in 2099" must not park
 * sync for that long; after this the desk asks again, and waits again if told to.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** A Retry-After header — delay-seconds or an HTTP date — as a wait in ms, bounded; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const wait = /^\d+$/.test(value) ? Number(value) * 1_000 : Date.parse(value) - now;
  if (!Number.isFinite(wait)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, wait));
}

/**
 * A long-poll whose answer had begun (the endpoint is there and holds the request open) but had not ended by its
 * deadline: nothing new. CouchDB ends a long-poll itself after its `timeout`; servers that ignore it (PouchDB
 * Server, some proxies) keep it open, and counting that as a failure would back off every request to the endpoint
 * and show the desk as offline while it is not. A request that gets no answer at all still counts as a timeout.
 */
export class LongPollIdle extends Error {
  constructor() {
    super('The long-poll ended with nothing new.');
    this.name = 'LongPollIdle';
  }
}

export interface CouchAuth {
  username: string;
  password: string;
}

export interface EndpointHealthOptions {
  clock: Clock;
  /** Backoff after the first failure; doubles per failure up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onChange?: () => void;
  /** The clock the timers follow (default performance.now()): a wait counts by it and the wall clock both. */
  monotonic?: () => number;
}

/** Shared by every request to one endpoint: the backoff and what the status shows. */
export class EndpointHealth {
  readonly #options: EndpointHealthOptions;
  failures = 0;
  failingSince: number | undefined;
  lastSuccessAt: number | undefined;
  problem: SyncProblem | undefined;
  #lastFailure = { wall: 0, monotonic: 0 };
  /** No request before `ms` after `at`: the server's Retry-After (kept through other requests' successes). */
  #told: { at: { wall: number; monotonic: number }; ms: number } | undefined;
  readonly #monotonic: () => number;

  constructor(options: EndpointHealthOptions) {
    this.#options = options;
    this.#monotonic = options.monotonic ?? (() => performance.now());
  }

  /** When the server's Retry-After ends, by the wall clock. */
  get #notBefore(): number {
    return this.#told ? this.#told.at.wall + this.#told.ms : 0;
  }

  now(): number {
    return this.#options.clock.now();
  }

  /**
   * How long a request must still wait before it may go out. Counted by the wall clock and the monotonic clock both,
   * the shorter: a clock set back an hour after a failure held sync for that hour.
   */
  waitMs(): number {
    const now = { wall: this.#options.clock.now(), monotonic: this.#monotonic() };
    const left = (since: { wall: number; monotonic: number }, ms: number) => Math.max(0, Math.min(since.wall + ms - now.wall, since.monotonic + ms - now.monotonic));
    const told = this.#told ? left(this.#told.at, this.#told.ms) : 0;
    if (this.failures === 0) return told;
    const base = this.#options.baseBackoffMs ?? 500;
    const backoff = Math.min(this.#options.maxBackoffMs ?? 30_000, base * 2 ** Math.min(this.failures - 1, 16));
    return Math.max(told, left(this.#lastFailure, backoff));
  }

  success(): void {
    const changed = this.failures > 0 || this.lastSuccessAt === undefined;
    this.failures = 0;
    this.failingSince = undefined;
    this.problem = undefined;
    this.lastSuccessAt = this.#options.clock.now();
    if (changed) this.#options.onChange?.();
  }

  failure(error: SyncError): void {
    if (error.code === 'sync.stopped') return;
    const now = this.#options.clock.now();
    this.failures++;
    this.#lastFailure = { wall: now, monotonic: this.#monotonic() };
    this.failingSince ??= now;
    if (error.retryAfterMs !== undefined && now + error.retryAfterMs > this.#notBefore) this.#told = { at: this.#lastFailure, ms: error.retryAfterMs };
    const params: Record<string, string | number> = {};
    if (error.status) params.status = error.status;
    if (error.retryAfterMs !== undefined) params.retryAt = new Date(this.#notBefore).toISOString();
    const changed = this.problem?.code !== error.code || this.problem.message !== error.message || this.problem.params?.retryAt !== params.retryAt;
    this.problem = { code: error.code, message: error.message, ...(Object.keys(params).length > 0 ? { params } : {}) };
    if (changed) this.#options.onChange?.();
  }
}

export interface CouchClientOptions {
  /** Server root ending in "/". */
  endpoint: string;
  auth?: CouchAuth | undefined;
  health: EndpointHealth;
  /** Aborted when sync stops: every pending request ends at once. */
  signal: AbortSignal;
  timeoutMs?: number;
  /** Answers larger than this are refused (a hostile endpoint cannot exhaust memory). */
  maxBodyBytes?: number;
}

export interface CouchAnswer {
  status: number;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

export class CouchClient {
  readonly endpoint: string;
  readonly health: EndpointHealth;
  readonly #options: CouchClientOptions;
  readonly #authHeader: string | undefined;

  constructor(options: CouchClientOptions) {
    this.#options = options;
    this.endpoint = options.endpoint;
    this.health = options.health;
    this.#authHeader = options.auth ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`, 'utf8').toString('base64')}` : undefined;
  }

  /**
   * One request. Resolves with any status the caller says it expects (e.g. 404 or 409), parsed as JSON; throws a
   * `SyncError` for everything else. `backoff: false` skips the shared backoff wait (the connection test).
   */
  async request(path: string, init: { method?: string; body?: unknown; expect?: number[]; timeoutMs?: number; backoff?: boolean; raw?: boolean; longpoll?: boolean } = {}): Promise<CouchAnswer> {
    const url = path.startsWith('http') ? path : this.endpoint + path;
    if (init.backoff !== false) await this.#waitBackoff();
    try {
      const answer = await this.#send(url, init.method ?? 'GET', init.body, init.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS, init.raw === true, init.longpoll === true);
      const expected = init.expect ?? [];
      if ((answer.status >= 200 && answer.status < 300) || expected.includes(answer.status)) {
        this.health.success();
        return answer;
      }
      throw statusError(answer.status, answer.body, url, this.endpoint);
    } catch (error) {
      if (error instanceof LongPollIdle) throw error;
      const syncError = toSyncError(error, url, this.#options.signal);
      this.health.failure(syncError);
      throw syncError;
    }
  }

  #waitBackoff(): Promise<void> {
    return this.pause(this.health.waitMs());
  }

  /** Waits `wait` ms, or less when sync stops (then throws `sync.stopped`). */
  async pause(wait: number): Promise<void> {
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      timer.unref?.();
      this.#options.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
    if (this.#options.signal.aborted) throw new SyncError('sync.stopped', 'Sync stopped.');
  }

  async #send(url: string, method: string, body: unknown, timeoutMs: number, raw: boolean, longpoll: boolean): Promise<CouchAnswer> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([this.#options.signal, timeout]);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#authHeader) headers.authorization = this.#authHeader;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, signal, redirect: 'error', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    let text: string;
    try {
      text = await readCapped(response, this.#options.maxBodyBytes ?? DEFAULT_MAX_BODY);
    } catch (error) {
      if (longpoll && response.ok && timeout.aborted && !this.#options.signal.aborted) throw new LongPollIdle();
      throw error;
    }
    if (response.status === 429 || response.status === 503) throw busyError(response.status, retryAfterMs(response.headers.get('retry-after'), this.health.now()));
    if (raw) return { status: response.status, body: text };
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (response.status === 413) throw tooLargeError();
      if (response.status >= 500) throw new SyncError('sync.serverError', `The sync server had an internal error (HTTP ${response.status}); it retries by itself. If this lasts, check the server's log.`, response.status);
      throw new SyncError('sync.badResponse', `The sync endpoint answered something that is not CouchDB's JSON (HTTP ${response.status}). Check the address points at CouchDB, not a web page or proxy.`, response.status);
    }
    return { status: response.status, body: parsed };
  }
}

async function readCapped(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw new SyncError('sync.badResponse', `The sync endpoint sent an answer of ${declared} bytes, more than FrontDesk accepts (${max}).`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new SyncError('sync.badResponse', `The sync endpoint sent an answer larger than FrontDesk accepts (${max} bytes).`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function statusError(status: number, body: unknown, url: string, endpoint: string): SyncError {
  const reason = typeof (body as { reason?: unknown })?.reason === 'string' ? ((body as { reason: string }).reason).slice(0, 200) : '';
  const database = decodeURIComponent(url.slice(endpoint.length).split(/[/?]/)[0] ?? '');
  if (status === 401) return new SyncError('sync.unauthorized', 'The sync server refused the desk’s user name or password. Check them in Sync settings (or ask whoever runs the server to reset the desk user).', status);
  if (status === 403) return new SyncError('sync.forbidden', `The desk user may not use ${database || 'this database'} on the sync server. Ask whoever runs it to add the user to the database's members.`, status);
  if (status === 404 && database && !database.startsWith('_')) {
    return new SyncError('sync.databaseMissing', `The database ${database} does not exist on the sync server. Create the location's databases first (see the README: Sync).`, status);
  }
  if (status === 413) return tooLargeError();
  if (status >= 500) return new SyncError('sync.serverError', `The sync server had an internal error (HTTP ${status}${reason ? `: ${reason}` : ''}); it retries by itself. If this lasts, check the server's log.`, status);
  return new SyncError('sync.badResponse', `The sync server answered HTTP ${status}${reason ? ` (${reason})` : ''} where FrontDesk expected data.`, status);
}

/** The server (or a proxy) asks the desk to come back later: 503 Service Unavailable, 429 Too Many Requests. */
function busyError(status: number, wait: number | undefined): SyncError {
  const when = wait === undefined ? 'FrontDesk retries on its own schedule' : `FrontDesk waits ${Math.ceil(wait / 1_000)} s, as it asked, before the next request`;
  return new SyncError('sync.busy', `The sync server is busy or limits requests (HTTP ${status}); ${when}. If this lasts, ask whoever runs it.`, status, wait);
}

/** A proxy's HTML page or CouchDB's own JSON: either way a size limit on the server side, which only its admin can raise. */
function tooLargeError(): SyncError {
  return new SyncError('sync.tooLarge', 'The sync server (or a proxy in front of it) refuses FrontDesk\'s requests as too large (HTTP 413). Ask whoever runs it to raise the request size limit (CouchDB max_http_request_size, nginx client_max_body_size); the changes wait on this desk meanwhile.', 413);
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

export function toSyncError(error: unknown, url: string, stop?: AbortSignal): SyncError {
  if (error instanceof SyncError) return error;
  if (stop?.aborted) return new SyncError('sync.stopped', 'Sync stopped.');
  const host = safeHost(url);
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SyncError('sync.timeout', `The sync server at ${host} did not answer in time. Check the network; FrontDesk keeps retrying.`);
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code ?? '';
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST/i.test(code)) {
    // OpenSSL met a reply that is not TLS at all: plain http on this port, not a certificate problem.
    return new SyncError('sync.notHttps', `The sync server at ${host} does not speak https on this port (${code}); it answers plain http there. Check the address and the port (CouchDB's https port is usually 6984).`);
  }
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new SyncError('sync.tls', `The sync server's certificate for ${host} is not trusted (${code}). Install a valid certificate on the server, or check the address.`);
  }
  if (UNREACHABLE.has(code) || name === 'TypeError') {
    return new SyncError('sync.unreachable', `Cannot reach the sync server at ${host}${code ? ` (${code})` : ''}. The desk works offline meanwhile and syncs when the server is back.`);
  }
  return new SyncError('sync.badResponse', `Talking to the sync server at ${host} failed: ${(error as Error)?.message?.slice(0, 200) ?? String(error)}`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}
