/**
 * bench:sync — sync through a CouchDB-compatible server on loopback (express-pouchdb in a process of its own, as a real
 * endpoint would be). Prints one JSON line per figure, each with the machine's load average at the time:
 * - initial pull of BENCH_SYNC_APPOINTMENTS appointments (10k) + BENCH_SYNC_LOG delivery-log entries (50k) into a fresh
 *   desk (its own process, node:sqlite data folder): time and docs/s; then the desk's resident set, before and after
 *   a full GC, against the same desk idle before sync was turned on;
 * - change propagation desk A → desk B (A in a child process): p50/p99 of BENCH_SYNC_BOOKINGS bookings (target p99 <
 *   1 s), against a baseline measured in the same run, interleaved booking by booking: a plain HTTP PUT from desk A's
 *   process seen by a plain long-poll in desk B's (the floor the server and this machine set at that moment);
 * - catch-up after BENCH_SYNC_OFFLINE edits made while the server was down: time until the server has them all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SalonRuntime } from '../../electron/host/salon-runtime.ts';
import { provisionLocation } from '../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../electron/host/system-clock.ts';
import { databaseName, type SyncConfig } from '../../shared/sync/sync-config.ts';
import { startCouchServerProcess, type CouchServerProcess } from '../support/couch-server-process.ts';
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
  process.stdout.write(`${JSON.stringify({ bench: 'sync', ...record, load1: Math.round(os.loadavg()[0]! * 10) / 10 })}\n`);
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

const admin = (_server: CouchServerProcess) => ({ authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' });

async function bulk(server: CouchServerProcess, db: string, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 2_000) {
    const chunk = docs.slice(i, i + 2_000).map((doc) => {
      const { id, ...rest } = doc as { id: string };
      return { _id: id, ...rest };
    });
    const answer = await fetch(`${server.url}${db}/_bulk_docs`, { method: 'POST', headers: admin(server), body: JSON.stringify({ docs: chunk }) });
    if (!answer.ok) throw new Error(`seeding ${db}: HTTP ${answer.status}`);
  }
}

async function count(server: CouchServerProcess, db: string): Promise<number> {
  const answer = await fetch(`${server.url}${db}`, { headers: admin(server) });
  return ((await answer.json()) as { doc_count: number }).doc_count;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function config(server: CouchServerProcess, prefix: string, username: string, deskName: string): SyncConfig {
  return { enabled: true, endpoint: server.url, username, deskName, onlyDesk: false, allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: prefix }] };
}

async function openDesk(dir: string): Promise<SalonRuntime> {
  return SalonRuntime.open({ dataDir: dir, clock: systemClock, timers: systemTimers, log: () => undefined, syncTuning: TUNING });
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

interface DeskMemory {
  rss: number;
  rssAfterGc: number;
  heapUsed: number;
  peakRss: number;
  peakHeapUsed: number;
}

/** A plain long-poll on one database: when each document id was first seen, by this process's clock. */
function watchChanges(server: CouchServerProcess, db: string): { arrived: Map<string, number>; stop(): void } {
  const arrived = new Map<string, number>();
  const abort = new AbortController();
  void (async () => {
    let since = ((await (await fetch(`${server.url}${db}`, { headers: admin(server) })).json()) as { update_seq: string | number }).update_seq;
    while (!abort.signal.aborted) {
      const answer = await fetch(`${server.url}${db}/_changes?feed=longpoll&since=${encodeURIComponent(String(since))}`, { headers: admin(server), signal: abort.signal }).catch(() => undefined);
      const body = (await answer?.json().catch(() => undefined)) as { results: { id: string }[]; last_seq: string | number } | undefined;
      if (!body) continue;
      const at = performance.now();
      for (const row of body.results) if (!arrived.has(row.id)) arrived.set(row.id, at);
      since = body.last_seq;
    }
  })();
  return { arrived, stop: () => abort.abort() };
}

const server = await startCouchServerProcess();
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
  const puller = await makeDesk('Puller', 'desk-p', 'pw', { serverUrl: server.url, smtpPort: sink.port, locationId: LOCATION_ID, prefix: big, tuning: TUNING }, { deferSync: true });
  folders.push(puller.dataDir);
  await puller.start();
  const idle = await puller.call<DeskMemory>({ cmd: 'memory' });
  const started = performance.now();
  await puller.call({ cmd: 'configure' });
  const pulled = async () => (await puller.call<number>({ cmd: 'count', collection: 'delivery_log' })) >= LOG && (await puller.call<number>({ cmd: 'count', collection: 'appointments' })) >= APPOINTMENTS;
  await until(pulled, 30 * 60_000, 'initial pull', 100);
  const pullMs = performance.now() - started;
  line({ metric: 'initial pull', appointments: APPOINTMENTS, logEntries: LOG, docs: total, ms: Math.round(pullMs), docsPerSecond: Math.round(total / (pullMs / 1000)) });
  await until(async () => (await puller.status()).phase === 'upToDate', 5 * 60_000, 'up to date after the pull', 100);
  const synced = await puller.call<DeskMemory>({ cmd: 'memory' });
  line({
    metric: 'rss of a syncing desk', afterDocs: total, rssMB: mb(synced.rss), rssAfterGcMB: mb(synced.rssAfterGc), heapUsedMB: mb(synced.heapUsed),
    peakRssMB: mb(synced.peakRss), peakHeapUsedMB: mb(synced.peakHeapUsed),
    baseline: 'the same desk process idle before sync was turned on, after a GC', baselineMB: mb(idle.rssAfterGc), ratio: Math.round((synced.rssAfterGc / idle.rssAfterGc) * 100) / 100,
    serverProcessMB: mb(await server.rss()),
  });
  await puller.quit();

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
  await until(async () => (await deskB.db.clients.count().exec()) >= 20, 120_000, 'desk B has the salon', 50);
  // The baseline's database: open to every user (no _security), written by desk A's process, watched from this one.
  const baselineDb = `${small}-baseline`;
  if (!(await fetch(`${server.url}${baselineDb}`, { method: 'PUT', headers: admin(server) })).ok) throw new Error('creating the baseline database');
  const baseline = watchChanges(server, baselineDb);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const arrived = new Map<string, number>();
  const subscription = deskB.db.appointments.$.subscribe((event) => {
    if (!arrived.has(event.documentId)) arrived.set(event.documentId, performance.now());
  });
  const latencies: number[] = [];
  const baselineLatencies: number[] = [];
  const loadBefore = os.loadavg()[0]!;
  for (let i = 0; i < BOOKINGS; i++) {
    const plainId = `b${i}`;
    const plainSent = performance.now();
    await deskA.call({ cmd: 'put', url: `${server.url}${baselineDb}/${plainId}`, doc: { n: i } });
    await until(() => baseline.arrived.has(plainId), 30_000, `plain write ${plainId} seen`);
    baselineLatencies.push(baseline.arrived.get(plainId)! - plainSent);

    const id = `p${i}`;
    const sent = performance.now();
    await deskA.book(id, `c${i % 20}`, (30 + i) * HOUR);
    await until(() => arrived.has(id), 30_000, `booking ${id} on desk B`);
    latencies.push(arrived.get(id)! - sent);
  }
  subscription.unsubscribe();
  baseline.stop();
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  const baseP50 = percentile(baselineLatencies, 50);
  const baseP99 = percentile(baselineLatencies, 99);
  line({
    metric: 'change propagation A→B', bookings: BOOKINGS, p50Ms: Math.round(p50), p99Ms: Math.round(p99), maxMs: Math.round(Math.max(...latencies)),
    baseline: 'plain HTTP PUT in desk A\'s process seen by a plain long-poll in desk B\'s, interleaved', baselineP50Ms: Math.round(baseP50), baselineP99Ms: Math.round(baseP99),
    ratioP50: Math.round((p50 / baseP50) * 10) / 10, ratioP99: Math.round((p99 / baseP99) * 10) / 10, load1Before: Math.round(loadBefore * 10) / 10,
    target: 'p99 < 1000 ms', meets_target: p99 < 1000,
  });

  // ——— 3. catch-up after offline edits ———
  await server.stop();
  const offlineStart = Date.now();
  await deskB.db.appointments.bulkInsert(Array.from({ length: OFFLINE }, (_, i) => appointment(`off${i}`, `c${i % 20}`, offlineStart + (100 + i) * HOUR, offlineStart)));
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
