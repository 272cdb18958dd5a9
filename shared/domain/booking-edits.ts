/**
 * Booking edits made at the desk, as pure functions: each takes the current appointment (and what it needs to know)
 * and returns the new document with the right history entry appended, or an error a receptionist can read. The UI
 * writes the result; the notification engine reacts to the history (change alert, re-planned reminders, cancellation
 * notice, review request…), so getting the entry right here is what makes the right messages go out.
 */
import {
  canTransition,
  intervalsOverlap,
  isActiveStatus,
  STATUS_TRANSITIONS,
  type Appointment,
  type AppointmentChange,
  type AppointmentStatus,
  type ChangeKind,
} from './appointment.ts';
import type { Service } from './service.ts';
import type { Staff } from './staff.ts';
import { utcToWallClock, hhmmToMinutes } from './zoned-time.ts';

export type EditResult<T = Appointment> = { ok: true; value: T } | { ok: false; error: string };

const MINUTE_MS = 60_000;
const MAX_HISTORY = 500;
/** Who makes desk edits; the history's `by`. */
export const DESK = 'desk';

const ok = <T>(value: T): EditResult<T> => ({ ok: true, value });
const fail = (error: string): EditResult<never> => ({ ok: false, error });

/** Total minutes of the services, in the order given; unknown ids are an error. */
export function durationOfServices(serviceIds: readonly string[], services: readonly Service[]): EditResult<number> {
  if (serviceIds.length === 0) return fail('choose at least one service');
  let total = 0;
  for (const id of serviceIds) {
    const service = services.find((s) => s.id === id);
    if (!service) return fail(`service "${id}" does not exist (was it removed?)`);
    total += service.durationMinutes;
  }
  return ok(total);
}

function priceOf(serviceIds: readonly string[], services: readonly Service[]): number {
  return serviceIds.reduce((sum, id) => sum + (services.find((s) => s.id === id)?.priceMinor ?? 0), 0);
}

function withChange(appointment: Appointment, change: Omit<AppointmentChange, 'at' | 'by'>, now: number, by: string, patch: Partial<Appointment>): EditResult {
  if (appointment.history.length >= MAX_HISTORY) return fail(`this visit already has ${MAX_HISTORY} changes; book a new visit instead`);
  const at = new Date(now).toISOString();
  const entry: AppointmentChange = { at, by, kind: change.kind, ...(change.from !== undefined ? { from: change.from } : {}), ...(change.to !== undefined ? { to: change.to } : {}) };
  return ok({ ...appointment, ...patch, history: [...appointment.history, entry], updatedAt: at });
}

function editable(appointment: Appointment, what: string): string | undefined {
  if (isActiveStatus(appointment.status)) return undefined;
  const label = STATUS_LABELS[appointment.status].toLowerCase();
  return `cannot ${what}: the visit is ${label}${appointment.status === 'cancelled' || appointment.status === 'noShow' ? ' — restore it to booked first' : ''}`;
}

export const STATUS_LABELS: Readonly<Record<AppointmentStatus, string>> = {
  booked: 'Booked',
  confirmed: 'Confirmed',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  noShow: 'No-show',
};

export interface NewBooking {
  id: string;
  locationId: string;
  clientId: string;
  staffId: string;
  serviceIds: string[];
  startMs: number;
  /** Defaults to the sum of the services' durations. */
  durationMinutes?: number;
  notes?: string;
  now: number;
  by?: string;
}

export function createAppointment(input: NewBooking, services: readonly Service[], staff?: Staff): EditResult {
  if (input.clientId === '') return fail('choose a client or create one');
  if (input.staffId === '') return fail('choose a specialist');
  const duration = durationOfServices(input.serviceIds, services);
  if (!duration.ok) return duration;
  if (new Set(input.serviceIds).size !== input.serviceIds.length) return fail('a service is listed twice');
  if (!Number.isFinite(input.startMs)) return fail('choose a date and time');
  if (staff && !staff.active) return fail(`${staff.name} no longer works here; choose another specialist`);
  const minutes = input.durationMinutes ?? duration.value;
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) return fail('duration must be 5 minutes to 12 hours');
  const at = new Date(input.now).toISOString();
  const start = new Date(input.startMs).toISOString();
  const appointment: Appointment = {
    id: input.id,
    locationId: input.locationId,
    clientId: input.clientId,
    staffId: input.staffId,
    serviceIds: [...input.serviceIds],
    start,
    end: new Date(input.startMs + minutes * MINUTE_MS).toISOString(),
    startMs: input.startMs,
    status: 'booked',
    source: 'desk',
    history: [{ at, by: input.by ?? DESK, kind: 'created', to: start }],
    reviewLeft: false,
    priceMinor: priceOf(input.serviceIds, services),
    ...(input.notes?.trim() ? { notes: input.notes.trim() } : {}),
    createdAt: at,
    updatedAt: at,
  };
  return ok(appointment);
}

/** Change the start time; the duration is kept. */
export function moveAppointment(appointment: Appointment, startMs: number, now: number, by = DESK): EditResult {
  const blocked = editable(appointment, 'move it');
  if (blocked) return fail(blocked);
  if (!Number.isFinite(startMs)) return fail('choose a date and time');
  if (startMs === appointment.startMs) return fail('the visit already starts at that time');
  const duration = Date.parse(appointment.end) - appointment.startMs;
  const start = new Date(startMs).toISOString();
  return withChange(appointment, { kind: 'moved', from: appointment.start, to: start }, now, by, {
    start,
    startMs,
    end: new Date(startMs + duration).toISOString(),
  });
}

export function reassignAppointment(appointment: Appointment, staff: Staff, now: number, by = DESK): EditResult {
  const blocked = editable(appointment, 'change the specialist');
  if (blocked) return fail(blocked);
  if (staff.id === appointment.staffId) return fail(`${staff.name} already has this visit`);
  if (!staff.active) return fail(`${staff.name} no longer works here; choose another specialist`);
  return withChange(appointment, { kind: 'reassigned', from: appointment.staffId, to: staff.id }, now, by, { staffId: staff.id });
}

/** Replace the services; the end moves with the new total duration. */
export function changeServices(appointment: Appointment, serviceIds: readonly string[], services: readonly Service[], now: number, by = DESK): EditResult {
  const blocked = editable(appointment, 'change the services');
  if (blocked) return fail(blocked);
  const duration = durationOfServices(serviceIds, services);
  if (!duration.ok) return duration;
  if (new Set(serviceIds).size !== serviceIds.length) return fail('a service is listed twice');
  if (serviceIds.length === appointment.serviceIds.length && serviceIds.every((id, i) => id === appointment.serviceIds[i])) {
    return fail('the services are unchanged');
  }
  return withChange(appointment, { kind: 'servicesChanged', from: appointment.serviceIds.join(','), to: serviceIds.join(',') }, now, by, {
    serviceIds: [...serviceIds],
    end: new Date(appointment.startMs + duration.value * MINUTE_MS).toISOString(),
    priceMinor: priceOf(serviceIds, services),
  });
}

export function changeStatus(appointment: Appointment, to: AppointmentStatus, now: number, by = DESK): EditResult {
  const from = appointment.status;
  if (from === to) return fail(`the visit is already ${STATUS_LABELS[to].toLowerCase()}`);
  if (!canTransition(from, to)) {
    const allowed = STATUS_TRANSITIONS[from].map((s) => STATUS_LABELS[s].toLowerCase()).join(', ');
    return fail(`a ${STATUS_LABELS[from].toLowerCase()} visit cannot become ${STATUS_LABELS[to].toLowerCase()}; it can become: ${allowed}`);
  }
  return withChange(appointment, { kind: 'statusChanged', from, to }, now, by, { status: to });
}

export function cancelAppointment(appointment: Appointment, now: number, by = DESK): EditResult {
  return changeStatus(appointment, 'cancelled', now, by);
}

/** The status buttons a visit shows: every allowed move, in a stable order. */
export function nextStatuses(status: AppointmentStatus): AppointmentStatus[] {
  const order: AppointmentStatus[] = ['confirmed', 'arrived', 'completed', 'noShow', 'cancelled', 'booked'];
  return order.filter((s) => canTransition(status, s));
}

export interface BookingWarning {
  kind: 'overlap' | 'clientOverlap' | 'outsideHours' | 'dayOff' | 'past';
  message: string;
  /** The other appointment, for overlaps. */
  appointmentId?: string;
}

export interface WarningInput {
  /** The appointment being created or edited (its own id is ignored among `others`). */
  id?: string;
  clientId: string;
  staff: Staff;
  startMs: number;
  endMs: number;
  timeZone: string;
  /** Appointments around that time (any staff); inactive ones are ignored. */
  others: readonly Appointment[];
  now: number;
  describe?: (appointment: Appointment) => string;
}

/** Warnings, not errors: the desk may book over them on purpose (a squeeze-in, a stylist staying late). */
export function bookingWarnings(input: WarningInput): BookingWarning[] {
  const warnings: BookingWarning[] = [];
  const describe = input.describe ?? ((a: Appointment) => `${a.start}–${a.end}`);
  for (const other of input.others) {
    if (other.id === input.id || !isActiveStatus(other.status)) continue;
    if (!intervalsOverlap(input.startMs, input.endMs, other.startMs, Date.parse(other.end))) continue;
    if (other.staffId === input.staff.id) {
      warnings.push({ kind: 'overlap', message: `${input.staff.name} already has a visit then: ${describe(other)}`, appointmentId: other.id });
    } else if (other.clientId === input.clientId) {
      warnings.push({ kind: 'clientOverlap', message: `this client already has a visit then: ${describe(other)}`, appointmentId: other.id });
    }
  }
  const startWall = utcToWallClock(input.startMs, input.timeZone);
  const endWall = utcToWallClock(input.endMs, input.timeZone);
  const ranges = input.staff.workingHours[startWall.weekday];
  if (ranges.length === 0) {
    warnings.push({ kind: 'dayOff', message: `${input.staff.name} does not work on ${WEEKDAY_NAMES[startWall.weekday]}s` });
  } else {
    const endMinutes = endWall.date === startWall.date ? endWall.minutes : 24 * 60;
    const inside = ranges.some((r) => hhmmToMinutes(r.start) <= startWall.minutes && endMinutes <= hhmmToMinutes(r.end));
    if (!inside) {
      const hours = ranges.map((r) => `${r.start}–${r.end}`).join(', ');
      warnings.push({ kind: 'outsideHours', message: `outside ${input.staff.name}'s working hours (${hours})` });
    }
  }
  if (input.startMs < input.now) warnings.push({ kind: 'past', message: 'this time is in the past' });
  return warnings;
}

const WEEKDAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' } as const;

/** Readable text of a history entry's kind. */
export const CHANGE_LABELS: Readonly<Record<ChangeKind, string>> = {
  created: 'Booked',
  moved: 'Moved',
  reassigned: 'Specialist changed',
  servicesChanged: 'Services changed',
  statusChanged: 'Status changed',
  notesChanged: 'Notes changed',
};
