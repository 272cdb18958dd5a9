/**
 * A `_changes` answer the endpoint wrote before this desk's push landed, and that reached the desk after it, must not
 * be applied: RxDB would write the older version over the desk's newer one (a delivered toast job back to `planned`,
 * shown again). Against a real CouchDB-compatible server behind a loopback proxy that holds the long-poll's answer
 * until the push is done — the order seen in the multi-desk toast test under load.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth } from '../../../../electron/host/sync/couch-client.ts';
import { Quarantine } from '../../../../electron/host/sync/incoming.ts';
import { replicationFetch } from '../../../../electron/host/sync/replication-fetch.ts';
import { SetAside } from '../../../../electron/host/sync/set-aside.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';

const DB = 'fd-stale-clients';

let couch: CouchTestServer;
let proxy: http.Server;
let base: string;
interface Hold {
  /** The request it matches. */
  matches: (url: string) => boolean;
  /** Resolves when the server has answered and the answer is held. */
  reached: Promise<void>;
  reach: () => void;
  release: () => void;
  released: Promise<void>;
}
const holds: Hold[] = [];

/** The next request matching is passed to the server at once, but its answer reaches the desk only on `release`. */
function holdNext(matches: (url: string) => boolean): Hold {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const hold = { matches, reached, reach, release, released };
  holds.push(hold);
  return hold;
}

beforeAll(async () => {
  couch = await startCouchServer();
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
        const answer = await fetch(new URL(req.url ?? '/', couch.url), { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
        const body = Buffer.from(await answer.arrayBuffer());
        const hold = holds.find((h) => h.matches(req.url ?? ''));
        if (hold) {
          holds.splice(holds.indexOf(hold), 1);
          hold.reach();
          await hold.released;
        }
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await couch.close();
});

function desk() {
  const health = new EndpointHealth({ clock: systemClock, baseBackoffMs: 100, maxBackoffMs: 1_000 });
  const client = new CouchClient({ endpoint: base, auth: couch.admin, health, signal: new AbortController().signal, timeoutMs: 5_000 });
  const fetchFor = replicationFetch({
    client,
    collection: 'clients',
    database: DB,
    setAside: new SetAside({ dataDir: undefined, clock: systemClock, onChange: () => undefined }),
    describe: () => Promise.resolve(''),
    check: () => ({ ok: true }),
    quarantine: new Quarantine('/nonexistent', systemClock, () => undefined),
    longpollMs: 5_000,
  });
  const json = async <T>(path: string, init?: { method: string; body: string }): Promise<T> => (await (await fetchFor(base + path, init)).json()) as T;
  const push = (docs: object[]) => json<{ id: string; ok?: boolean; rev?: string }[]>(`${DB}/_bulk_docs`, { method: 'POST', body: JSON.stringify({ docs }) });
  const poll = (since: string | number) => json<{ results: { id: string; doc: { _id: string; _rev: string; name: string } }[]; last_seq: string | number }>(`${DB}/_changes?style=all_docs&feed=longpoll&since=${since}&include_docs=true&limit=200`);
  return { client, push, poll };
}

describe('a long-poll answer older than the desk’s own push', () => {
  it('is left out for that document, and the feed then brings the push itself', async () => {
    const { client, push, poll } = desk();
    await client.request(DB, { method: 'PUT', expect: [201] });
    const [first] = await push([{ _id: 'd1', name: 'planned' }]);
    expect(first?.rev).toMatch(/^1-/);
    // Another desk's document, never pushed here: an ordinary change that must come through.
    const other = await client.request(`${DB}/d2`, { method: 'PUT', body: { name: 'from another desk' }, expect: [201] });
    expect(other.status).toBe(201);

    const held = holdNext((url) => url.includes('feed=longpoll'));
    const stale = poll(0);
    await held.reached;
    // The server has answered with d1 at revision 1; before that answer arrives, the desk pushes revision 2.
    const [second] = await push([{ _id: 'd1', _rev: first!.rev, name: 'delivered' }]);
    expect(second?.rev).toMatch(/^2-/);
    held.release();
    const answer = await stale;

    expect(answer.results.map((row) => [row.id, row.doc.name])).toEqual([['d2', 'from another desk']]);
    const next = await poll(answer.last_seq);
    expect(next.results.map((row) => [row.id, row.doc._rev.split('-')[0], row.doc.name])).toEqual([['d1', '2', 'delivered']]);
  });

  it('waits for a push still under way before judging an answer that names its document', async () => {
    const { client, push, poll } = desk();
    const before = (await client.request(`${DB}/d1`)).body as { _rev: string };
    const seq = ((await client.request(DB)).body as { update_seq: string | number }).update_seq;
    await client.request(`${DB}/d1`, { method: 'PUT', body: { _rev: before._rev, name: 'sending' }, expect: [201] });
    const current = (await client.request(`${DB}/d1`)).body as { _rev: string };
    // The long-poll's answer (d1 'sending') is held; then the push of 'delivered' lands on the server, but its answer
    // is held too and reaches the desk only after the long-poll's.
    const heldPoll = holdNext((url) => url.includes('feed=longpoll'));
    const stale = poll(seq);
    await heldPoll.reached;
    const heldPush = holdNext((url) => url.includes('_bulk_docs'));
    const pushing = push([{ _id: 'd1', _rev: current._rev, name: 'delivered' }]);
    await heldPush.reached;
    let judged = false;
    void stale.then(() => (judged = true));
    heldPoll.release();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(judged).toBe(false);
    heldPush.release();
    const [pushed] = await pushing;
    expect(pushed?.ok).toBe(true);
    expect((await stale).results.map((row) => row.id)).toEqual([]);
  });

  it('passes a document’s newer version, also after the push was caught up with', async () => {
    const { client, push, poll } = desk();
    const current = (await client.request(`${DB}/d1`)).body as { _rev: string };
    const [mine] = await push([{ _id: 'd1', _rev: current._rev, name: 'mine' }]);
    const seq = ((await client.request(DB)).body as { update_seq: string | number }).update_seq;
    // Another desk edits it after this desk's push: a higher revision, applied.
    await client.request(`${DB}/d1`, { method: 'PUT', body: { _rev: mine!.rev, name: 'theirs' }, expect: [201] });
    const answer = await poll(seq);
    expect(answer.results.map((row) => [row.id, row.doc.name])).toEqual([['d1', 'theirs']]);
  });
});
