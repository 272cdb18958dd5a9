/**
 * Where the live feed of RxDB's CouchDB replication starts ("now"), through the fetch wrapper, against a scripted
 * loopback endpoint: never past the end of the checkpoint pull, whatever order a busy endpoint answers in, and not
 * later when the plugin asks "now" again after a failed poll. What the endpoint wrote in between must come down (a
 * desk whose first sync met a busy endpoint never got the salon's clients).
 */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth } from '../../../../electron/host/sync/couch-client.ts';
import { Quarantine } from '../../../../electron/host/sync/incoming.ts';
import { replicationFetch } from '../../../../electron/host/sync/replication-fetch.ts';
import { SetAside } from '../../../../electron/host/sync/set-aside.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';

/** The endpoint's documents, one per sequence number (1, 2, …). */
const written: { _id: string; _rev: string }[] = [];
/** Answers refused with 500 from now on: the database's info, or its long-poll. */
const failing = { info: false, longpoll: false };
/** The database's info is answered only when the test releases it. */
let holdInfo = false;
let releaseInfo: () => void = () => undefined;
let server: http.Server;
let base: string;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/db/') {
      const answer = () => (failing.info ? json(res, 500, { error: 'busy' }) : json(res, 200, { db_name: 'db', update_seq: String(written.length) }));
      if (!holdInfo) return answer();
      releaseInfo = answer;
      return;
    }
    if (url.pathname !== '/db/_changes') return json(res, 404, { error: 'not_found' });
    const longpoll = url.searchParams.get('feed') === 'longpoll';
    if (longpoll && failing.longpoll) return json(res, 500, { error: 'busy' });
    const since = Number(url.searchParams.get('since'));
    const results = written.map((doc, i) => ({ seq: String(i + 1), id: doc._id, changes: [{ rev: doc._rev }], doc })).slice(since);
    return json(res, 200, { results, last_seq: String(since + results.length) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  written.length = 0;
  failing.info = false;
  failing.longpoll = false;
  holdInfo = false;
});

function feed() {
  const health = new EndpointHealth({ clock: systemClock, baseBackoffMs: 0, maxBackoffMs: 0 });
  const client = new CouchClient({ endpoint: base, health, signal: new AbortController().signal, timeoutMs: 2_000 });
  const fetchFor = replicationFetch({
    client,
    collection: 'clients',
    database: 'clients',
    setAside: new SetAside({ dataDir: undefined, clock: systemClock, onChange: () => undefined }),
    describe: () => Promise.resolve(''),
    check: () => ({ ok: true }),
    quarantine: new Quarantine('/nonexistent', systemClock, () => undefined),
    longpollMs: 100,
    longpollGraceMs: 200,
  });
  const changes = async (feedKind: 'normal' | 'longpoll', since: string) => {
    const answer = await fetchFor(`${base}db/_changes?style=all_docs&feed=${feedKind}&since=${since}&include_docs=true&heartbeat=60000&limit=200`);
    return (await answer.json()) as { results: { id: string }[]; last_seq: string };
  };
  return { changes };
}

const writeClients = (...ids: string[]) => written.push(...ids.map((id) => ({ _id: id, _rev: '1-a' })));

describe('the live feed\'s "now"', () => {
  it('asked again after the first look at the sequence failed, starts where the checkpoint pull ended', async () => {
    const { changes } = feed();
    failing.info = true;
    await expect(changes('longpoll', 'now')).rejects.toThrow();
    failing.info = false;
    // RxDB's checkpoint pull finds the database empty; then the first desk's clients arrive.
    expect(await changes('normal', '0')).toEqual({ results: [], last_seq: '0' });
    writeClients('c0', 'c1', 'c2');
    const live = await changes('longpoll', 'now');
    expect(live.results.map((row) => row.id)).toEqual(['c0', 'c1', 'c2']);
  });

  it('answered after the checkpoint pull ended, starts where that pull ended', async () => {
    const { changes } = feed();
    // The endpoint answers the pull first, the first desk's clients land, then it answers the sequence.
    holdInfo = true;
    const live = changes('longpoll', 'now');
    expect(await changes('normal', '0')).toEqual({ results: [], last_seq: '0' });
    writeClients('c0', 'c1', 'c2');
    releaseInfo();
    expect((await live).results.map((row) => row.id)).toEqual(['c0', 'c1', 'c2']);
  });

  it('asked again after a failed poll, is where it stood the first time', async () => {
    const { changes } = feed();
    writeClients('c0');
    failing.longpoll = true;
    await expect(changes('longpoll', 'now')).rejects.toThrow();
    failing.longpoll = false;
    writeClients('c1', 'c2');
    const live = await changes('longpoll', 'now');
    expect(live.results.map((row) => row.id)).toEqual(['c1', 'c2']);
  });
});
