/**
 * A FrontDesk database on RxDB's memory storage with a manual clock and timers, and channel providers whose
 * outcomes a test scripts — the real engine, real planning and the real database, with time under the test's control.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openFrontDeskDatabase } from '../../../../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../../../../electron/host/engine/notification-engine.ts';
import type { Appointment, AppointmentChange } from '../../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import type { Location } from '../../../../../shared/domain/location.ts';
import type { Staff } from '../../../../../shared/domain/staff.ts';
import type { NotificationSettings, NotificationType } from '../../../../../shared/domain/notification-settings.ts';
import { defaultNotificationSettings } from '../../../../../shared/demo/default-settings.ts';
import type { DispatchGate } from '../../../../../shared/engine/dispatch-gate.ts';
import type { ChannelProvider, OutgoingMessage, ReportOutcome, ReportQuery, SendOutcome } from '../../../../../shared/engine/provider.ts';
import type { Channel } from '../../../../../shared/notifications/catalog.ts';
import { defaultTemplates } from '../../../../../shared/notifications/templates/defaults.ts';
import type { Clock, TimerHandle, Timers } from '../../../../../shared/time/clock.ts';
import { ClockWatch } from '../../../../../shared/time/clock-watch.ts';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const DAY = 24 * HOUR;

/**
 * A wall clock and timers that run on a separate monotonic clock, as Node's do: `advance` moves both, while a wall-clock
 * jump (the user or NTP sets the time) or a suspend (the machine sleeps: timers do not run) moves the wall clock alone.
 */
export class ManualTime implements Clock, Timers {
  #mono: number;
  /** The wall clock minus the monotonic one. */
  #skew = 0;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(start: number) {
    this.#mono = start;
  }
  now(): number {
    return this.#mono + this.#skew;
  }
  /** The monotonic clock: it never goes back, and stands still while the machine sleeps. */
  monotonic(): number {
    return this.#mono;
  }
  after(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.#mono + ms, fn, live: true };
    this.#timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  /** The wall clock moves by `ms` (either way) and the timers do not notice: a clock set, or a sleep of `ms`. */
  jumpWallClock(ms: number): void {
    this.#skew += ms;
  }
  /** Fires timers already due; answers whether any fired. */
  fireDue(): boolean {
    const due = this.#timers.filter((t) => t.live && t.at <= this.#mono).sort((a, b) => a.at - b.at);
    for (const timer of due) {
      timer.live = false;
      timer.fn();
    }
    return due.length > 0;
  }
  get pendingTimers(): number {
    return this.#timers.filter((t) => t.live).length;
  }
  /** Moves time forward, firing due timers in order, letting the engine finish its work after each. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    // Work already queued (a start's cold planning) happens before time moves.
    await settle();
    const target = this.#mono + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.live && t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.#mono = Math.max(this.#mono, next.at);
      next.live = false;
      next.fn();
      await settle();
    }
    this.#mono = target;
    await settle();
  }
}

export type Script = (message: OutgoingMessage) => SendOutcome;

export class ScriptedProvider implements ChannelProvider {
  readonly channel: Channel;
  readonly sent: OutgoingMessage[] = [];
  readonly reportQueries: ReportQuery[] = [];
  script: Script = () => ({ status: 'delivered', providerMessageId: 'ok' });
  notConfigured: string | undefined;
  /** Set `reports` to give the provider delivery reports (polled by the engine). */
  report: ChannelProvider['report'];
  idempotentSends = false;
  constructor(channel: Channel) {
    this.channel = channel;
  }
  reports(script: (query: ReportQuery) => ReportOutcome): void {
    this.report = async (query) => {
      this.reportQueries.push(query);
      return script(query);
    };
  }
  idempotent(): boolean {
    return this.idempotentSends;
  }
  readiness() {
    return this.notConfigured ? { ready: false as const, reason: this.notConfigured } : { ready: true as const };
  }
  async send(message: OutgoingMessage): Promise<SendOutcome> {
    this.sent.push(message);
    return this.script(message);
  }
}

export const LOCATION_ID = 'loc1';
/** Monday 23 Nov 2026, 10:00 in Berlin (UTC+1). */
export const T0 = Date.parse('2026-11-23T09:00:00.000Z');

export function location(overrides: Partial<Location> = {}): Location {
  return {
    id: LOCATION_ID, name: 'Lumière Beauty Studio', timeZone: 'Europe/Berlin',
    address: { line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    phone: '+493012345678', countryCode: 'DE', currency: 'EUR', locale: 'en-GB',
    quietHours: { enabled: true, start: '21:00', end: '09:00' }, sandboxMode: false,
    reviewUrl: 'https://lumiere.example/review', createdAt: new Date(T0 - 30 * DAY).toISOString(), ...overrides,
  };
}

export function client(overrides: Partial<Client> = {}): Client {
  return {
    id: 'c1', locationId: LOCATION_ID, firstName: 'Anna', lastName: 'Petrova', phone: '+4917612345678', email: 'anna@example.com',
    language: 'en', apps: { aggregator: false }, optOuts: [], marketingConsent: true, loyaltyPoints: 0, createdAt: new Date(T0 - 30 * DAY).toISOString(), ...overrides,
  };
}

export class EngineHarness {
  readonly time: ManualTime;
  readonly providers: Record<Channel, ScriptedProvider>;
  db!: FrontDeskDatabase;
  engine!: NotificationEngine;
  #seq = 0;
  readonly name = `engine-test-${Math.random().toString(36).slice(2)}`;

  constructor(start = T0) {
    this.time = new ManualTime(start);
    this.providers = Object.fromEntries(
      (['email', 'aggregatorPush', 'adminPush', 'brandedPush', 'sms', 'desktop'] as Channel[]).map((c) => [c, new ScriptedProvider(c)]),
    ) as Record<Channel, ScriptedProvider>;
  }

  static async create(
    options: {
      location?: Partial<Location>;
      settings?: (s: NotificationSettings) => NotificationSettings;
      start?: number;
      clients?: Client[];
      staff?: (s: Staff) => Staff;
      /** Real providers instead of the scripted ones (built once the database is seeded), per channel; others stay scripted. */
      providers?: (db: FrontDeskDatabase) => Promise<Partial<Record<Channel, ChannelProvider>>>;
      planningPageSize?: number;
      startPlanDelayMs?: number;
      /** A dispatch gate, as sync installs (DESIGN §4.6). */
      gate?: DispatchGate;
      /** This desk's id (desktop toasts are then this desk's own) and who works at it. */
      deskId?: string;
      deskStaff?: string[];
      /** Writes made before the engine starts (what a desk finds in its folder at start). */
      beforeStart?: (db: FrontDeskDatabase) => Promise<void>;
      /** Watch for wall-clock jumps as the host does (a coarse timer: off by default, it slows long advances). */
      watchClock?: boolean;
    } = {},
  ): Promise<EngineHarness> {
    const harness = new EngineHarness(options.start);
    harness.db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: harness.name, multiInstance: false });
    const stamp = new Date(harness.time.now() - DAY).toISOString();
    await harness.db.locations.insert(location(options.location));
    await harness.db.staff.bulkInsert(([
      { id: 's1', locationId: LOCATION_ID, name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc1', 'svc2'], workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, desktopToasts: true, active: true, createdAt: stamp },
      { id: 's2', locationId: LOCATION_ID, name: 'Mila Novak', role: 'specialist', serviceIds: ['svc1'], workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, desktopToasts: false, active: true, createdAt: stamp },
    ] as Staff[]).map(options.staff ?? ((s) => s)));
    await harness.db.services.bulkInsert([
      { id: 'svc1', locationId: LOCATION_ID, name: 'Haircut', category: 'hair', durationMinutes: 60, priceMinor: 5500, repeatIntervalDays: 42, excludeFromReviewRequests: false, active: true, createdAt: stamp },
      { id: 'svc2', locationId: LOCATION_ID, name: 'Consultation', category: 'other', durationMinutes: 15, priceMinor: 0, excludeFromReviewRequests: true, active: true, createdAt: stamp },
    ]);
    await harness.db.clients.bulkInsert(options.clients ?? [client()]);
    const settings = defaultNotificationSettings(LOCATION_ID, (type) => defaultTemplates(type), stamp).map(options.settings ?? ((s) => s));
    await harness.db.notification_settings.bulkInsert(settings);
    // Retry jitter fixed at the middle, so delays are exact: the first retry waits 1.5 s.
    const real = options.providers ? await options.providers(harness.db) : {};
    harness.engine = new NotificationEngine({
      db: harness.db, clock: harness.time, timers: harness.time, monotonic: () => harness.time.monotonic(), provider: (c) => real[c] ?? harness.providers[c], random: () => 0.5,
      ...(options.planningPageSize ? { planningPageSize: options.planningPageSize } : {}),
      ...(options.startPlanDelayMs ? { startPlanDelayMs: options.startPlanDelayMs } : {}),
      ...(options.gate ? { gate: options.gate } : {}),
      ...(options.deskId ? { deskId: () => options.deskId! } : {}),
      ...(options.deskStaff ? { deskStaff: () => options.deskStaff } : {}),
      ...(options.watchClock ? { clockJumps: new ClockWatch({ clock: harness.time, monotonic: () => harness.time.monotonic(), timers: harness.time }).jumps } : {}),
    });
    await options.beforeStart?.(harness.db);
    await harness.engine.start();
    await harness.settle();
    return harness;
  }

  async settle(): Promise<void> {
    // Change streams deliver asynchronously; give them a turn, then wait for the engine queue.
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.engine.idle();
      if (!this.time.fireDue() && i >= 2) break;
    }
  }

  advance(ms: number): Promise<void> {
    return this.time.advance(ms, () => this.settle());
  }

  iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  async book(startMs: number, overrides: Partial<Appointment> = {}): Promise<Appointment> {
    const now = this.time.now();
    const appointment: Appointment = {
      id: overrides.id ?? `a${++this.#seq}`, locationId: LOCATION_ID, clientId: 'c1', staffId: 's1', serviceIds: ['svc1'],
      start: this.iso(startMs), end: this.iso(startMs + HOUR), startMs, status: 'booked', source: 'desk',
      history: [{ at: this.iso(now), by: 'desk', kind: 'created' }], reviewLeft: false, createdAt: this.iso(now), updatedAt: this.iso(now), ...overrides,
    };
    await this.db.appointments.insert(appointment);
    await this.settle();
    return appointment;
  }

  async change(id: string, patch: (a: Appointment) => Partial<Appointment>, change: Omit<AppointmentChange, 'at' | 'by'>): Promise<void> {
    const doc = await this.db.appointments.findOne(id).exec();
    if (!doc) throw new Error(`no appointment ${id}`);
    const now = this.iso(this.time.now());
    await doc.incrementalPatch({ ...patch(doc.toMutableJSON()), history: [...doc.history, { ...change, at: now, by: 'desk' }], updatedAt: now });
    await this.settle();
  }

  move(id: string, newStart: number) {
    return this.db.appointments.findOne(id).exec().then((doc) =>
      this.change(id, () => ({ start: this.iso(newStart), end: this.iso(newStart + HOUR), startMs: newStart }), { kind: 'moved', from: doc!.start, to: this.iso(newStart) }),
    );
  }

  setStatus(id: string, status: Appointment['status']) {
    return this.db.appointments.findOne(id).exec().then((doc) => this.change(id, () => ({ status }), { kind: 'statusChanged', from: doc!.status, to: status }));
  }

  async jobs(subjectId?: string) {
    const docs = await this.db.jobs.find(subjectId ? { selector: { subjectId } } : {}).exec();
    return docs.map((d) => d.toMutableJSON()).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
  }

  async job(type: NotificationType, subjectId: string) {
    return (await this.jobs(subjectId)).filter((j) => j.type === type);
  }

  async log() {
    return (await this.db.delivery_log.find({ sort: [{ atMs: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
  }

  sentOf(channel: Channel) {
    return this.providers[channel].sent;
  }

  allSent() {
    return Object.values(this.providers).flatMap((p) => p.sent);
  }

  async close(): Promise<void> {
    await this.engine.stop();
    await this.db.remove();
  }
}
