/**
 * Notification engine benchmark: `node test/bench/engine.bench.ts` prints one JSON object per line.
 *   (a) cold planning: N upcoming appointments in the database, time from `engine.start()` until the engine is idle
 *       (start queues the re-plan of everything);
 *       baseline: a plain RxDB bulkInsert of the same N appointments into the same storage.
 *   (b) change event → job planned: single-appointment inserts and moves with the engine running on that database;
 *       time from the write resolving to the reminder job document appearing in the outbox.
 *   (c) due time → provider hand-off with PENDING jobs falling due over the next seconds, on the real system clock
 *       and timers: provider send time − job dueAt.
 *   (d) RSS after each phase.
 * Environment: BENCH_ENGINE_APPOINTMENTS (default 100000), BENCH_ENGINE_CHANGES (500), BENCH_ENGINE_PENDING (10000),
 * BENCH_ENGINE_DUE_SPREAD_S (30), BENCH_ENGINE_STORAGE (sqlite | memory; default sqlite when it opens, else memory).
 * Quick run: BENCH_ENGINE_APPOINTMENTS=5000 BENCH_ENGINE_PENDING=2000 node test/bench/engine.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openFrontDeskDatabase } from '../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../electron/host/engine/notification-engine.ts';
import { systemClock, systemTimers } from '../../electron/host/system-clock.ts';
import type { Appointment } from '../../shared/domain/appointment.ts';
import type { Client } from '../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import type { Location } from '../../shared/domain/location.ts';
import type { NotificationSettings } from '../../shared/domain/notification-settings.ts';
import type { Service } from '../../shared/domain/service.ts';
import type { Staff } from '../../shared/domain/staff.ts';
import { defaultNotificationSettings } from '../../shared/demo/default-settings.ts';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../shared/engine/provider.ts';
import type { Channel } from '../../shared/notifications/catalog.ts';
import { defaultTemplates } from '../../shared/notifications/templates/defaults.ts';

const envInt = (name: string, fallback: number): number => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
const N = envInt('BENCH_ENGINE_APPOINTMENTS', 100_000);
const CHANGES = envInt('BENCH_ENGINE_CHANGES', 500);
const PENDING = envInt('BENCH_ENGINE_PENDING', 10_000);
const SPREAD_MS = envInt('BENCH_ENGINE_DUE_SPREAD_S', 30) * 1000;
/** Of the pending jobs, this many fall due during the measurement; the rest wait days ahead, as in a real outbox. */
const DUE_NOW = Math.min(PENDING, envInt('BENCH_ENGINE_DUE_NOW', 300));
const BATCH = 10_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LOC = 'loc1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
type AnyStorage = RxStorage<any, any>;

function emit(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}
const round = (x: number): number => Math.round(x * 1000) / 1000;
function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN);
}
function rss(phase: string): void {
  const { rss: bytes, heapUsed } = process.memoryUsage();
  emit({ name: 'rss', phase, rss_mb: round(bytes / 2 ** 20), heap_used_mb: round(heapUsed / 2 ** 20), unit: 'MiB' });
}

// --- storage ----------------------------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'frontdesk-engine-bench-'));
let storageName = 'memory';
let makeStorage: () => AnyStorage = () => getRxStorageMemory();
let dbCounter = 0;

async function chooseStorage(): Promise<void> {
  if (process.env.BENCH_ENGINE_STORAGE === 'memory') return;
  try {
    const { getRxStorageNodeSqlite } = await import('../../electron/host/storage/index.ts');
    const candidate = () => getRxStorageNodeSqlite({ directory: dir }) as AnyStorage;
    const probe = await openFrontDeskDatabase({ storage: candidate(), name: `probe${++dbCounter}`, multiInstance: false });
    await probe.locations.insert(locationDoc());
    await probe.remove();
    makeStorage = candidate;
    storageName = 'node-sqlite';
  } catch (error) {
    if (process.env.BENCH_ENGINE_STORAGE === 'sqlite') throw error;
    emit({ name: 'storage_fallback', reason: `node:sqlite storage unusable: ${error instanceof Error ? error.message : String(error)}`, unit: 'none' });
  }
}

function openDb(): Promise<FrontDeskDatabase> {
  return openFrontDeskDatabase({ storage: makeStorage(), name: `enginebench${++dbCounter}`, multiInstance: false });
}

// --- documents ----------------------------------------------------------------------------------------------------
function locationDoc(overrides: Partial<Location> = {}): Location {
  return {
    id: LOC, name: 'Lumière Beauty Studio', timeZone: 'Europe/Berlin',
    address: { line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    phone: '+493012345678', countryCode: 'DE', currency: 'EUR', locale: 'en-GB',
    quietHours: { enabled: true, start: '21:00', end: '09:00' }, sandboxMode: false,
    reviewUrl: 'https://lumiere.example/review', createdAt: new Date(Date.now() - 30 * DAY).toISOString(), ...overrides,
  };
}

function staffDocs(stamp: string): Staff[] {
  const hours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  return [
    { id: 's1', locationId: LOC, name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc1', 'svc2'], workingHours: hours, desktopToasts: true, active: true, createdAt: stamp },
    { id: 's2', locationId: LOC, name: 'Mila Novak', role: 'specialist', serviceIds: ['svc1'], workingHours: hours, desktopToasts: false, active: true, createdAt: stamp },
  ];
}

function serviceDocs(stamp: string): Service[] {
  return [
    { id: 'svc1', locationId: LOC, name: 'Haircut', category: 'hair', durationMinutes: 60, priceMinor: 5500, repeatIntervalDays: 42, excludeFromReviewRequests: false, active: true, createdAt: stamp },
    { id: 'svc2', locationId: LOC, name: 'Manicure', category: 'nails', durationMinutes: 45, priceMinor: 3000, excludeFromReviewRequests: false, active: true, createdAt: stamp },
  ];
}

function clientDocs(count: number, stamp: string): Client[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `c${i}`, locationId: LOC, firstName: `Client${i}`, lastName: 'Bench', email: `client${i}@example.com`, phone: `+4917600${String(i).padStart(6, '0')}`,
    language: i % 3 === 0 ? 'ru' : 'en', apps: { aggregator: i % 2 === 0 }, optOuts: [], marketingConsent: true, loyaltyPoints: 0, createdAt: stamp,
  }));
}

function appointmentDoc(id: string, clientId: string, startMs: number, createdAtMs: number, staffId = 's1'): Appointment {
  const createdAt = new Date(createdAtMs).toISOString();
  return {
    id, locationId: LOC, clientId, staffId, serviceIds: ['svc1'], start: new Date(startMs).toISOString(), end: new Date(startMs + HOUR).toISOString(), startMs,
    status: 'booked', source: 'desk', history: [{ at: createdAt, by: 'desk', kind: 'created' }], reviewLeft: false, createdAt, updatedAt: createdAt,
  };
}

async function seed(db: FrontDeskDatabase, clients: number, options: { location?: Partial<Location>; settings?: (s: NotificationSettings) => NotificationSettings } = {}): Promise<void> {
  const stamp = new Date(Date.now() - 2 * DAY).toISOString();
  await db.locations.insert(locationDoc(options.location));
  await db.staff.bulkInsert(staffDocs(stamp));
  await db.services.bulkInsert(serviceDocs(stamp));
  for (let i = 0; i < clients; i += BATCH) await insertAll(db.clients.bulkInsert(clientDocs(clients, stamp).slice(i, i + BATCH)));
  await insertAll(db.notification_settings.bulkInsert(defaultNotificationSettings(LOC, (type) => defaultTemplates(type), stamp).map(options.settings ?? ((s) => s))));
}

async function insertAll(result: Promise<{ error: unknown[] }>): Promise<void> {
  const { error } = await result;
  if (error.length > 0) throw new Error(`bulkInsert: ${error.length} errors, first ${JSON.stringify(error[0]).slice(0, 300)}`);
}

/** Delivers at once and remembers when each job was handed over (first hand-off per job). */
class RecordingProvider implements ChannelProvider {
  readonly channel: Channel;
  readonly sentAt: Map<string, number>;
  constructor(channel: Channel, sentAt: Map<string, number>) {
    this.channel = channel;
    this.sentAt = sentAt;
  }
  readiness() {
    return { ready: true as const };
  }
  send(message: OutgoingMessage): Promise<SendOutcome> {
    if (!this.sentAt.has(message.jobId)) this.sentAt.set(message.jobId, Date.now());
    return Promise.resolve({ status: 'delivered', providerMessageId: 'bench' });
  }
}

function makeEngine(db: FrontDeskDatabase, sentAt: Map<string, number>): NotificationEngine {
  const providers = new Map<Channel, RecordingProvider>();
  const provider = (channel: Channel) => {
    let p = providers.get(channel);
    if (!p) providers.set(channel, (p = new RecordingProvider(channel, sentAt)));
    return p;
  };
  return new NotificationEngine({ db, clock: systemClock, timers: systemTimers, provider, log: (line) => console.error(line) });
}

// --- (a) cold planning -------------------------------------------------------------------------------------------
async function coldPlan(db: FrontDeskDatabase): Promise<{ engine: NotificationEngine; msPerAppointment: number }> {
  const clients = Math.max(10, Math.floor(N / 20));
  await seed(db, clients);
  const now = Date.now();
  // Booked two days ago (no confirmations any more, no team news), starting over the next 60 days at quarter hours.
  const appointments = Array.from({ length: N }, (_, i) =>
    appointmentDoc(`a${i}`, `c${i % clients}`, Math.ceil((now + HOUR + ((i * 7919) % (60 * 96)) * 15 * MINUTE) / MINUTE) * MINUTE, now - 2 * DAY, i % 2 ? 's1' : 's2'),
  );
  const t0 = performance.now();
  for (let i = 0; i < N; i += BATCH) await insertAll(db.appointments.bulkInsert(appointments.slice(i, i + BATCH)));
  const insertMs = performance.now() - t0;
  rss('after inserting the appointments');

  const engine = makeEngine(db, new Map());
  const t1 = performance.now();
  await engine.start();
  const startMs = performance.now() - t1;
  await engine.idle();
  const idleMs = performance.now() - t1;
  const jobs = await db.jobs.count().exec();
  emit({
    name: 'cold_plan', storage: storageName, appointments: N, clients, jobs_planned: jobs,
    start_ms: round(startMs), start_until_idle_ms: round(idleMs), per_appointment_ms: round(idleMs / N),
    baseline: 'RxDB bulkInsert of the same appointments', baseline_ms: round(insertMs), ratio_vs_baseline: round(idleMs / insertMs),
    // start() returns once the engine listens; the cold plan itself runs in its queue, so the figure is start → idle.
    target_ms: 1000, meets_target: idleMs < 1000, unit: 'ms',
  });
  rss('after cold planning');
  return { engine, msPerAppointment: idleMs / N };
}

// --- (b) change event → job planned ----------------------------------------------------------------------------
async function changeToJob(db: FrontDeskDatabase): Promise<void> {
  const waiting = new Map<string, (at: number) => void>();
  const subscription = db.jobs.$.subscribe((event) => waiting.get(event.documentId)?.(performance.now()));
  const waitFor = (id: string) => new Promise<number>((resolve) => waiting.set(id, resolve));
  const reminderId = (id: string, start: number) => `reminder|${id}|1440m@${start}|cascade`;
  const inserts: number[] = [];
  const moves: number[] = [];
  const base = Math.ceil((Date.now() + 3 * DAY) / MINUTE) * MINUTE;
  const mine: Appointment[] = [];
  for (let i = 0; i < CHANGES; i++) {
    let start: number;
    let write: () => Promise<unknown>;
    let id: string;
    if (i % 2 === 0 || mine.length === 0) {
      // A new booking from the desk: confirmation now, reminders 24 h and 2 h before.
      start = base + i * 15 * MINUTE;
      id = `bench-new-${i}`;
      const doc = appointmentDoc(id, `c${i % 10}`, start, Date.now());
      mine.push(doc);
      write = () => db.appointments.insert(doc);
    } else {
      // Move one of them a day later: old reminders cancelled, new ones planned.
      const target = mine[(i * 31) % mine.length]!;
      id = target.id;
      start = target.startMs + DAY + i * MINUTE;
      const from = target.start;
      target.startMs = start;
      target.start = new Date(start).toISOString();
      write = async () => {
        const doc = await db.appointments.findOne(id).exec();
        const at = new Date().toISOString();
        await doc!.incrementalPatch({ start: target.start, end: new Date(start + HOUR).toISOString(), startMs: start, history: [...doc!.history, { at, by: 'desk', kind: 'moved', from, to: target.start }], updatedAt: at });
      };
    }
    const planned = waitFor(reminderId(id, start));
    await write();
    const written = performance.now();
    const at = await planned;
    (i % 2 === 0 ? inserts : moves).push(Math.max(0, at - written));
  }
  subscription.unsubscribe();
  const all = [...inserts, ...moves];
  for (const [name, samples] of [['change_to_job_planned', all], ['change_to_job_planned_insert', inserts], ['change_to_job_planned_move', moves]] as const) {
    emit({
      name, storage: storageName, existing_appointments: N, samples: samples.length, p50_ms: percentile(samples, 50), p99_ms: percentile(samples, 99), max_ms: percentile(samples, 100),
      target_p99_ms: 50, meets_target: percentile(samples, 99) < 50, unit: 'ms',
    });
  }
}

// --- (c) due time → provider hand-off -----------------------------------------------------------------------------
async function dueToHandOff(db: FrontDeskDatabase, msPerAppointment: number): Promise<void> {
  const clients = 500;
  // Reminders 1 minute before the start, nothing else due: quiet hours off, no fresh bookings.
  await seed(db, clients, {
    location: { quietHours: { enabled: false, start: '21:00', end: '09:00' } },
    settings: (s) => (s.type === 'reminder' ? { ...s, timing: { reminderOffsetsMinutes: [1] } } : s),
  });
  // Planning must be done before the first job falls due: leave twice the measured cold-planning time, plus slack.
  const leadMs = Math.ceil(2 * msPerAppointment * PENDING + 5_000);
  const firstDue = Date.now() + leadMs;
  const laterStart = firstDue + 3 * DAY;
  const appointments = Array.from({ length: PENDING }, (_, i) =>
    appointmentDoc(`p${i}`, `c${i % clients}`, i < DUE_NOW ? firstDue + MINUTE + Math.floor((i * SPREAD_MS) / DUE_NOW) : laterStart + i * MINUTE, Date.now() - 2 * DAY),
  );
  for (let i = 0; i < PENDING; i += BATCH) await insertAll(db.appointments.bulkInsert(appointments.slice(i, i + BATCH)));
  const sentAt = new Map<string, number>();
  const engine = makeEngine(db, sentAt);
  const t0 = Date.now();
  await engine.start();
  await engine.idle();
  const plannedAt = Date.now();
  const pending = await db.jobs.count({ selector: { state: 'planned' } }).exec();
  const deadline = firstDue + SPREAD_MS + 120_000;
  // Until every job is handed off or closed (a reminder still waiting at the start expires instead of going out late).
  const open = () => db.jobs.count({ selector: { state: { $in: ['planned', 'sending', 'sent'] } } }).exec();
  const dueNowOpen = async () => (await open()) - (PENDING - DUE_NOW);
  while (sentAt.size < DUE_NOW && Date.now() < deadline && (Date.now() < firstDue + SPREAD_MS || (await dueNowOpen()) > 0)) await new Promise((resolve) => setTimeout(resolve, 500));
  await engine.idle();
  const expired = await db.jobs.count({ selector: { state: 'expired' } }).exec();
  const latencies: number[] = [];
  for (const doc of await db.jobs.find({ selector: { type: 'reminder' } }).exec()) {
    const at = sentAt.get(doc.id);
    // A job that went out in one go keeps the dueAt it was planned with.
    if (at !== undefined) latencies.push(at - doc.dueAt);
  }
  const sends = [...sentAt.values()].sort((a, b) => a - b);
  emit({
    name: 'due_to_handoff', storage: storageName, pending_jobs: pending, due_during_measurement: DUE_NOW, handed_off: sentAt.size, expired_unsent: expired, due_spread_s: SPREAD_MS / 1000,
    planning_ms: plannedAt - t0, planned_before_first_due: plannedAt <= firstDue,
    p50_ms: percentile(latencies, 50), p99_ms: percentile(latencies, 99), max_ms: percentile(latencies, 100),
    throughput_per_s: sends.length > 1 ? round((sends.length / (sends.at(-1)! - sends[0]!)) * 1000) : null,
    target_p99_ms: 1000, meets_target: sentAt.size === DUE_NOW && percentile(latencies, 99) < 1000, unit: 'ms',
  });
  rss('after due-time hand-off');
  await engine.stop();
}

async function main(): Promise<void> {
  await chooseStorage();
  emit({ name: 'config', storage: storageName, appointments: N, changes: CHANGES, pending: PENDING, due_spread_s: SPREAD_MS / 1000, node: process.version, unit: 'none' });
  rss('start');
  let db = await openDb();
  const { engine, msPerAppointment } = await coldPlan(db);
  await changeToJob(db);
  rss('after change events');
  await engine.stop();
  await db.remove();
  db = await openDb();
  await dueToHandOff(db, msPerAppointment);
  await db.remove();
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
