/**
 * One document the endpoint cannot take must not stall the rest of its collection. A proxy on loopback in front of the
 * CouchDB-compatible server refuses one client as too large (413 for any write that carries it, as a body limit does)
 * and, later, one appointment as its rules forbid (a per-document `forbidden` in the `_bulk_docs` answer, as a
 * validate_doc_update does). The desk's later changes of the collection reach the server meanwhile, the status names
 * the refused document in the manager's words and why, the desk keeps its version — and once the endpoint takes it,
 * the document arrives.
 */
import http from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { databaseName } from '../../../../shared/sync/sync-config.ts';
import type { SyncStatus } from '../../../../shared/sync/sync-status.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { HOUR, LOCATION_ID, appointment, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

const PREFIX = 'fd-refused';
let server: CouchTestServer;
let proxy: http.Server;
let proxyUrl: string;
/** Documents the proxy refuses, by id: as too large (the whole write) or as forbidden (that document's row). */
const refuse = new Map<string, 'tooLarge' | 'forbidden'>();
let refusals = 0;
let dataDir: string;
let host: FrontDeskHost;

function forward(req: http.IncomingMessage, res: http.ServerResponse, body?: Buffer, edit?: (answer: unknown) => unknown): void {
  const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const upstream = http.request({ host: '127.0.0.1', port: server.port, path: req.url, method: req.method, headers }, (answer) => {
    if (!edit) {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('end', () => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
      res.end(JSON.stringify(edit(JSON.parse(Buffer.concat(chunks).toString('utf8')))));
    });
  });
  upstream.on('error', () => res.destroy());
  if (body) upstream.end(body);
  else req.pipe(upstream);
}

function startProxy(): Promise<void> {
  proxy = http.createServer((req, res) => {
    if (req.method !== 'POST' || !req.url!.includes('/_bulk_docs')) return forward(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { docs: { _id: string }[] };
      const refused = request.docs.filter((doc) => refuse.has(doc._id));
      if (refused.some((doc) => refuse.get(doc._id) === 'tooLarge')) {
        refusals++;
        res.writeHead(413, { 'content-type': 'text/html' });
        res.end('<html><body>413 Request Entity Too Large</body></html>');
        return;
      }
      if (refused.length === 0) return forward(req, res, Buffer.concat(chunks));
      refusals++;
      const rest = Buffer.from(JSON.stringify({ ...request, docs: request.docs.filter((doc) => !refuse.has(doc._id)) }));
      forward(req, res, rest, (answer) => [...(answer as unknown[]), ...refused.map((doc) => ({ id: doc._id, error: 'forbidden', reason: 'appointments may not carry more than 200 history entries' }))]);
    });
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => {
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
      resolve();
    }),
  );
}

async function status(): Promise<SyncStatus> {
  const result = await host.api.call('sync.status', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SyncStatus;
}

/** The server's own copy, asked directly (not through the proxy). */
async function onServer(collection: 'clients' | 'appointments', id: string): Promise<Record<string, unknown> | undefined> {
  const auth = Buffer.from(`${server.admin.username}:${server.admin.password}`).toString('base64');
  const answer = await fetch(`${server.url}${databaseName(PREFIX, collection)}/${encodeURIComponent(id)}`, { headers: { authorization: `Basic ${auth}` } });
  return answer.status === 200 ? ((await answer.json()) as Record<string, unknown>) : undefined;
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }] });
  await startProxy();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-refused-'));
  host = new FrontDeskHost({
    dataDir,
    mode: 'web',
    version: 'test',
    storage: getRxStorageMemory() as unknown as RxStorage<unknown, unknown>,
    syncTuning: { leaseTtlMs: 3_000, longpollMs: 500, retryMs: 200, baseBackoffMs: 50, maxBackoffMs: 300, requestTimeoutMs: 2_000, setAsideRetryMs: 300 },
  });
  await host.start();
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c0', now)] });
  const saved = await host.api.call('sync.save', { enabled: true, endpoint: proxyUrl, username: 'desk-a', password: 'pw-a', deskName: 'Desk A', onlyDesk: false, allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }] });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
  await waitUntil(async () => ((await status()).phase === 'upToDate' ? true : undefined), 20_000, async () => JSON.stringify(await status()));
}, 60_000);

afterAll(async () => {
  await host?.stop();
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Another desk's edit, written straight to the server over its current revision. */
async function editOnServer(collection: 'clients', id: string, change: Record<string, unknown>): Promise<void> {
  const current = await onServer(collection, id);
  const auth = Buffer.from(`${server.admin.username}:${server.admin.password}`).toString('base64');
  const answer = await fetch(`${server.url}${databaseName(PREFIX, collection)}/${encodeURIComponent(id)}`, { method: 'PUT', headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...current, ...change }) });
  expect(answer.status).toBe(201);
}

describe('a document the endpoint refuses', () => {
  it('as too large (413) is set aside: the collection\'s other changes reach the server, the status names it, and it arrives once the endpoint takes it', { timeout: 60_000 }, async () => {
    const db = host.runtime.db;
    const now = Date.now();
    refuse.set('c-big', 'tooLarge');
    // One write with the refused client among others, then later changes of the same collection.
    const inserted = await db.clients.bulkInsert([salonClient('c-big', now, { firstName: 'Bella', lastName: 'Big', notes: 'x'.repeat(2_000) }), salonClient('c1', now)]);
    expect(inserted.error).toEqual([]);
    await db.clients.insert(salonClient('c2', now));
    await waitUntil(async () => ((await onServer('clients', 'c1')) && (await onServer('clients', 'c2')) ? true : undefined), 20_000, async () => `refused ${refusals} times; ${JSON.stringify(await status())}`);
    expect(await onServer('clients', 'c-big')).toBeUndefined();
    const shown = await waitUntil(async () => (await status()).setAside.find((entry) => entry.id === 'c-big' && entry.description === 'Bella Big'), 10_000, async () => JSON.stringify(await status()));
    expect(shown).toMatchObject({ collection: 'clients', code: 'sync.setAside.tooLarge' });
    // The badge says so too, once the endpoint's own answers are fine again.
    await waitUntil(async () => ((await status()).locations[0]?.problem?.code === 'sync.documentsRefused' ? true : undefined), 10_000, async () => JSON.stringify(await status()));
    // A restart must not forget that the endpoint never took it.
    expect(JSON.parse(await readFile(path.join(dataDir, 'sync-set-aside.json'), 'utf8'))).toEqual([expect.objectContaining({ doc: expect.objectContaining({ _id: 'c-big', lastName: 'Big' }) })]);
    // Kept here all along.
    expect((await db.clients.findOne('c-big').exec())?.lastName).toBe('Big');
    // Sent again after its wait, not once per request: a few tries in a second, not hundreds.
    const before = refusals;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(refusals - before).toBeLessThanOrEqual(4);

    refuse.delete('c-big');
    await waitUntil(async () => ((await onServer('clients', 'c-big'))?.lastName === 'Big' ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    await waitUntil(async () => ((await status()).setAside.length === 0 ? true : undefined), 10_000, async () => JSON.stringify(await status()));
    await waitUntil(async () => ((await status()).locations[0]?.problem === undefined ? true : undefined), 10_000, async () => JSON.stringify(await status()));
  });

  it('keeps the desk\'s version while another desk edits it, and once taken both edits are merged (the refused version\'s base from the endpoint)', { timeout: 60_000 }, async () => {
    const db = host.runtime.db;
    await db.clients.insert(salonClient('c-both', Date.now()));
    await waitUntil(async () => ((await onServer('clients', 'c-both')) ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    refuse.set('c-both', 'forbidden');
    await (await db.clients.findOne('c-both').exec())!.incrementalPatch({ lastName: 'Renamed here' });
    await waitUntil(async () => (await status()).setAside.find((entry) => entry.id === 'c-both'), 10_000, async () => JSON.stringify(await status()));
    await editOnServer('clients', 'c-both', { phone: '+4917699999999' });
    // The peer's edit comes down the feed, but is not written over the desk's refused version.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await db.clients.findOne('c-both').exec())?.lastName).toBe('Renamed here');

    refuse.delete('c-both');
    await waitUntil(async () => {
      const there = await onServer('clients', 'c-both');
      return there?.lastName === 'Renamed here' && there.phone === '+4917699999999' ? true : undefined;
    }, 20_000, async () => `${JSON.stringify(await onServer('clients', 'c-both'))} ${JSON.stringify(await status())}`);
    await waitUntil(async () => {
      const here = (await db.clients.findOne('c-both').exec())?.toJSON();
      return here?.lastName === 'Renamed here' && here.phone === '+4917699999999' ? true : undefined;
    }, 20_000, async () => JSON.stringify((await db.clients.findOne('c-both').exec())?.toJSON()));
    await waitUntil(async () => ((await status()).setAside.length === 0 ? true : undefined), 10_000, async () => JSON.stringify(await status()));
  });

  it('changed here again after another desk edited it: no edit is lost — this desk\'s refused one, its next one, the other desk\'s', { timeout: 60_000 }, async () => {
    const db = host.runtime.db;
    await db.clients.insert(salonClient('c-three', Date.now()));
    await waitUntil(async () => ((await onServer('clients', 'c-three')) ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    refuse.set('c-three', 'forbidden');
    await (await db.clients.findOne('c-three').exec())!.incrementalPatch({ lastName: 'Renamed here' });
    await waitUntil(async () => (await status()).setAside.find((entry) => entry.id === 'c-three'), 10_000, async () => JSON.stringify(await status()));
    await editOnServer('clients', 'c-three', { phone: '+4917699999999' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The next change here is pushed (and refused again) as RxDB merges it with what it counts as the endpoint's.
    await (await db.clients.findOne('c-three').exec())!.incrementalPatch({ email: 'new@clients.example' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    refuse.delete('c-three');
    const all = (doc: Record<string, unknown> | undefined) => doc?.lastName === 'Renamed here' && doc.phone === '+4917699999999' && doc.email === 'new@clients.example';
    await waitUntil(async () => (all(await onServer('clients', 'c-three')) ? true : undefined), 20_000, async () => `${JSON.stringify(await onServer('clients', 'c-three'))} ${JSON.stringify(await status())}`);
    await waitUntil(async () => (all((await db.clients.findOne('c-three').exec())?.toJSON()) ? true : undefined), 20_000, async () => JSON.stringify((await db.clients.findOne('c-three').exec())?.toJSON()));
    await waitUntil(async () => ((await status()).setAside.length === 0 ? true : undefined), 10_000, async () => JSON.stringify(await status()));
  });

  it('by its rules (forbidden) is set aside in the client\'s and time\'s words; a change of it made meanwhile is what arrives', { timeout: 60_000 }, async () => {
    const db = host.runtime.db;
    const now = Date.now();
    const start = Date.parse('2031-03-14T09:30:00Z');
    refuse.set('a-long', 'forbidden');
    const inserted = await db.appointments.bulkInsert([appointment('a-long', 'c0', start, now), appointment('a-next', 'c0', start + 2 * HOUR, now)]);
    expect(inserted.error).toEqual([]);
    await db.appointments.insert(appointment('a-later', 'c0', start + 4 * HOUR, now));
    await waitUntil(async () => ((await onServer('appointments', 'a-next')) && (await onServer('appointments', 'a-later')) ? true : undefined), 20_000, async () => `refused ${refusals} times; ${JSON.stringify(await status())}`);
    const shown = await waitUntil(async () => (await status()).setAside.find((entry) => entry.id === 'a-long' && entry.description.startsWith('Anna')), 10_000, async () => JSON.stringify(await status()));
    // The salon's zone is Europe/Berlin: 09:30 UTC is 10:30 there.
    expect(shown).toMatchObject({ collection: 'appointments', code: 'sync.setAside.forbidden', description: 'Anna Client c0, 2031-03-14 10:30' });
    expect(shown.reason).toMatch(/200 history entries/);
    expect(await onServer('appointments', 'a-long')).toBeUndefined();

    // Changed here while refused: the newer version is the one set aside, and the one that arrives.
    await (await db.appointments.findOne('a-long').exec())!.incrementalPatch({ notes: 'shortened' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await onServer('appointments', 'a-long')).toBeUndefined();
    refuse.delete('a-long');
    await waitUntil(async () => ((await onServer('appointments', 'a-long'))?.notes === 'shortened' ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    await waitUntil(async () => ((await status()).setAside.length === 0 ? true : undefined), 10_000, async () => JSON.stringify(await status()));
    expect((await db.appointments.findOne('a-long').exec())?.notes).toBe('shortened');
  });
});
