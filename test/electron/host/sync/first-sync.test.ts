/**
 * The first sync of a new desk shows its progress: a desk joins a location whose book is already on the server
 * (a CouchDB-compatible server on loopback) and, until it has it all, its status is `initial` with a count of what it
 * pulled out of what the server has — the bar in Settings → Sync and the percentage on the badge — rising to the total;
 * then `upToDate`, with the whole book on the desk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalonRuntime } from '../../../../electron/host/salon-runtime.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../../../electron/host/system-clock.ts';
import { databaseName } from '../../../../shared/sync/sync-config.ts';
import type { LocationSyncStatus } from '../../../../shared/sync/sync-status.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { HOUR, LOCATION_ID, appointment, salonClient, salonLocation, waitUntil } from '../engine/integration/support/salon.ts';

const PREFIX = 'fd-first';
const CLIENTS = 50;
const VISITS = 3_000;
const LOG = 2_000;
const ON_SERVER = 1 + CLIENTS + VISITS + LOG;

let server: CouchTestServer;
let dataDir: string;
let runtime: SalonRuntime;

async function bulk(db: string, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 1_000) {
    const chunk = docs.slice(i, i + 1_000).map((doc) => {
      const { id, ...rest } = doc as { id: string };
      return { _id: id, ...rest };
    });
    const answer = await fetch(`${server.url}${db}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: chunk }),
    });
    if (!answer.ok) throw new Error(`seeding ${db}: HTTP ${answer.status}`);
  }
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-new', password: 'pw' }] });
  const now = Date.now();
  await bulk(databaseName(PREFIX, 'locations'), [{ ...salonLocation(now), sandboxMode: true }]);
  await bulk(databaseName(PREFIX, 'clients'), Array.from({ length: CLIENTS }, (_, i) => salonClient(`c${i}`, now)));
  // Past visits: nothing for the engine to send, the pull is what is watched.
  await bulk(databaseName(PREFIX, 'appointments'), Array.from({ length: VISITS }, (_, i) => appointment(`a${i}`, `c${i % CLIENTS}`, now - 300 * 24 * HOUR + i * 60_000, now - 400 * 24 * HOUR)));
  await bulk(
    databaseName(PREFIX, 'delivery_log'),
    Array.from({ length: LOG }, (_, i) => {
      const at = now - 200 * 24 * HOUR + i * 1_000;
      return { id: `log-${i}`, locationId: LOCATION_ID, jobId: `reminder|a${i}|120m@0|cascade`, type: 'reminder', channel: 'email', recipient: `c${i % CLIENTS}@clients.example`, status: 'delivered', at: new Date(at).toISOString(), atMs: at };
    }),
  );
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-first-sync-'));
  runtime = await SalonRuntime.open({
    dataDir,
    clock: systemClock,
    timers: systemTimers,
    storage: getRxStorageMemory() as unknown as RxStorage<unknown, unknown>,
    log: () => undefined,
    syncTuning: { leaseTtlMs: 3_000, longpollMs: 2_000, retryMs: 300, baseBackoffMs: 100, maxBackoffMs: 1_000 },
  });
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the first sync of a new desk', () => {
  it('shows how much of the book it has pulled, up to all of it, then is up to date', { timeout: 120_000 }, async () => {
    const seen: LocationSyncStatus[] = [];
    const record = () => {
      const location = runtime.sync.status().locations[0];
      if (location) seen.push(location);
    };
    const stop = runtime.sync.onStatus(record);
    await runtime.sync.configure(
      { enabled: true, endpoint: server.url, username: 'desk-new', deskName: 'New desk', onlyDesk: false, allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }] },
      'pw',
    );
    await waitUntil(async () => (runtime.sync.status().locations[0]?.phase === 'upToDate' ? true : undefined), 90_000, () => JSON.stringify(runtime.sync.status()));
    stop();
    record();

    const during = seen.filter((s) => s.phase === 'initial' && s.progress);
    expect(during.length, JSON.stringify(seen.slice(0, 5))).toBeGreaterThan(1);
    // The total is what the server has that this empty desk lacks; the count rises and never passes it.
    for (const status of during) {
      expect(status.progress!.total).toBe(ON_SERVER);
      expect(status.progress!.done).toBeLessThanOrEqual(ON_SERVER);
      expect(status.pending).toBe(status.progress!.total - status.progress!.done);
    }
    const done = during.map((s) => s.progress!.done);
    expect(done).toEqual([...done].sort((x, y) => x - y));
    expect(done.some((n) => n > 0 && n < ON_SERVER)).toBe(true);
    // Up to date: no bar any more, and the whole book is here.
    const last = seen.at(-1)!;
    expect(last.phase).toBe('upToDate');
    expect(last.progress).toBeUndefined();
    expect(await runtime.db.appointments.count().exec()).toBe(VISITS);
    expect(await runtime.db.delivery_log.count().exec()).toBe(LOG);
    expect(await runtime.db.clients.count().exec()).toBe(CLIENTS);
  });
});
