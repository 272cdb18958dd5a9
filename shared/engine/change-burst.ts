/**
 * Change alerts tell the client the truth about a burst of edits: a receptionist who moves a visit, then changes the
 * specialist, then a service within a minute or two makes ONE change — the client gets one alert saying how the visit
 * was before the first edit and how it is now. A burst is a run of schedule changes (time, specialist, services) each
 * made within CHANGE_SETTLE_MS of the one before; its alert goes out once the burst has settled for that long.
 */
import type { Appointment, AppointmentChange } from '../domain/appointment.ts';
import { MINUTE_MS } from '../notifications/zoned-time.ts';

/** Edits closer together than this are one change for the client. */
export const CHANGE_SETTLE_MS = 2 * MINUTE_MS;

const SCHEDULE_KINDS: ReadonlySet<string> = new Set(['moved', 'reassigned', 'servicesChanged']);

export function isScheduleChange(change: AppointmentChange): boolean {
  return SCHEDULE_KINDS.has(change.kind);
}

export interface ChangeBurst {
  /** The schedule changes of the burst, oldest first. */
  changes: AppointmentChange[];
  firstAt: number;
  lastAt: number;
}

/** The schedule changes of a history grouped into bursts, oldest burst first. */
export function changeBursts(history: readonly AppointmentChange[], settleMs = CHANGE_SETTLE_MS): ChangeBurst[] {
  const bursts: ChangeBurst[] = [];
  for (const change of history) {
    if (!isScheduleChange(change)) continue;
    const at = Date.parse(change.at);
    const current = bursts.at(-1);
    if (current && at - current.lastAt <= settleMs) {
      current.changes.push(change);
      current.lastAt = at;
    } else {
      bursts.push({ changes: [change], firstAt: at, lastAt: at });
    }
  }
  return bursts;
}

/** The schedule of a visit: what a change alert compares. */
export interface ScheduleState {
  startMs: number;
  staffId: string;
  serviceIds: string[];
}

export function scheduleOf(appointment: Appointment): ScheduleState {
  return { startMs: appointment.startMs, staffId: appointment.staffId, serviceIds: [...appointment.serviceIds] };
}

/**
 * How the visit was right before a burst: the current schedule with every schedule change from the burst's first
 * one onwards undone, newest first (changes after the burst are undone too, so this holds for any burst).
 */
export function scheduleBefore(appointment: Appointment, burst: ChangeBurst): ScheduleState {
  const state = scheduleOf(appointment);
  const first = burst.changes[0]!;
  const history = appointment.history;
  const from = history.indexOf(first);
  for (let i = history.length - 1; i >= Math.max(from, 0); i--) {
    const change = history[i]!;
    if (change.kind === 'moved' && change.from) state.startMs = Date.parse(change.from);
    else if (change.kind === 'reassigned' && change.from) state.staffId = change.from;
    else if (change.kind === 'servicesChanged' && change.from) state.serviceIds = change.from.split(',').filter(Boolean);
  }
  return state;
}

export function sameSchedule(a: ScheduleState, b: ScheduleState): boolean {
  return a.startMs === b.startMs && a.staffId === b.staffId && a.serviceIds.length === b.serviceIds.length && a.serviceIds.every((id, i) => id === b.serviceIds[i]);
}

/** The occasion of a burst's change alert (its first change), and back. */
export function changeAlertOccasion(burst: ChangeBurst): string {
  return `change@${burst.firstAt}`;
}

/** The burst a change alert's occasion names, if the history still has it. */
export function burstOfOccasion(appointment: Appointment, occasion: string, settleMs = CHANGE_SETTLE_MS): ChangeBurst | undefined {
  const firstAt = Number(/^change@(\d+)$/.exec(occasion)?.[1]);
  if (!Number.isFinite(firstAt)) return undefined;
  return changeBursts(appointment.history, settleMs).find((burst) => burst.firstAt === firstAt);
}
