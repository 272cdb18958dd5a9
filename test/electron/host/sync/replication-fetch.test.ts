/**
 * The long-poll of RxDB's CouchDB replication, through the fetch wrapper, against a loopback server that holds a
 * long-poll open past its `timeout` the way PouchDB Server does (headers and the start of the answer, then nothing):
 * that is "nothing new", not a failure — no backoff for the endpoint's other requests, no "offline" in the status —
 * and the next poll resumes at the sequence the plugin's "now" stood for. A server that sends no answer at all still
 * counts as a timeout.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth, SyncError } from '../../../../electron/host/sync/couch-client.ts';
import { Quarantine } from '../../../../electron/host/sync/incoming.ts';
import { replicationFetch } from '../../../../electron/host/sync/replication-fetch.ts';
import { SetAside } from '../../../../electron/host/sync/set-aside.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';

const asked: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/db/' || url.pathname === '/db') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ db_name: 'db', update_seq: 7 }));
    } else if (url.pathname === '/db/_changes') {
      // PouchDB Server's long-poll: the answer begins at once and ends only when something changes.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"results":[\n');
    } else if (url.pathname === '/paged/_changes') {
      // A server that ignores the page size asked for (CouchDB never does).
      const rows = Array.from({ length: 250 }, (_, i) => ({ seq: i + 1, id: `d${i}`, changes: [{ rev: '1-a' }], doc: { _id: `d${i}`, _rev: '1-a' } }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: rows, last_seq: 250 }));
    } else if (url.pathname === '/full/_bulk_docs') {
      // A proxy's size limit: every push refused, with its HTML page.
      req.resume();
      res.writeHead(413, { 'content-type': 'text/html' });
      res.end('<html><body>413 Request Entity Too Large</body></html>');
    } else if (url.pathname === '/deny/_bulk_docs') {
      // Rules that forbid this desk's writes altogether: every document refused in the answer.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const docs = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { docs: { _id: string }[] }).docs;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(docs.map((doc) => ({ id: doc._id, error: 'forbidden', reason: 'only admins may write' }))));
      });
    } else if (url.pathname === '/flaky/_bulk_docs') {
      // A server in trouble: one document's write failed, not refused for what it is.
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ id: 'a', ok: true, rev: '1-a' }, { id: 'b', error: 'unknown_error', reason: 'timeout' }]));
    } else if (url.pathname === '/full/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ db_name: 'full', update_seq: 1 }));
    } else if (url.pathname === '/ghost/_all_docs') {
      // The re-read after a push the endpoint answered "conflict" for: it has no version at all.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ total_rows: 0, rows: [{ key: 'a', error: 'not_found' }] }));
    } else if (url.pathname === '/silent/_changes') {
      // No answer at all: a dead connection.
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function setUp(backoff: { endpointMs: number; collectionMs?: number } = { endpointMs: 10_000 }) {
  const health = new EndpointHealth({ clock: systemClock, baseBackoffMs: backoff.endpointMs, maxBackoffMs: backoff.endpointMs });
  const client = new CouchClient({ endpoint: base, health, signal: new AbortController().signal, timeoutMs: 2_000 });
  const setAside = new SetAside({ dataDir: undefined, clock: systemClock, onChange: () => undefined, retryMs: 100, maxRetryMs: 1_000 });
  const fetchFor = replicationFetch({
    client,
    collection: 'clients',
    database: 'full',
    setAside,
    describe: (doc) => Promise.resolve(`client ${String(doc._id)}`),
    check: () => ({ ok: true }),
    quarantine: new Quarantine('/nonexistent', systemClock, () => undefined),
    longpollMs: 100,
    longpollGraceMs: 200,
    ...(backoff.collectionMs !== undefined ? { baseBackoffMs: backoff.collectionMs, maxBackoffMs: 10 * backoff.collectionMs } : {}),
  });
  return { health, fetchFor, setAside };
}

describe('the live long-poll', () => {
  it('held open past its timeout means nothing new: no failure, and "now" is pinned to the database sequence', async () => {
    const { health, fetchFor } = setUp();
    asked.length = 0;
    const answer = await fetchFor(`${base}db/_changes?style=all_docs&feed=longpoll&since=now&include_docs=true&heartbeat=60000&limit=200`);
    expect(await answer.json()).toEqual({ results: [], last_seq: '7' });
    const poll = new URL(asked.find((u) => u.startsWith('/db/_changes'))!, 'http://x');
    expect(poll.searchParams.get('since')).toBe('7');
    expect(poll.searchParams.get('timeout')).toBe('100');
    expect(poll.searchParams.has('heartbeat')).toBe(false);
    expect(health.failures).toBe(0);
    expect(health.problem).toBeUndefined();
    expect(health.waitMs()).toBe(0);
  });

  it('with no answer at all is a timeout the status shows, and later requests back off', async () => {
    const { health, fetchFor } = setUp();
    const failed = await fetchFor(`${base}silent/_changes?feed=longpoll&since=3&include_docs=true`).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SyncError);
    expect((failed as SyncError).code).toBe('sync.timeout');
    expect(health.failures).toBe(1);
    expect(health.problem?.code).toBe('sync.timeout');
    expect(health.waitMs()).toBeGreaterThan(0);
  });
});

describe('a _changes answer', () => {
  it('with more rows than the page asked for is refused: the status names it and requests back off', async () => {
    const { health, fetchFor } = setUp();
    expect(((await (await fetchFor(`${base}paged/_changes?style=all_docs&feed=normal&since=0&include_docs=true&limit=300`)).json()) as { results: unknown[] }).results).toHaveLength(250);
    const failed = await fetchFor(`${base}paged/_changes?style=all_docs&feed=normal&since=0&include_docs=true&limit=200`).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(SyncError);
    expect((failed as SyncError).message).toMatch(/250 changes where FrontDesk asked for at most 200/);
    expect(health.problem?.code).toBe('sync.badResponse');
    expect(health.waitMs()).toBeGreaterThan(0);
  });
});

describe('a push the endpoint refuses every time', () => {
  it('as too large (413) sets the document aside: the push goes on, the status names it, and it is sent again less and less often', async () => {
    const { health, fetchFor, setAside } = setUp({ endpointMs: 1, collectionMs: 100 });
    const push = { method: 'POST', body: JSON.stringify({ docs: [{ _id: 'a' }], new_edits: true }) };
    asked.length = 0;
    const answer = await fetchFor(`${base}full/_bulk_docs`, push);
    // Reported written, so that RxDB's push goes on with the collection's next changes.
    expect(await answer.json()).toEqual([{ id: 'a', ok: true }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(setAside.list(new Set(['full']))).toEqual([expect.objectContaining({ collection: 'clients', id: 'a', description: 'client a', code: 'sync.setAside.tooLarge' })]);
    // The feed's requests go on meanwhile; each may send the document again once its wait is over.
    const started = Date.now();
    while (Date.now() - started < 1_000) {
      await fetchFor(`${base}full/`);
      expect(health.waitMs()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Waits of 100, 200 and 400 ms: three more tries within the second, not one per request.
    const pushes = asked.filter((url) => url.startsWith('/full/_bulk_docs')).length;
    expect(pushes).toBeGreaterThanOrEqual(3);
    expect(pushes).toBeLessThanOrEqual(4);
    expect(setAside.count).toBe(1);
  });

  it('for every document (rules that forbid the desk\'s writes) fails the push as before, instead of setting the whole collection aside', async () => {
    const { health, fetchFor, setAside } = setUp({ endpointMs: 1 });
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: `d${i}` }));
    const failed = await fetchFor(`${base}deny/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs, new_edits: true }) }).catch((error: unknown) => error);
    expect((failed as SyncError).code).toBe('sync.forbidden');
    expect((failed as SyncError).message).toMatch(/60 in one write: the sync server's rules refuse it: only admins may write/);
    expect(health.problem?.code).toBe('sync.forbidden');
    expect(setAside.count).toBe(0);
  });

  it('with an error that is not about the document (a server in trouble) is passed on as before: nothing set aside', async () => {
    const { fetchFor, setAside } = setUp({ endpointMs: 1 });
    const answer = await fetchFor(`${base}flaky/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs: [{ _id: 'a' }, { _id: 'b' }] }) });
    // RxDB's plugin fails the batch on the second row and sends it again.
    expect(await answer.json()).toEqual([{ id: 'a', ok: true, rev: '1-a' }, { id: 'b', error: 'unknown_error', reason: 'timeout' }]);
    expect(setAside.count).toBe(0);
  });

  it('as a conflict with no version on the endpoint says so, instead of pointing at the quarantine', async () => {
    const { fetchFor } = setUp({ endpointMs: 1 });
    const failed = await fetchFor(`${base}ghost/_all_docs?keys=${encodeURIComponent('["a"]')}&include_docs=true`).catch((error: unknown) => error);
    expect((failed as SyncError).message).toMatch(/as a conflict but holds no version of it/);
  });
});
