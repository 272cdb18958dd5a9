/**
 * bench:sync — sync through a CouchDB-compatible server on loopback (express-pouchdb, in this process). Prints one JSON
 * line per figure:
 * - initial pull of BENCH_SYNC_APPOINTMENTS appointments (10k) + BENCH_SYNC_LOG delivery-log entries (50k) into a fresh
 *   desk (node:sqlite data folder): time and docs/s, and the desk's RSS after it;
 * - change propagation desk A → desk B (A in a child process): p50/p99 of BENCH_SYNC_BOOKINGS bookings (target p99 < 1 s);
 * - catch-up after BENCH_SYNC_OFFLINE edits made while the server was down: time until the server has them all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SalonRuntime } from '../../electron/host/salon-runtime.ts';
import { provisionLocation } from '../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../electron/host/system-clock.ts';
import { databaseName, type SyncConfig } from '../../shared/sync/sync-config.ts';
import { startCouchServer, type CouchTestServer } from '../support/couch-server.ts';
import { HOUR, LOCATION_ID, appointment, salonClient, salonLocation } from '../electron/host/engine/integration/support/salon.ts';
import { makeDesk } from '../electron/host/sync/integration/support/desks.ts';
import { startCrashSink } from '../electron/host/engine/integration/support/crash-sink.ts';

const APPOINTMENTS = Number(process.env.BENCH_SYNC_APPOINTMENTS ?? 10_000);
const LOG = Number(process.env.BENCH_SYNC_LOG ?? 50_000);
const BOOKINGS = Number(process.env.BENCH_SYNC_BOOKINGS ?? 100);
const OFFLINE = Number(process.env.BENCH_SYNC_OFFLINE ?? 1_000);
const TUNING = { leaseTtlMs: 10_000, longpollMs: 10_000, retryMs: 500, baseBackoffMs: 200, maxBackoffMs: 1_000 };

process.env.FRONTDESK_KEY_DIR ??= await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bench-key-'));

function line(record: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: 'sync', ...record })}\n`);
}

const admin = (_server: CouchTestServer) => ({ authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' });

async function bulk(server: CouchTestServer, db: string, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 2_000) {
    const chunk = docs.slice(i, i + 2_000).map((doc) => {
      const { id, ...rest } = doc as { id: string };
      return { _id: id, ...rest };
    });
    const answer = await fetch(`${server.url}${db}/_bulk_docs`, { method: 'POST', headers: admin(server), body: JSON.stringify({ docs: chunk }) });
    if (!answer.ok) throw new Error(`seeding ${db}: HTTP ${answer.status}`);
  }
}

async function count(server: CouchTestServer, db: string): Promise<number> {
  const answer = await fetch(`${server.url}${db}`, { headers: admin(server) });
  return ((await answer.json()) as { doc_count: number }).doc_count;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function config(server: CouchTestServer, prefix: string, username: string, deskName: string): SyncConfig {
  return { enabled: true, endpoint: server.url, username, deskName, onlyDesk: false, allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: prefix }] };
}

async function openDesk(dir: string): Promise<SalonRuntime> {
  return SalonRuntime.open({ dataDir: dir, clock: systemClock, timers: systemTimers, log: () => undefined, syncTuning: TUNING });
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const server = await startCouchServer();
const sink = await startCrashSink([]);
const folders: string[] = [];
try {
  // ——— 1. initial pull ———
  const big = 'fd-bench-big';
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: big, desks: [{ username: 'desk-p', password: 'pw' }, { username: 'desk-a', password: 'pw' }] });
  const now = Date.now();
  await bulk(server, databaseName(big, 'locations'), [{ ...salonLocation(now), sandboxMode: true }]);
  await bulk(server, databaseName(big, 'clients'), Array.from({ length: 500 }, (_, i) => salonClient(`c${i}`, now)));
  // Past visits (no messages due): the pull, not the engine, is measured.
  await bulk(server, databaseName(big, 'appointments'), Array.from({ length: APPOINTMENTS }, (_, i) => appointment(`a${i}`, `c${i % 500}`, now - 500 * 24 * HOUR + i * 60_000, now - 600 * 24 * HOUR)));
  await bulk(
    server,
    databaseName(big, 'delivery_log'),
    Array.from({ length: LOG }, (_, i) => {
      const at = now - 400 * 24 * HOUR + i * 1_000;
      return { id: `log-${i}`, locationId: LOCATION_ID, jobId: `reminder|a${i % APPOINTMENTS}|120m@0|cascade`, type: 'reminder', channel: 'email', recipient: `c${i % 500}@clients.example`, status: 'delivered', at: new Date(at).toISOString(), atMs: at };
    }),
  );
  const total = 501 + APPOINTMENTS + LOG;
  const pullDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bench-pull-'));
  folders.push(pullDir);
  const puller = await openDesk(pullDir);
  const started = performance.now();
  await puller.sync.configure(config(server, big, 'desk-p', 'Puller'), 'pw');
  await until(async () => (await puller.db.delivery_log.count().exec()) >= LOG && (await puller.db.appointments.count().exec()) >= APPOINTMENTS, 30 * 60_000, 'initial pull');
  const pullMs = performance.now() - started;
  line({ metric: 'initial pull', appointments: APPOINTMENTS, logEntries: LOG, docs: total, ms: Math.round(pullMs), docsPerSecond: Math.round(total / (pullMs / 1000)) });
  await until(() => puller.sync.status().phase === 'upToDate', 5 * 60_000, 'up to date after the pull');
  line({ metric: 'rss of a syncing desk', afterDocs: total, rssMB: Math.round(process.memoryUsage().rss / 1048576) });
  await puller.close();

  // ——— 2. propagation A → B ———
  const small = 'fd-bench-prop';
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: small, desks: [{ username: 'desk-a', password: 'pw' }, { username: 'desk-b', password: 'pw' }] });
  const deskA = await makeDesk('Desk A', 'desk-a', 'pw', { serverUrl: server.url, smtpPort: sink.port, locationId: LOCATION_ID, prefix: small, tuning: TUNING }, { seed: { clients: 20 } });
  folders.push(deskA.dataDir);
  await deskA.start();
  const bDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bench-b-'));
  folders.push(bDir);
  const deskB = await openDesk(bDir);
  await deskB.sync.configure(config(server, small, 'desk-b', 'Desk B'), 'pw');
  await until(async () => (await deskB.db.clients.count().exec()) >= 20, 120_000, 'desk B has the salon');
  const arrived = new Map<string, number>();
  const subscription = deskB.db.appointments.$.subscribe((event) => {
    if (!arrived.has(event.documentId)) arrived.set(event.documentId, performance.now());
  });
  const latencies: number[] = [];
  for (let i = 0; i < BOOKINGS; i++) {
    const id = `p${i}`;
    const sent = performance.now();
    await deskA.book(id, `c${i % 20}`, (30 + i) * HOUR);
    await until(() => arrived.has(id), 30_000, `booking ${id} on desk B`);
    latencies.push(arrived.get(id)! - sent);
  }
  subscription.unsubscribe();
  const p99 = percentile(latencies, 99);
  line({ metric: 'change propagation A→B', bookings: BOOKINGS, p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(p99), maxMs: Math.round(Math.max(...latencies)), target: 'p99 < 1000 ms', meets_target: p99 < 1000 });

  // ——— 3. catch-up after offline edits ———
  await server.stop();
  const offlineStart = Date.now();
  await deskB.db.appointments.bulkInsert(Array.from({ length: OFFLINE }, (_, i) => appointment(`off${i}`, `c${i % 20}`, offlineStart + (100 + i) * HOUR, offlineStart)));
  const before = await count(server, databaseName(small, 'appointments')).catch(() => undefined);
  void before;
  await server.resume();
  const resumed = performance.now();
  const expected = BOOKINGS + OFFLINE;
  await until(async () => (await count(server, databaseName(small, 'appointments')).catch(() => 0)) >= expected, 10 * 60_000, 'catch-up');
  const catchUpMs = performance.now() - resumed;
  line({ metric: 'catch-up after offline edits', edits: OFFLINE, ms: Math.round(catchUpMs), docsPerSecond: Math.round(OFFLINE / (catchUpMs / 1000)) });
  await deskA.quit();
  await deskB.close();
} finally {
  await sink.close();
  await server.close();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
}
process.exit(0);
