/**
 * Booking edits made at the desk, as pure functions: each takes the current appointment and what it needs to know
 * (the staff and services as found in the database) and returns the new document with the right history entry
 * appended, or EVERY issue that stops it — each with a code the UI translates, the request field it belongs to and
 * its parameters. The host's commands run these and write the result; the notification engine reacts to the
 * history (change alert, re-planned reminders, cancellation notice, review request…), so getting the entry right here
 * is what makes the right messages go out.
 *
 * Field names are those of the appointment commands' requests (`staffId`, `serviceIds[1]`, `start`, `end`, `status`).
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
import { issue, type Issue } from './issues.ts';
import type { Service } from './service.ts';
import { scheduleOn, type Staff } from './staff.ts';
import { BOOKABLE_YEARS, hhmmToMinutes, resolveWallTime, utcToWallClock, type WallTimeProblem } from './zoned-time.ts';

export type EditResult<T = Appointment> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const MINUTE_MS = 60_000;
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 720;
const MAX_HISTORY = 500;
/** Who makes desk edits; the history's `by`. */
export const DESK = 'desk';

const ok = <T>(value: T): EditResult<T> => ({ ok: true, value });
const refused = (issues: Issue[]): EditResult<never> => ({ ok: false, issues });

export const STATUS_LABELS: Readonly<Record<AppointmentStatus, string>> = {
  booked: 'Booked',
  confirmed: 'Confirmed',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  noShow: 'No-show',
};

const lower = (status: AppointmentStatus) => STATUS_LABELS[status].toLowerCase();

/** The specialist exists, belongs to the location and still works there. */
export function staffIssues(staff: Staff | undefined, staffId: string, locationId: string, field = 'staffId'): Issue[] {
  if (staffId === '') return [issue('appointment.staff.required', field, 'choose a specialist')];
  if (!staff) return [issue('appointment.staff.unknown', field, `specialist "${staffId}" does not exist (was it removed?)`, { id: staffId })];
  if (staff.locationId !== locationId) return [issue('appointment.staff.wrongLocation', field, `${staff.name} works at another location`, { staff: staff.name })];
  if (!staff.active) return [issue('appointment.staff.inactive', field, `${staff.name} no longer works here; choose another specialist`, { staff: staff.name })];
  return [];
}

/**
 * The services, in the order given: each exists, belongs to the location, is bookable (active — or already on the
 * visit, in `keep`) and is listed once. Answers the services found, for durations and prices.
 */
export function serviceIssues(
  serviceIds: readonly string[],
  found: ReadonlyMap<string, Service>,
  locationId: string,
  keep: ReadonlySet<string> = new Set(),
  field = 'serviceIds',
): { services: Service[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const services: Service[] = [];
  if (serviceIds.length === 0) issues.push(issue('appointment.services.required', field, 'choose at least one service'));
  serviceIds.forEach((id, i) => {
    const at = `${field}[${i}]`;
    const service = found.get(id);
    if (serviceIds.indexOf(id) !== i) {
      issues.push(issue('appointment.service.duplicate', at, `${service?.name ?? id} is listed twice`, { service: service?.name ?? id }));
    } else if (!service) {
      issues.push(issue('appointment.service.unknown', at, `service "${id}" does not exist (was it removed?)`, { id }));
    } else if (service.locationId !== locationId) {
      issues.push(issue('appointment.service.wrongLocation', at, `${service.name} is a service of another location`, { service: service.name }));
    } else if (!service.active && !keep.has(id)) {
      issues.push(issue('appointment.service.inactive', at, `${service.name} is no longer offered; choose another service`, { service: service.name }));
    } else {
      services.push(service);
    }
  });
  return { services, issues };
}

/** The specialist performs every one of the services. */
export function offeredIssues(staff: Staff, services: readonly Service[], fieldOf: (index: number) => string): Issue[] {
  const issues: Issue[] = [];
  services.forEach((service, i) => {
    if (!staff.serviceIds.includes(service.id)) {
      issues.push(issue('appointment.service.notOffered', fieldOf(i), `${staff.name} does not do ${service.name}; choose another specialist or service`, { staff: staff.name, service: service.name }));
    }
  });
  return issues;
}

/** The visit ends after it starts, and lasts between 5 minutes and 12 hours. */
export function intervalIssues(startMs: number, endMs: number, endField = 'end'): Issue[] {
  if (endMs <= startMs) return [issue('appointment.endBeforeStart', endField, 'the visit must end after it starts')];
  const minutes = Math.round((endMs - startMs) / MINUTE_MS);
  if (minutes < MIN_DURATION_MINUTES) return [issue('appointment.duration.tooShort', endField, `a visit lasts at least ${MIN_DURATION_MINUTES} minutes`, { minutes, min: MIN_DURATION_MINUTES })];
  if (minutes > MAX_DURATION_MINUTES) return [issue('appointment.duration.tooLong', endField, `a visit lasts at most ${MAX_DURATION_MINUTES / 60} hours`, { minutes, max: MAX_DURATION_MINUTES })];
  return [];
}

function minutesOf(services: readonly Service[]): number {
  return services.reduce((sum, s) => sum + s.durationMinutes, 0);
}

function priceOf(services: readonly Service[]): number {
  return services.reduce((sum, s) => sum + s.priceMinor, 0);
}

/** Total minutes of the services, in the order given; unknown ids are an issue. */
export function durationOfServices(serviceIds: readonly string[], services: readonly Service[]): EditResult<number> {
  const found = new Map(services.map((s) => [s.id, s]));
  const unknown = serviceIds.filter((id) => !found.has(id));
  if (serviceIds.length === 0) return refused([issue('appointment.services.required', 'serviceIds', 'choose at least one service')]);
  if (unknown.length > 0) return refused(unknown.map((id) => issue('appointment.service.unknown', 'serviceIds', `service "${id}" does not exist (was it removed?)`, { id })));
  return ok(minutesOf(serviceIds.map((id) => found.get(id)!)));
}

function withChange(appointment: Appointment, changes: Omit<AppointmentChange, 'at' | 'by'>[], now: number, by: string, patch: Partial<Appointment>): EditResult {
  if (appointment.history.length + changes.length > MAX_HISTORY) {
    return refused([issue('appointment.history.full', undefined, `this visit already has ${MAX_HISTORY} changes; book a new visit instead`, { max: MAX_HISTORY })]);
  }
  const at = new Date(now).toISOString();
  const entries = changes.map((change): AppointmentChange => ({ at, by, kind: change.kind, ...(change.from !== undefined ? { from: change.from } : {}), ...(change.to !== undefined ? { to: change.to } : {}) }));
  return ok({ ...appointment, ...patch, history: [...appointment.history, ...entries], updatedAt: at });
}

/** Only a visit that is still going to happen can be moved, re-assigned or re-serviced. */
function editableIssues(appointment: Appointment): Issue[] {
  if (isActiveStatus(appointment.status)) return [];
  const status = appointment.status;
  const restore = status === 'cancelled' || status === 'noShow';
  return [issue('appointment.notEditable', undefined, `the visit is ${lower(status)}${restore ? ' — restore it to booked first' : ''}`, { status })];
}

export interface NewBooking {
  id: string;
  locationId: string;
  clientId: string;
  staffId: string;
  serviceIds: string[];
  startMs: number;
  /** Defaults to the start plus the services' durations. */
  endMs?: number;
  notes?: string;
  now: number;
  by?: string;
}

/** What a new booking refers to, as found in the database (absent when not found). */
export interface BookingRefs {
  staff: Staff | undefined;
  services: ReadonlyMap<string, Service>;
}

export function createAppointment(input: NewBooking, refs: BookingRefs): EditResult {
  const issues: Issue[] = [];
  if (input.clientId === '') issues.push(issue('appointment.client.required', 'client', 'choose a client or create one'));
  if (!Number.isFinite(input.startMs)) issues.push(issue('appointment.start.required', 'start', 'choose a date and a time'));
  if (input.endMs !== undefined && !Number.isFinite(input.endMs)) issues.push(issue('appointment.end.required', 'end', 'choose when the visit ends'));
  const staffProblems = staffIssues(refs.staff, input.staffId, input.locationId);
  issues.push(...staffProblems);
  const { services, issues: serviceProblems } = serviceIssues(input.serviceIds, refs.services, input.locationId);
  issues.push(...serviceProblems);
  if (refs.staff && staffProblems.length === 0) issues.push(...offeredIssues(refs.staff, services, (i) => `serviceIds[${input.serviceIds.indexOf(services[i]!.id)}]`));
  const complete = serviceProblems.length === 0;
  // Without a given end the services say how long it takes; with unknown services there is nothing to check yet.
  const endMs = input.endMs ?? (complete ? input.startMs + minutesOf(services) * MINUTE_MS : undefined);
  if (endMs !== undefined) issues.push(...intervalIssues(input.startMs, endMs, input.endMs !== undefined ? 'end' : 'serviceIds'));
  if (issues.length > 0 || endMs === undefined || !Number.isFinite(endMs)) return refused(issues);
  const at = new Date(input.now).toISOString();
  const start = new Date(input.startMs).toISOString();
  const notes = input.notes?.trim();
  return ok({
    id: input.id,
    locationId: input.locationId,
    clientId: input.clientId,
    staffId: input.staffId,
    serviceIds: [...input.serviceIds],
    start,
    end: new Date(endMs).toISOString(),
    startMs: input.startMs,
    status: 'booked',
    source: 'desk',
    history: [{ at, by: input.by ?? DESK, kind: 'created', to: start }],
    reviewLeft: false,
    priceMinor: priceOf(services),
    ...(notes ? { notes } : {}),
    createdAt: at,
    updatedAt: at,
  });
}

/** Change the start time; the duration is kept. */
export function moveAppointment(appointment: Appointment, startMs: number, now: number, by = DESK): EditResult {
  const issues = editableIssues(appointment);
  if (startMs === appointment.startMs) issues.push(issue('appointment.move.unchanged', 'start', 'the visit already starts at that time'));
  if (issues.length > 0) return refused(issues);
  const duration = Date.parse(appointment.end) - appointment.startMs;
  const start = new Date(startMs).toISOString();
  return withChange(appointment, [{ kind: 'moved', from: appointment.start, to: start }], now, by, {
    start,
    startMs,
    end: new Date(startMs + duration).toISOString(),
  });
}

/**
 * Change only the end: the visit made longer or shorter (the day view's resize). The start, specialist and services
 * stay, so it is recorded as `durationChanged`, not as a move — the client keeps the time they were told, and the
 * engine sends no change alert and keeps the reminders. The same limits as a booking: it ends after it starts and
 * lasts 5 minutes to 12 hours.
 */
export function changeDuration(appointment: Appointment, endMs: number, now: number, by = DESK): EditResult {
  const issues = editableIssues(appointment);
  const currentEnd = Date.parse(appointment.end);
  if (endMs === currentEnd) issues.push(issue('appointment.duration.unchanged', 'end', 'the visit already ends at that time'));
  else issues.push(...intervalIssues(appointment.startMs, endMs, 'end'));
  if (issues.length > 0) return refused(issues);
  const end = new Date(endMs).toISOString();
  return withChange(appointment, [{ kind: 'durationChanged', from: appointment.end, to: end }], now, by, { end });
}

/** Another specialist, who must work at the location and do every service of the visit. */
export function reassignAppointment(appointment: Appointment, staff: Staff | undefined, staffId: string, services: readonly Service[], now: number, by = DESK): EditResult {
  const issues = editableIssues(appointment);
  const staffProblems = staffIssues(staff, staffId, appointment.locationId);
  issues.push(...staffProblems);
  if (staff && staffProblems.length === 0) {
    if (staff.id === appointment.staffId) issues.push(issue('appointment.staff.same', 'staffId', `${staff.name} already has this visit`, { staff: staff.name }));
    else issues.push(...offeredIssues(staff, services, () => 'staffId'));
  }
  if (issues.length > 0 || !staff) return refused(issues);
  return withChange(appointment, [{ kind: 'reassigned', from: appointment.staffId, to: staff.id }], now, by, { staffId: staff.id });
}

/** Replace the services; the end moves with the new total duration. The visit's specialist must do each one. */
export function changeServices(appointment: Appointment, serviceIds: readonly string[], found: ReadonlyMap<string, Service>, staff: Staff | undefined, now: number, by = DESK): EditResult {
  const issues = editableIssues(appointment);
  const { services, issues: serviceProblems } = serviceIssues(serviceIds, found, appointment.locationId, new Set(appointment.serviceIds));
  issues.push(...serviceProblems);
  if (serviceIds.length === appointment.serviceIds.length && serviceIds.every((id, i) => id === appointment.serviceIds[i])) {
    issues.push(issue('appointment.services.unchanged', 'serviceIds', 'the services are unchanged'));
  }
  if (staff && serviceProblems.length === 0) issues.push(...offeredIssues(staff, services, (i) => `serviceIds[${serviceIds.indexOf(services[i]!.id)}]`));
  const endMs = appointment.startMs + minutesOf(services) * MINUTE_MS;
  if (serviceProblems.length === 0) issues.push(...intervalIssues(appointment.startMs, endMs, 'serviceIds'));
  if (issues.length > 0) return refused(issues);
  return withChange(appointment, [{ kind: 'servicesChanged', from: appointment.serviceIds.join(','), to: serviceIds.join(',') }], now, by, {
    serviceIds: [...serviceIds],
    end: new Date(endMs).toISOString(),
    priceMinor: priceOf(services),
  });
}

/** `field` is the request field the status came from; none for a command that only names the visit (cancel). */
export function changeStatus(appointment: Appointment, to: AppointmentStatus, now: number, by = DESK, statusField: string | null = 'status'): EditResult {
  const field = statusField ?? undefined;
  const from = appointment.status;
  if (from === to) return refused([issue('appointment.status.same', field, `the visit is already ${lower(to)}`, { status: to })]);
  if (!canTransition(from, to)) {
    const allowed = STATUS_TRANSITIONS[from];
    return refused([
      issue('appointment.status.transition', field, `a ${lower(from)} visit cannot become ${lower(to)}; it can become: ${allowed.map(lower).join(', ')}`, { from, to, allowed: allowed.join(',') }),
    ]);
  }
  const timing = statusTimingIssue(appointment, to, now, field);
  if (timing) return refused([timing]);
  return withChange(appointment, [{ kind: 'statusChanged', from, to }], now, by, { status: to });
}

/** A client may arrive this long before the start (early for a colouring, waiting at the desk). */
export const EARLY_ARRIVAL_MS = 60 * MINUTE_MS;

/**
 * A status that describes the visit happening can be set only once it can have happened: "arrived" from an hour
 * before the start, "completed" and "no-show" from the start (each plans client messages: a review request, a
 * win-back); "confirmed by the client" and "cancelled" only before the visit is over. Undoing a mis-click back to
 * booked or arrived is always allowed.
 */
export function statusTimingIssue(appointment: Appointment, to: AppointmentStatus, now: number, field?: string): Issue | undefined {
  const start = appointment.startMs;
  const end = Date.parse(appointment.end);
  const undo = (appointment.status === 'completed' && to === 'arrived') || ((appointment.status === 'cancelled' || appointment.status === 'noShow') && to === 'booked');
  if (undo) return undefined;
  if (to === 'arrived' && now < start - EARLY_ARRIVAL_MS) {
    return issue('appointment.status.tooEarly', field, `the visit starts at ${new Date(start).toISOString()}; it can be marked ${lower(to)} from an hour before`, { status: to, startAt: start, fromAt: start - EARLY_ARRIVAL_MS });
  }
  if ((to === 'completed' || to === 'noShow') && now < start) {
    return issue('appointment.status.tooEarly', field, `the visit has not started yet; it can be marked ${lower(to)} from its start`, { status: to, startAt: start, fromAt: start });
  }
  if ((to === 'confirmed' || to === 'cancelled') && now >= end) {
    return issue('appointment.status.tooLate', field, `the visit is over; it can no longer be marked ${lower(to)}`, { status: to, startAt: start });
  }
  return undefined;
}

export interface CancelOptions {
  /** False: the client is told nothing (no cancellation notice, no win-back). Default true. */
  notifyClient?: boolean;
  /** The desk's reason, kept in the history. */
  reason?: string;
}

export function cancelAppointment(appointment: Appointment, now: number, by = DESK, options: CancelOptions = {}): EditResult {
  const result = changeStatus(appointment, 'cancelled', now, by, null);
  if (!result.ok) return result;
  const history = [...result.value.history];
  const last = history[history.length - 1]!;
  const note = options.reason?.trim();
  history[history.length - 1] = { ...last, notify: options.notifyClient !== false, ...(note ? { note: note.slice(0, 500) } : {}) };
  return { ok: true, value: { ...result.value, history } };
}

/** The status buttons a visit shows: every allowed move, in a stable order; with `now`, only those its time allows. */
export function nextStatuses(status: AppointmentStatus, timing?: { appointment: Appointment; now: number }): AppointmentStatus[] {
  const order: AppointmentStatus[] = ['confirmed', 'arrived', 'completed', 'noShow', 'cancelled', 'booked'];
  return order.filter((s) => canTransition(status, s) && (!timing || statusTimingIssue(timing.appointment, s, timing.now) === undefined));
}

export interface BookingWarning {
  /** `dayOffDate`, `vacation`, `sickLeave`: time off on that date (the staff member's days off and vacations). */
  kind: 'overlap' | 'clientOverlap' | 'outsideHours' | 'dayOff' | 'dayOffDate' | 'vacation' | 'sickLeave' | 'past';
  /** English fallback; the UI translates `kind` with `params`. */
  message: string;
  params: Record<string, string>;
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
  const staff = input.staff.name;
  for (const other of input.others) {
    if (other.id === input.id || !isActiveStatus(other.status)) continue;
    if (!intervalsOverlap(input.startMs, input.endMs, other.startMs, Date.parse(other.end))) continue;
    const when = describe(other);
    if (other.staffId === input.staff.id) {
      warnings.push({ kind: 'overlap', message: `${staff} already has a visit then: ${when}`, params: { staff, when }, appointmentId: other.id });
    } else if (other.clientId === input.clientId) {
      warnings.push({ kind: 'clientOverlap', message: `this client already has a visit then: ${when}`, params: { when }, appointmentId: other.id });
    }
  }
  const startWall = utcToWallClock(input.startMs, input.timeZone);
  const endWall = utcToWallClock(input.endMs, input.timeZone);
  const schedule = scheduleOn(input.staff, startWall.date, startWall.weekday);
  const ranges = schedule.ranges;
  if (schedule.timeOff) {
    const kind = schedule.timeOff.kind === 'dayOff' ? 'dayOffDate' : schedule.timeOff.kind;
    const { from, to } = schedule.timeOff;
    warnings.push({ kind, message: `${staff} is away from ${from} to ${to} (${schedule.timeOff.kind})`, params: { staff, from, to } });
  } else if (ranges.length === 0) {
    warnings.push({ kind: 'dayOff', message: `${staff} does not work on ${WEEKDAY_NAMES[startWall.weekday]}s`, params: { staff, weekday: startWall.weekday } });
  } else {
    const endMinutes = endWall.date === startWall.date ? endWall.minutes : 24 * 60;
    const inside = ranges.some((r) => hhmmToMinutes(r.start) <= startWall.minutes && endMinutes <= hhmmToMinutes(r.end));
    if (!inside) {
      const hours = ranges.map((r) => `${r.start}–${r.end}`).join(', ');
      warnings.push({ kind: 'outsideHours', message: `outside ${staff}'s working hours (${hours})`, params: { staff, hours } });
    }
  }
  if (input.startMs < input.now) warnings.push({ kind: 'past', message: 'this time is in the past', params: {} });
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
  durationChanged: 'Length changed',
};

/**
 * The instant of a local date and time the desk entered for `field` ("start", "end"), or issues naming its part:
 * a date that does not exist, a year outside the bookable range, a time the clocks skip for daylight saving time.
 */
export function instantOf(input: { date: string; time: string }, timeZone: string, field: string): { ok: true; ms: number } | { ok: false; issues: Issue[] } {
  const result = resolveWallTime(input.date, input.time, timeZone);
  if (result.ok) return result;
  const { date, time } = input;
  const refusal: Record<WallTimeProblem, Issue> = {
    date: issue('appointment.date.invalid', `${field}.date`, `${date} is not a date in the calendar`, { date }),
    time: issue('appointment.time.invalid', `${field}.time`, `${time} is not a time of day (00:00–23:59)`, { time }),
    range: issue('appointment.date.outOfRange', `${field}.date`, `choose a date between ${BOOKABLE_YEARS.from} and ${BOOKABLE_YEARS.to}`, { date, from: BOOKABLE_YEARS.from, to: BOOKABLE_YEARS.to }),
    gap: issue('appointment.time.skipped', `${field}.time`, `${time} does not exist on ${date} in ${timeZone}: the clocks skip it for daylight saving time — choose another time`, { date, time, zone: timeZone }),
  };
  return { ok: false, issues: [refusal[result.problem]] };
}
