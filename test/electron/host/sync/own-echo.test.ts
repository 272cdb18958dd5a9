/**
 * A document this desk changes twice in a row must never read its older state again on this desk. The feed brings
 * the desk's own first push back (its echo); when RxDB writes that echo after the second change was pushed, the
 * desk's copy equals what it last pushed and RxDB took the echo as the endpoint's newer version: the older state was
 * written over the newer one, until the feed brought the second push back too (a cancelled job read `planned` for a
 * moment, a client edited twice showed the first edit again).
 *
 * Real sync against the CouchDB-compatible server on loopback, on the desk's SQLite files. The window is inside RxDB
 * (between the echo's answer and its write), so a proxy alone cannot open it: the desk's fetch leaves out an answer
 * that arrives after the push it is older than. A proxy holds the echo until the first push is done, and the desk's
 * storage holds the replication's reads of the echo (its copy and what it last pushed) until the second push is done:
 * the order a busy desk meets when the echo waits behind earlier writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { BulkWriteRow, RxStorage, RxStorageInstance } from 'rxdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { databaseName } from '../../../../shared/sync/sync-config.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { LOCATION_ID, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

const PREFIX = 'fd-echo';
const TUNING = { leaseTtlMs: 3_000, longpollMs: 1_000, retryMs: 200, baseBackoffMs: 100, maxBackoffMs: 500, requestTimeoutMs: 5_000 };
const ADMIN = { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}` };
const CLIENT = 'c-anna';

let server: CouchTestServer;
const dirs: string[] = [];
const hosts: FrontDeskHost[] = [];
const closers: (() => Promise<void>)[] = [];

interface Gate {
  reached: Promise<void>;
  release(): void;
}

function gate(): Gate & { reach(): void; passed: Promise<void> } {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const passed = new Promise<void>((resolve) => (release = resolve));
  return { reached, reach, release, passed };
}

type Instance = RxStorageInstance<unknown, unknown, unknown>;

/**
 * The desk's node:sqlite storage with two hooks for the test: the first read by id (with deleted documents, as the
 * replication reads) of a chosen document in a chosen instance waits for a gate; and a write can be awaited.
 */
function gatedStorage(dataDir: string) {
  const base = getRxStorageNodeSqlite({ directory: dataDir, verifyOnOpen: true }) as unknown as RxStorage<unknown, unknown>;
  const readGates: { instance: (name: string) => boolean; id: string; gate: ReturnType<typeof gate> }[] = [];
  const writeWaits: { instance: (name: string) => boolean; context: string; row: (row: BulkWriteRow<unknown>) => boolean; done: () => void }[] = [];
  const storage: RxStorage<unknown, unknown> = {
    name: base.name,
    rxdbVersion: base.rxdbVersion,
    async createStorageInstance(params) {
      const instance = (await base.createStorageInstance(params)) as Instance;
      const name = params.collectionName;
      const findById = instance.findDocumentsById.bind(instance);
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.findDocumentsById = async (ids, withDeleted) => {
        const held = withDeleted ? readGates.find((g) => g.instance(name) && ids.includes(g.id)) : undefined;
        if (held) {
          readGates.splice(readGates.indexOf(held), 1);
          held.gate.reach();
          await held.gate.passed;
        }
        return findById(ids, withDeleted);
      };
      instance.bulkWrite = async (rows, context) => {
        const result = await bulkWrite(rows, context);
        for (const wait of [...writeWaits]) {
          if (wait.instance(name) && context === wait.context && rows.some(wait.row)) {
            writeWaits.splice(writeWaits.indexOf(wait), 1);
            wait.done();
          }
        }
        return result;
      };
      return instance as never;
    },
  };
  return {
    storage,
    /** Holds the next read of `id` in an instance whose collection name passes `instance`. */
    holdRead(instance: (name: string) => boolean, id: string): Gate {
      const g = gate();
      readGates.push({ instance, id, gate: g });
      return g;
    },
    /** Resolves after a write of `context` with a row that passes `row`. */
    written(instance: (name: string) => boolean, context: string, row: (row: BulkWriteRow<unknown>) => boolean): Promise<void> {
      return new Promise((done) => writeWaits.push({ instance, context, row, done }));
    },
  };
}

/** A loopback proxy to the server that can hold the next `_changes` answer naming a document until released. */
async function startEchoProxy(): Promise<{ url: string; holdNextChangesOf(id: string): Gate }> {
  const holds: { id: string; gate: ReturnType<typeof gate> }[] = [];
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
          // Uncompressed, so that the answer can be read here.
          const { 'accept-encoding': _encoding, ...headers } = req.headers;
          const forward = http.request({ host: '127.0.0.1', port: server.port, path: req.url, method: req.method, headers }, resolve);
          forward.on('error', reject);
          forward.end(Buffer.concat(chunks));
        }).catch(() => undefined);
        if (!upstream) return void res.destroy();
        const body: Buffer[] = [];
        try {
          for await (const chunk of upstream) body.push(chunk as Buffer);
        } catch {
          return void res.destroy();
        }
        const text = Buffer.concat(body);
        const hold = req.url?.includes('/_changes') ? holds.find((h) => text.includes(`"${h.id}"`)) : undefined;
        if (hold) {
          holds.splice(holds.indexOf(hold), 1);
          hold.gate.reach();
          await hold.gate.passed;
        }
        const headers = { ...upstream.headers };
        delete headers['transfer-encoding'];
        res.writeHead(upstream.statusCode ?? 502, { ...headers, 'content-length': String(text.length) });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    proxy.closeAllConnections();
    return new Promise((resolve) => proxy.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`,
    holdNextChangesOf(id) {
      const g = gate();
      holds.push({ id, gate: g });
      return g;
    },
  };
}

async function endpointClient(): Promise<{ _rev: string; firstName: string }> {
  return (await (await fetch(`${server.url}${databaseName(PREFIX, 'clients')}/${CLIENT}`, { headers: ADMIN })).json()) as { _rev: string; firstName: string };
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }] });
}, 60_000);

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  for (const close of closers) await close();
  await server?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the desk’s own copy of a document it changed twice', () => {
  it('never reads the first change again when the echo of its first push is written after the second push', { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-echo-'));
    dirs.push(dataDir);
    const gated = gatedStorage(dataDir);
    const proxy = await startEchoProxy();
    const host = new FrontDeskHost({ dataDir, mode: 'web', version: 'test', syncTuning: TUNING, storage: gated.storage });
    hosts.push(host);
    await host.start();
    const db = host.runtime.db;
    const now = Date.now();
    await seedSalon(db, { now, clients: [salonClient(CLIENT, now)] });
    const saved = await host.api.call('sync.save', { enabled: true, endpoint: proxy.url, username: 'desk-a', password: 'pw-a', deskName: 'desk-a', onlyDesk: false, allowInsecureHttp: true, locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }] });
    expect(saved.ok, JSON.stringify(saved)).toBe(true);
    await waitUntil(async () => ((await endpointClient()).firstName === 'Anna' ? true : undefined), 20_000, async () => JSON.stringify(await endpointClient()));
    await host.runtime.sync.awaitInSync();

    // Every state the desk's copy goes through, in order.
    const states: string[] = [];
    const subscription = db.clients.storageInstance.changeStream().subscribe((bulk) => {
      for (const event of bulk.events) if (event.documentId === CLIENT) states.push((event.documentData as unknown as { firstName: string }).firstName);
    });
    const isClients = (name: string) => name === 'clients';
    const isMeta = (name: string) => name.startsWith('rx-replication-meta');
    const pushedMeta = (firstName: string) => (row: BulkWriteRow<unknown>) => {
      const meta = row.document as { itemId?: string; docData?: { firstName?: string } };
      return meta.itemId === CLIENT && meta.docData?.firstName === firstName;
    };
    const edit = async (firstName: string) => {
      const doc = await db.clients.findOne(CLIENT).exec();
      await doc!.incrementalPatch({ firstName });
    };

    // The first change is pushed; its echo is held on the way back until the push is recorded as what the endpoint has.
    const echo = proxy.holdNextChangesOf(CLIENT);
    const firstPushed = gated.written(isMeta, 'replication-up-write-meta', pushedMeta('Anna-1'));
    await edit('Anna-1');
    await firstPushed;
    await echo.reached;
    // The replication's reads for the echo (the desk's copy, and what it last pushed) wait until the second change
    // has been pushed and recorded.
    const copyRead = gated.holdRead(isClients, CLIENT);
    const pushedRead = gated.holdRead(isMeta, `${CLIENT}|0`);
    echo.release();
    await Promise.all([copyRead.reached, pushedRead.reached]);
    const secondPushed = gated.written(isMeta, 'replication-up-write-meta', pushedMeta('Anna-2'));
    await edit('Anna-2');
    await secondPushed;
    expect((await endpointClient()).firstName).toBe('Anna-2');
    copyRead.release();
    pushedRead.release();

    await waitUntil(async () => ((await endpointClient())._rev.startsWith('3-') ? true : undefined), 10_000, async () => JSON.stringify(await endpointClient()));
    await host.runtime.sync.awaitInSync();
    // Long enough for the feed to bring the second push back and RxDB to handle it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await host.runtime.sync.awaitInSync();
    subscription.unsubscribe();

    expect(states).toEqual(['Anna-1', 'Anna-2']);
    expect((await db.clients.findOne(CLIENT).exec())?.firstName).toBe('Anna-2');
  });
});
