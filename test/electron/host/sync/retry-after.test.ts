/**
 * A sync server that is busy or limits requests answers 503 or 429 with Retry-After (seconds or an HTTP date). The
 * desk waits at least that long before its next request to the endpoint — whoever asks (RxDB's retries of every
 * collection ask again within 200 ms) — shows when it tries again, and bounds the wait: a silly value must not park
 * sync for days. A loopback server counts and times the requests.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth, MAX_RETRY_AFTER_MS, SyncError } from '../../../../electron/host/sync/couch-client.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';

let server: http.Server;
let base: string;
/** What the next answers say: a status and Retry-After for the next `busyFor` requests, then 200. */
let busy = { status: 503, retryAfter: '1', busyFor: 0 };
let arrivals: { at: number; status: number }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    const status = busy.busyFor > 0 ? busy.status : 200;
    if (busy.busyFor > 0) busy.busyFor--;
    arrivals.push({ at: Date.now(), status });
    res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/html', ...(status !== 200 ? { 'retry-after': busy.retryAfter } : {}) });
    res.end(status === 200 ? JSON.stringify({ db_name: 'db', update_seq: 1 }) : '<html>busy</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function desk() {
  const abort = new AbortController();
  const health = new EndpointHealth({ clock: systemClock, baseBackoffMs: 50, maxBackoffMs: 200 });
  const client = new CouchClient({ endpoint: base, health, signal: abort.signal, timeoutMs: 2_000 });
  return { abort, health, client };
}

/** Three callers asking again 20 ms after each failure, as RxDB's collections do, until one is answered. */
async function askUntilAnswered(client: CouchClient, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  let answered = false;
  await Promise.all(
    [0, 1, 2].map(async () => {
      while (!answered && Date.now() < until) {
        const ok = await client.request('db/').then(() => true, () => false);
        if (ok) answered = true;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
}

async function refusedOnce(client: CouchClient, answer: { status: number; retryAfter: string }): Promise<number> {
  busy = { ...answer, busyFor: 1 };
  arrivals = [];
  const failed = await client.request('db/').catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(SyncError);
  return arrivals[0]!.at;
}

describe('a server that says Retry-After', () => {
  it('in seconds (503): no request to the endpoint before then, the status says when, and a handful after', { timeout: 15_000 }, async () => {
    const { abort, health, client } = desk();
    const refusedAt = await refusedOnce(client, { status: 503, retryAfter: '2' });
    expect(health.problem).toMatchObject({ code: 'sync.busy', params: { status: 503 } });
    const retryAt = Date.parse(String(health.problem?.params?.retryAt));
    expect(retryAt - refusedAt).toBeGreaterThanOrEqual(1_900);
    expect(retryAt - refusedAt).toBeLessThanOrEqual(2_500);
    await askUntilAnswered(client, 6_000);
    const later = arrivals.slice(1);
    expect(later.length).toBeGreaterThan(0);
    // None earlier than asked (the header's wait runs from the answer's arrival, after the server's stamp).
    expect(Math.min(...later.map((a) => a.at)) - refusedAt).toBeGreaterThanOrEqual(2_000);
    // No hot loop: the three callers waited, then asked once each at most.
    expect(later.length).toBeLessThanOrEqual(3);
    expect(health.problem).toBeUndefined();
    abort.abort();
  });

  it('as an HTTP date (429): waits until then', { timeout: 15_000 }, async () => {
    const { abort, health, client } = desk();
    // HTTP dates count whole seconds: 3 s ahead is 2-3 s from now.
    const refusedAt = await refusedOnce(client, { status: 429, retryAfter: new Date(Date.now() + 3_000).toUTCString() });
    expect(health.problem?.code).toBe('sync.busy');
    await askUntilAnswered(client, 8_000);
    const later = arrivals.slice(1);
    expect(later.length).toBeGreaterThan(0);
    expect(Math.min(...later.map((a) => a.at)) - refusedAt).toBeGreaterThanOrEqual(1_900);
    expect(later.length).toBeLessThanOrEqual(3);
    abort.abort();
  });

  it('far ahead (a year, or 2100) waits at most ten minutes; an unreadable one falls back to the desk\'s own backoff', async () => {
    for (const retryAfter of ['31536000', 'Fri, 01 Jan 2100 00:00:00 GMT']) {
      const { abort, health, client } = desk();
      await refusedOnce(client, { status: 503, retryAfter });
      expect(health.waitMs()).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
      expect(health.waitMs()).toBeGreaterThan(MAX_RETRY_AFTER_MS - 5_000);
      abort.abort();
    }
    const { abort, health, client } = desk();
    await refusedOnce(client, { status: 503, retryAfter: 'later, please' });
    expect(health.waitMs()).toBeLessThanOrEqual(50);
    expect(health.problem?.params?.retryAt).toBeUndefined();
    abort.abort();
  });
});

describe('a clock set back after a failure', () => {
  it('holds the next request no longer than the backoff or the Retry-After asked (it held it for the hour the clock went back)', () => {
    // The wall clock goes back an hour twice; the monotonic clock, which the timers follow, does not.
    let now = Date.parse('2026-12-05T09:00:00Z');
    let monotonic = 1_000;
    const clock = { now: () => now };
    const health = new EndpointHealth({ clock, monotonic: () => monotonic, baseBackoffMs: 1_000, maxBackoffMs: 30_000 });
    health.failure(new SyncError('sync.unreachable', 'connection refused'));
    expect(health.waitMs()).toBe(1_000);
    now -= 60 * 60_000;
    expect(health.waitMs()).toBe(1_000);
    health.failure(new SyncError('sync.busy', 'busy', 503, 5_000));
    now -= 60 * 60_000;
    expect(health.waitMs()).toBe(5_000);
    // Time that really passes still counts.
    now += 3_000;
    monotonic += 3_000;
    expect(health.waitMs()).toBe(2_000);
  });
});
