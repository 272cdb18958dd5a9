/**
 * Deterministic demo salon: the same `seed` and `now` always give the same documents (no Math.random, no clock).
 * Two weeks of appointments around `now`, in the location's zone and the staff's working hours, never overlapping
 * for a specialist or a client.
 */
import type { Appointment, AppointmentChange, AppointmentStatus } from '../domain/appointment.ts';
import type { Client } from '../domain/client.ts';
import type { ClientPerk } from '../domain/client-perk.ts';
import type { Location } from '../domain/location.ts';
import type { NotificationSettings } from '../domain/notification-settings.ts';
import type { Service } from '../domain/service.ts';
import type { Staff } from '../domain/staff.ts';
import { addDaysToLocalDate, hhmmToMinutes, minutesToHhmm, utcToWallClock, wallClockToUtc } from '../domain/zoned-time.ts';
import { DEMO_LOCATION_ID, demoLocation, demoServices, demoStaff } from './demo-catalog.ts';
import { demoClients } from './demo-clients.ts';
import { defaultNotificationSettings } from './default-settings.ts';
import { defaultTemplates } from '../notifications/templates/defaults.ts';
import type { TemplateSource } from './default-settings.ts';
import { createRandom } from './prng.ts';
import type { Random } from './prng.ts';

export interface DemoOptions {
  /** Epoch ms the demo is built around ("today"). */
  now: number;
  seed: string | number;
  /** Templates for the notification settings; defaults to the built-in English and Russian texts. */
  templates?: TemplateSource;
  /** Defaults to 300. */
  clientCount?: number;
  /** Days of appointments before and after today (defaults 7 and 7: two weeks). */
  daysBefore?: number;
  daysAfter?: number;
}

export interface DemoSalon {
  location: Location;
  staff: Staff[];
  services: Service[];
  clients: Client[];
  appointments: Appointment[];
  notificationSettings: NotificationSettings[];
  clientPerks: ClientPerk[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** The seed of the demo salon the app loads (`--demo`, the set-up wizard's "try the demo"). */
export const DEMO_SEED = 1;

export function generateDemoSalon(options: DemoOptions): DemoSalon {
  const { now } = options;
  if (!Number.isFinite(now)) throw new Error(`demo salon: "now" must be epoch milliseconds, got ${String(now)}`);
  const rnd = createRandom(`frontdesk-demo:${String(options.seed)}`);
  const setupAt = iso(Math.floor((now - 400 * DAY) / MINUTE) * MINUTE);

  const location = demoLocation(setupAt);
  const services = demoServices(setupAt);
  const staff = demoStaff(services, setupAt);
  const clients = demoClients(rnd, { now, count: options.clientCount ?? 300, locationId: DEMO_LOCATION_ID });
  const appointments = demoAppointments(rnd, {
    now,
    location,
    staff,
    services,
    clients,
    daysBefore: options.daysBefore ?? 7,
    daysAfter: options.daysAfter ?? 7,
  });
  const clientPerks = demoPerks(rnd, now, location, clients);
  const notificationSettings = defaultNotificationSettings(
    DEMO_LOCATION_ID,
    options.templates ?? ((type) => defaultTemplates(type)),
    setupAt,
  );
  return { location, staff, services, clients, appointments, notificationSettings, clientPerks };
}

interface AppointmentContext {
  now: number;
  location: Location;
  staff: Staff[];
  services: Service[];
  clients: Client[];
  daysBefore: number;
  daysAfter: number;
}

function demoAppointments(rnd: Random, ctx: AppointmentContext): Appointment[] {
  const { now, location } = ctx;
  const tz = location.timeZone;
  const serviceById = new Map(ctx.services.map((s) => [s.id, s]));
  const desk = ctx.staff.find((s) => s.role === 'receptionist') ?? ctx.staff[0];
  const clientBusy = new Map<string, [number, number][]>();
  const today = utcToWallClock(now, tz).date;
  const out: Appointment[] = [];

  for (let d = -ctx.daysBefore; d < ctx.daysAfter; d++) {
    const date = addDaysToLocalDate(today, d);
    const weekday = utcToWallClock(wallClockToUtc(date, '12:00', tz), tz).weekday;
    for (const member of ctx.staff) {
      if (member.serviceIds.length === 0) continue;
      for (const range of member.workingHours[weekday]) {
        let t = hhmmToMinutes(range.start);
        const end = hhmmToMinutes(range.end);
        for (;;) {
          if (rnd.chance(0.3)) t += rnd.pick([15, 30, 45, 60]);
          const first = serviceById.get(rnd.pick(member.serviceIds));
          if (first === undefined) break;
          const picked = [first];
          if (rnd.chance(0.2)) {
            const second = serviceById.get(rnd.pick(member.serviceIds));
            if (second !== undefined && second.id !== first.id) picked.push(second);
          }
          const minutes = picked.reduce((s, x) => s + x.durationMinutes, 0);
          if (t + minutes > end) break;
          const startMs = wallClockToUtc(date, minutesToHhmm(t), tz);
          const endMs = startMs + minutes * MINUTE;
          const client = pickFreeClient(rnd, ctx.clients, clientBusy, startMs, endMs);
          t += Math.ceil(minutes / 15) * 15;
          if (client === undefined) continue;
          out.push(
            makeAppointment(rnd, {
              id: `appt-${String(out.length + 1).padStart(4, '0')}`,
              now,
              locationId: location.id,
              client,
              staffId: member.id,
              deskId: desk?.id ?? member.id,
              services: picked,
              startMs,
              endMs,
            }),
          );
        }
      }
    }
  }
  return out;
}

function pickFreeClient(
  rnd: Random,
  clients: readonly Client[],
  busy: Map<string, [number, number][]>,
  startMs: number,
  endMs: number,
): Client | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const c = rnd.pick(clients);
    const slots = busy.get(c.id) ?? [];
    if (slots.some(([s, e]) => s < endMs && startMs < e)) continue;
    slots.push([startMs, endMs]);
    busy.set(c.id, slots);
    return c;
  }
  return undefined;
}

interface AppointmentSeed {
  id: string;
  now: number;
  locationId: string;
  client: Client;
  staffId: string;
  deskId: string;
  services: Service[];
  startMs: number;
  endMs: number;
}

function makeAppointment(rnd: Random, a: AppointmentSeed): Appointment {
  const { now, startMs, endMs } = a;
  let status: AppointmentStatus;
  if (endMs <= now) {
    status = rnd.weighted([['completed', 82], ['noShow', 6], ['cancelled', 12]] as const);
  } else if (startMs <= now) {
    status = 'arrived';
  } else {
    status = rnd.weighted([['booked', 55], ['confirmed', 38], ['cancelled', 7]] as const);
  }
  const source = rnd.weighted([['desk', 70], ['online', 30]] as const);
  let createdMs = startMs - rnd.int(2 * 60, 21 * 24 * 60) * MINUTE;
  if (createdMs > now) createdMs = now - rnd.int(10, 72 * 60) * MINUTE;
  createdMs = Math.floor(createdMs / MINUTE) * MINUTE;
  const latest = Math.min(now, startMs);
  const between = () => createdMs + Math.floor(rnd.next() * Math.max(0, latest - createdMs) / MINUTE) * MINUTE;

  const by = source === 'online' ? 'online' : a.deskId;
  const history: AppointmentChange[] = [{ at: iso(createdMs), by, kind: 'created' }];
  if (rnd.chance(0.08) && latest - createdMs > HOUR) {
    const from = startMs + rnd.pick([-1, 1]) * rnd.pick([60, 120, 24 * 60]) * MINUTE;
    history.push({ at: iso(between()), by: a.deskId, kind: 'moved', from: iso(from), to: iso(startMs) });
  }
  const statusChange = (atMs: number, to: AppointmentStatus, from: AppointmentStatus) =>
    history.push({ at: iso(atMs), by: a.deskId, kind: 'statusChanged', from, to });
  switch (status) {
    case 'confirmed':
      statusChange(between(), 'confirmed', 'booked');
      break;
    case 'arrived':
      statusChange(startMs, 'arrived', 'booked');
      break;
    case 'completed':
      statusChange(startMs, 'arrived', 'booked');
      statusChange(endMs, 'completed', 'arrived');
      break;
    case 'noShow':
      statusChange(Math.min(startMs + 15 * MINUTE, now), 'noShow', 'booked');
      break;
    case 'cancelled':
      statusChange(between(), 'cancelled', 'booked');
      break;
    case 'booked':
      break;
  }
  history.sort((x, y) => x.at.localeCompare(y.at));
  const last = history[history.length - 1];
  return {
    id: a.id,
    locationId: a.locationId,
    clientId: a.client.id,
    staffId: a.staffId,
    serviceIds: a.services.map((s) => s.id),
    start: iso(startMs),
    end: iso(endMs),
    startMs,
    status,
    source,
    history,
    reviewLeft: status === 'completed' && rnd.chance(0.3),
    priceMinor: a.services.reduce((s, x) => s + x.priceMinor, 0),
    createdAt: iso(createdMs),
    updatedAt: last?.at ?? iso(createdMs),
  };
}

function demoPerks(rnd: Random, now: number, location: Location, clients: readonly Client[]): ClientPerk[] {
  const today = utcToWallClock(now, location.timeZone).date;
  const perks: ClientPerk[] = [];
  const add = (p: Omit<ClientPerk, 'id' | 'locationId' | 'createdAt' | 'createdAtMs'>, ageDays: number) => {
    const createdAtMs = Math.floor((now - ageDays * DAY - rnd.int(0, 600) * MINUTE) / MINUTE) * MINUTE;
    perks.push({
      id: `perk-${String(perks.length + 1).padStart(3, '0')}`,
      locationId: location.id,
      createdAt: iso(createdAtMs),
      createdAtMs,
      ...p,
    });
  };
  for (const c of clients.filter((x) => x.loyaltyPoints > 0).slice(0, 25)) {
    add(
      { clientId: c.id, kind: 'bonusAccrual', points: Math.min(c.loyaltyPoints, rnd.pick([50, 100, 150])), balanceAfter: c.loyaltyPoints, description: 'Visit bonus', used: false },
      rnd.int(1, 60),
    );
  }
  for (let i = 0; i < 15; i++) {
    const c = rnd.pick(clients);
    add(
      {
        clientId: c.id,
        kind: 'discount',
        percent: rnd.pick([10, 15, 20]),
        code: `LUM-${String(1000 + i)}`,
        description: 'Seasonal discount',
        // Some expire within days, so the expiring-discount reminder has work in the demo.
        expiresOn: addDaysToLocalDate(today, rnd.int(-5, 30)),
        used: rnd.chance(0.2),
      },
      rnd.int(10, 90),
    );
  }
  for (let i = 0; i < 6; i++) {
    const c = rnd.pick(clients);
    add(
      {
        clientId: c.id,
        kind: 'certificate',
        amountMinor: rnd.pick([2500, 5000, 10_000]),
        code: `GIFT-${String(500 + i)}`,
        description: 'Gift certificate',
        expiresOn: addDaysToLocalDate(today, rnd.int(5, 180)),
        used: false,
      },
      rnd.int(10, 200),
    );
  }
  return perks;
}
