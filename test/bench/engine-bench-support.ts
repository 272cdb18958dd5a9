/**
 * Documents and helpers of the engine benchmark: one location, two specialists, two services, default settings,
 * clients and appointments generated from their index.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openFrontDeskDatabase } from '../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../electron/host/engine/notification-engine.ts';
import { getRxStorageNodeSqlite } from '../../electron/host/storage/index.ts';
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

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const LOC = 'loc1';
export const BATCH = 10_000;

export const envInt = (name: string, fallback: number): number => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export const round = (x: number): number => Math.round(x * 1000) / 1000;

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN);
}

/** Every line carries the 1-minute load average: on a shared machine it says how far a figure can be trusted. */
export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, load1: Math.round(loadavg()[0]! * 10) / 10 })}\n`);
}

export const mib = (bytes: number): number => round(bytes / 2 ** 20);

export function benchDir(): string {
  return process.env.BENCH_DIR ?? mkdtempSync(path.join(tmpdir(), 'frontdesk-engine-bench-'));
}

export function openDb(directory: string, name: string): Promise<FrontDeskDatabase> {
  return openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory }), name, multiInstance: false });
}

export function locationDoc(overrides: Partial<Location> = {}): Location {
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

export function appointmentDoc(id: string, clientId: string, startMs: number, createdAtMs: number, staffId = 's1'): Appointment {
  const createdAt = new Date(createdAtMs).toISOString();
  return {
    id, locationId: LOC, clientId, staffId, serviceIds: ['svc1'], start: new Date(startMs).toISOString(), end: new Date(startMs + HOUR).toISOString(), startMs,
    status: 'booked', source: 'desk', history: [{ at: createdAt, by: 'desk', kind: 'created' }], reviewLeft: false, createdAt, updatedAt: createdAt,
  };
}

export async function insertAll(result: Promise<{ error: unknown[] }>): Promise<void> {
  const { error } = await result;
  if (error.length > 0) throw new Error(`bulkInsert: ${error.length} errors, first ${JSON.stringify(error[0]).slice(0, 300)}`);
}

export async function seed(db: FrontDeskDatabase, clients: number, options: { location?: Partial<Location>; settings?: (s: NotificationSettings) => NotificationSettings } = {}): Promise<void> {
  const stamp = new Date(Date.now() - 2 * DAY).toISOString();
  await db.locations.insert(locationDoc(options.location));
  await db.staff.bulkInsert(staffDocs(stamp));
  await db.services.bulkInsert(serviceDocs(stamp));
  const all = clientDocs(clients, stamp);
  for (let i = 0; i < clients; i += BATCH) await insertAll(db.clients.bulkInsert(all.slice(i, i + BATCH)));
  await insertAll(db.notification_settings.bulkInsert(defaultNotificationSettings(LOC, (type) => defaultTemplates(type), stamp).map(options.settings ?? ((s) => s))));
}

/**
 * `count` upcoming appointments booked two days ago (no confirmations any more, no team news), starting over 60 days
 * from the day after tomorrow at quarter hours: every reminder lies ahead, so planning them plans, it sends nothing.
 * Inserted with RxDB's bulkInsert in batches of 10,000; answers the time that took (the benchmark's baseline).
 */
export async function insertUpcoming(db: FrontDeskDatabase, count: number, clients: number): Promise<number> {
  const now = Date.now();
  let ms = 0;
  for (let from = 0; from < count; from += BATCH) {
    const batch: Appointment[] = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const start = Math.ceil((now + 2 * DAY + ((i * 7919) % (60 * 96)) * 15 * MINUTE) / MINUTE) * MINUTE;
      batch.push(appointmentDoc(`a${i}`, `c${i % clients}`, start, now - 2 * DAY, i % 2 ? 's1' : 's2'));
    }
    const t0 = performance.now();
    await insertAll(db.appointments.bulkInsert(batch));
    ms += performance.now() - t0;
  }
  return ms;
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

export function makeEngine(db: FrontDeskDatabase, sentAt: Map<string, number>): NotificationEngine {
  const providers = new Map<Channel, RecordingProvider>();
  const provider = (channel: Channel) => {
    let p = providers.get(channel);
    if (!p) providers.set(channel, (p = new RecordingProvider(channel, sentAt)));
    return p;
  };
  return new NotificationEngine({ db, clock: systemClock, timers: systemTimers, provider, log: (line) => console.error(line) });
}

/** Highest resident set seen between start() and stop(), sampled every 10 ms (and whenever `sample` is called). */
export class RssSampler {
  peak = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 10);
  }
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
  stop(): void {
    this.sample();
    clearInterval(this.#timer);
  }
}

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Full garbage collection (the child runs with --expose-gc), twice with a pause so finalizers can run; `reduce`
 * asks for V8's memory-reducing collection, which also returns unused heap pages to the system.
 */
export async function settleMemory(options: { reduce?: boolean } = {}): Promise<void> {
  const gc = (globalThis as { gc?: Gc }).gc;
  const collect = () => (options.reduce ? gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' }) : gc?.());
  collect();
  await new Promise((resolve) => setTimeout(resolve, 200));
  collect();
}
