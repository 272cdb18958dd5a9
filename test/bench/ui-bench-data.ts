/**
 * Data folder for the UI benchmark: the demo salon scaled to 30 staff and 600 appointments a day around today,
 * plus 100k delivery-log entries over 90 days. Deterministic for a given seed and `now` (no Math.random).
 * Written straight into the node:sqlite file the web host opens (database 'frontdesk' in the data folder).
 */
import type { Appointment, AppointmentStatus } from '../../shared/domain/appointment.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import { DELIVERY_STATUSES, type DeliveryLogEntry } from '../../shared/domain/delivery-log.ts';
import { NOTIFICATION_TYPES } from '../../shared/domain/notification-settings.ts';
import type { Service } from '../../shared/domain/service.ts';
import type { Staff, TimeRange, WorkingHours } from '../../shared/domain/staff.ts';
import { addDaysToLocalDate, hhmmToMinutes, utcToWallClock, wallClockToUtc, minutesToHhmm } from '../../shared/domain/zoned-time.ts';
import { loadDemoSalon } from '../../shared/demo/load-demo-salon.ts';
import { createRandom, type Random } from '../../shared/demo/prng.ts';
import { defaultTemplates } from '../../shared/notifications/templates/defaults.ts';
import { CHANNELS } from '../../shared/notifications/catalog.ts';
import { openFrontDeskDatabase } from '../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../electron/host/storage/index.ts';

export interface UiBenchDataOptions {
  dataDir: string;
  now: number;
  seed?: string;
  staffCount?: number;
  appointmentsPerDay?: number;
  /** Days before / after today that get the full load (today included in "after"). */
  daysBefore?: number;
  daysAfter?: number;
  logEntries?: number;
  logDays?: number;
  clientCount?: number;
}

export interface UiBenchDataSummary {
  staff: number;
  appointmentsPerDay: Record<string, number>;
  appointments: number;
  clients: number;
  deliveryLog: number;
  ms: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();
const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Eva', 'Felix', 'Greta', 'Hanna', 'Igor', 'Jana', 'Karl', 'Lena', 'Marta', 'Nico', 'Paula', 'Rosa', 'Simon', 'Tina', 'Ulla', 'Vera', 'Willi', 'Yara', 'Zoe'];
const LAST = ['Keller', 'Richter', 'Wolf', 'Neumann', 'Schwarz', 'Braun', 'Zimmermann', 'Krüger', 'Hartmann', 'Lange', 'Werner', 'Krause'];
const COLORS = ['#e53935', '#8e24aa', '#3949ab', '#039be5', '#00897b', '#7cb342', '#fdd835', '#fb8c00', '#6d4c41', '#546e7a', '#d81b60', '#5e35b1'];

const SHORT_MINUTES = 45;

/** Extra specialists, working every day 07:00–22:00 with the short services of one or two categories. */
function extraStaff(rnd: Random, count: number, startIndex: number, services: readonly Service[], locationId: string, createdAt: string): Staff[] {
  const categories = [...new Set(services.filter((s) => s.durationMinutes <= SHORT_MINUTES).map((s) => s.category))];
  const day: TimeRange[] = [{ start: '07:00', end: '22:00' }];
  const hours = Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, day])) as WorkingHours;
  return Array.from({ length: count }, (_, i) => {
    const own = [categories[i % categories.length]!, categories[(i * 3 + 1) % categories.length]!];
    const serviceIds = services.filter((s) => own.includes(s.category) && s.durationMinutes <= SHORT_MINUTES).map((s) => s.id);
    const n = startIndex + i + 1;
    return {
      id: `staff-bench-${String(n).padStart(2, '0')}`,
      locationId,
      name: `${FIRST[i % FIRST.length]!} ${LAST[(i * 5) % LAST.length]!}`,
      role: 'specialist',
      title: 'Specialist',
      serviceIds: serviceIds.length > 0 ? serviceIds : [services[0]!.id],
      workingHours: hours,
      desktopToasts: rnd.chance(0.3),
      color: COLORS[i % COLORS.length]!,
      active: true,
      createdAt,
    } satisfies Staff;
  });
}

interface Slotting {
  staff: Staff;
  ranges: [number, number][];
  busy: [number, number][];
  cursor: number;
  full: boolean;
}

/** Fills the day round-robin over the working specialists, first free slot after each one's cursor, no overlaps. */
function fillDay(
  rnd: Random,
  date: string,
  timeZone: string,
  staff: readonly Staff[],
  existing: readonly Appointment[],
  target: number,
  serviceById: Map<string, Service>,
  ctx: { now: number; locationId: string; clientIds: readonly string[]; deskId: string; nextId: () => string },
): Appointment[] {
  const weekday = utcToWallClock(wallClockToUtc(date, '12:00', timeZone), timeZone).weekday;
  const slots: Slotting[] = staff
    .filter((s) => s.active && s.serviceIds.length > 0 && s.workingHours[weekday].length > 0)
    .map((s) => {
      const ranges = s.workingHours[weekday].map((r): [number, number] => [hhmmToMinutes(r.start), hhmmToMinutes(r.end)]);
      const busy = existing
        .filter((a) => a.staffId === s.id)
        .map((a): [number, number] => {
          const start = utcToWallClock(a.startMs, timeZone).minutes;
          return [start, start + Math.round((Date.parse(a.end) - a.startMs) / MINUTE)];
        });
      return { staff: s, ranges, busy, cursor: ranges[0]![0], full: false };
    });
  const out: Appointment[] = [];
  let count = existing.length;
  while (count < target && slots.some((s) => !s.full)) {
    for (const slot of slots) {
      if (count >= target) break;
      if (slot.full) continue;
      const service = serviceById.get(rnd.pick(slot.staff.serviceIds))!;
      const minutes = service.durationMinutes;
      let start = slot.cursor + (rnd.chance(0.05) ? 15 : 0);
      let placed: number | undefined;
      for (let guard = 0; guard < 200 && placed === undefined; guard++) {
        const range = slot.ranges.find(([, e]) => start < e);
        if (!range) break;
        if (start < range[0]) start = range[0];
        if (start + minutes > range[1]) {
          start = range[1];
          continue;
        }
        const clash = slot.busy.find(([s, e]) => s < start + minutes && start < e);
        if (clash) start = Math.ceil(clash[1] / 15) * 15;
        else placed = start;
      }
      if (placed === undefined) {
        // Nothing of this length fits after the cursor any more: this column is done for the day.
        slot.full = true;
        continue;
      }
      slot.busy.push([placed, placed + minutes]);
      slot.cursor = placed + Math.ceil(minutes / 15) * 15;
      const startMs = wallClockToUtc(date, minutesToHhmm(placed), timeZone);
      out.push(makeAppointment(rnd, ctx, slot.staff.id, service, startMs, startMs + minutes * MINUTE));
      count++;
    }
  }
  return out;
}

function makeAppointment(
  rnd: Random,
  ctx: { now: number; locationId: string; clientIds: readonly string[]; deskId: string; nextId: () => string },
  staffId: string,
  service: Service,
  startMs: number,
  endMs: number,
): Appointment {
  const { now } = ctx;
  let status: AppointmentStatus;
  if (endMs <= now) status = rnd.weighted([['completed', 82], ['noShow', 6], ['cancelled', 12]] as const);
  else if (startMs <= now) status = 'arrived';
  else status = rnd.weighted([['booked', 55], ['confirmed', 38], ['cancelled', 7]] as const);
  let createdMs = startMs - rnd.int(2 * 60, 21 * 24 * 60) * MINUTE;
  if (createdMs > now) createdMs = now - rnd.int(10, 72 * 60) * MINUTE;
  createdMs = Math.floor(createdMs / MINUTE) * MINUTE;
  const history: Appointment['history'] = [{ at: iso(createdMs), by: ctx.deskId, kind: 'created' }];
  const changeAt = Math.max(createdMs, Math.min(now, startMs) - 30 * MINUTE);
  if (status === 'confirmed' || status === 'cancelled') history.push({ at: iso(changeAt), by: ctx.deskId, kind: 'statusChanged', from: 'booked', to: status });
  if (status === 'arrived' || status === 'completed') history.push({ at: iso(startMs), by: ctx.deskId, kind: 'statusChanged', from: 'booked', to: 'arrived' });
  if (status === 'completed') history.push({ at: iso(endMs), by: ctx.deskId, kind: 'statusChanged', from: 'arrived', to: 'completed' });
  if (status === 'noShow') history.push({ at: iso(Math.min(startMs + 15 * MINUTE, now)), by: ctx.deskId, kind: 'statusChanged', from: 'booked', to: 'noShow' });
  history.sort((x, y) => x.at.localeCompare(y.at));
  return {
    id: ctx.nextId(),
    locationId: ctx.locationId,
    clientId: rnd.pick(ctx.clientIds),
    staffId,
    serviceIds: [service.id],
    start: iso(startMs),
    end: iso(endMs),
    startMs,
    status,
    source: rnd.chance(0.3) ? 'online' : 'desk',
    history,
    reviewLeft: status === 'completed' && rnd.chance(0.3),
    priceMinor: service.priceMinor,
    createdAt: iso(createdMs),
    updatedAt: history[history.length - 1]!.at,
  };
}

const STATUS_WEIGHTS = DELIVERY_STATUSES.map((s) => [s, s === 'sandboxed' || s === 'delivered' || s === 'sent' ? 20 : 5] as const);
const REASONS = ['Sandbox mode: nothing was sent', 'Mailbox full', 'No e-mail address on file', 'Client opted out', 'Provider timeout', 'Quiet hours'];

function logEntry(rnd: Random, i: number, now: number, days: number, locationId: string, appointments: readonly Appointment[]): DeliveryLogEntry {
  const atMs = now - Math.floor(rnd.next() * days * DAY);
  const type = rnd.pick(NOTIFICATION_TYPES);
  const channel = rnd.pick(CHANNELS);
  const status = rnd.weighted(STATUS_WEIGHTS);
  const appointment = rnd.chance(0.6) ? rnd.pick(appointments) : undefined;
  const entry: DeliveryLogEntry = {
    id: `bench-log-${String(i).padStart(6, '0')}`,
    locationId,
    jobId: `bench-job|${type}|${String(Math.floor(i / 2))}`,
    type,
    channel,
    recipient: channel === 'email' ? `client${i % 5000}@example.com` : channel === 'sms' ? `+49151${String(1_000_000 + (i % 900_000))}` : '',
    status,
    at: iso(atMs),
    atMs,
  };
  if (status === 'failed' || status === 'notTried' || status === 'skipped' || status === 'sandboxed') entry.reason = rnd.pick(REASONS);
  if (channel === 'email') entry.subject = `Your visit at Lumière (${type})`;
  if (rnd.chance(0.5)) entry.body = `Hello, this is a ${type} message sent by ${channel}. Entry ${i}.`;
  if (appointment) {
    entry.appointmentId = appointment.id;
    entry.clientId = appointment.clientId;
  }
  return entry;
}

async function bulk(db: FrontDeskDatabase, name: 'staff' | 'appointments' | 'delivery_log', docs: readonly object[]): Promise<void> {
  const coll = db.collections[name] as unknown as { bulkInsert(d: readonly object[]): Promise<{ error: unknown[] }> };
  const res = await coll.bulkInsert(docs);
  if (res.error.length > 0) throw new Error(`ui bench data: ${res.error.length} ${name} refused; first: ${JSON.stringify(res.error[0]).slice(0, 600)}`);
}

/** Creates the database in `dataDir` (must be empty) and closes it again. */
export async function prepareUiBenchData(options: UiBenchDataOptions): Promise<UiBenchDataSummary> {
  const started = performance.now();
  const { now } = options;
  const seed = options.seed ?? 'ui-bench';
  const staffCount = options.staffCount ?? 30;
  const perDay = options.appointmentsPerDay ?? 600;
  const daysBefore = options.daysBefore ?? 4;
  const daysAfter = options.daysAfter ?? 5;
  const rnd = createRandom(`frontdesk-ui-bench:${seed}`);

  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: options.dataDir }), name: 'frontdesk', multiInstance: false });
  try {
    const { salon } = await loadDemoSalon(db, {
      now,
      seed,
      templates: (type) => defaultTemplates(type),
      clientCount: options.clientCount ?? 3000,
      daysBefore,
      daysAfter,
    });
    const tz = salon.location.timeZone;
    const added = extraStaff(rnd, Math.max(0, staffCount - salon.staff.length), salon.staff.length, salon.services, salon.location.id, salon.location.createdAt);
    await bulk(db, 'staff', added);
    const allStaff = [...salon.staff, ...added];
    const serviceById = new Map(salon.services.map((s) => [s.id, s]));
    const desk = salon.staff.find((s) => s.role === 'receptionist') ?? salon.staff[0]!;
    let nextId = 0;
    const ctx = {
      now,
      locationId: salon.location.id,
      clientIds: salon.clients.map((c) => c.id),
      deskId: desk.id,
      nextId: () => `appt-bench-${String(++nextId).padStart(6, '0')}`,
    };
    const today = utcToWallClock(now, tz).date;
    const perDate: Record<string, number> = {};
    const newAppointments: Appointment[] = [];
    for (let d = -daysBefore; d < daysAfter; d++) {
      const date = addDaysToLocalDate(today, d);
      const existing = salon.appointments.filter((a) => utcToWallClock(a.startMs, tz).date === date);
      const fresh = fillDay(rnd, date, tz, allStaff, existing, perDay, serviceById, ctx);
      newAppointments.push(...fresh);
      perDate[date] = existing.length + fresh.length;
    }
    for (let i = 0; i < newAppointments.length; i += 2000) await bulk(db, 'appointments', newAppointments.slice(i, i + 2000));

    const logCount = options.logEntries ?? 100_000;
    const logDays = options.logDays ?? 90;
    const allAppointments = [...salon.appointments, ...newAppointments];
    for (let i = 0; i < logCount; i += 5000) {
      const chunk: DeliveryLogEntry[] = [];
      for (let j = i; j < Math.min(logCount, i + 5000); j++) chunk.push(logEntry(rnd, j, now, logDays, salon.location.id, allAppointments));
      await bulk(db, 'delivery_log', chunk);
    }
    return {
      staff: allStaff.length,
      appointmentsPerDay: perDate,
      appointments: allAppointments.length,
      clients: salon.clients.length,
      deliveryLog: logCount,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await db.close();
  }
}

// `node test/bench/ui-bench-data.ts DIR` prepares a folder on its own (for poking at it with `npm run web`).
if (process.argv[1]?.endsWith('ui-bench-data.ts') && process.argv[2]) {
  const summary = await prepareUiBenchData({ dataDir: process.argv[2], now: Date.now() });
  console.log(JSON.stringify(summary));
}
