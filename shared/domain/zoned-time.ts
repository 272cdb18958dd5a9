/**
 * The data model's string-shaped view ("YYYY-MM-DD", "HH:MM", weekday names) of the one zone arithmetic in
 * shared/notifications/zoned-time.ts, so the demo, the UI and the engine agree on every DST edge.
 */
import { isValidTimeZone, zoneOffsetMs, zonedParts, zonedToUtc } from '../notifications/zoned-time.ts';
import type { Weekday } from './staff.ts';

export { isValidTimeZone, zoneOffsetMs };

/** zonedParts numbers weekdays from Sunday = 0. */
const WEEKDAY_BY_INDEX: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface WallClock {
  /** "YYYY-MM-DD" */
  date: string;
  /** "HH:MM" */
  time: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function utcToWallClock(utcMs: number, timeZone: string): WallClock {
  const p = zonedParts(utcMs, timeZone);
  return {
    date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    weekday: WEEKDAY_BY_INDEX[p.weekday] ?? 'mon',
    minutes: p.hour * 60 + p.minute,
  };
}

/**
 * The instant of a local date and time in a zone. In the autumn overlap the earlier instant is returned; a time that
 * does not exist (spring gap, e.g. 02:30 in Berlin) is moved forward by the gap length (→ 03:30), as clocks do.
 */
export function wallClockToUtc(date: string, time: string, timeZone: string): number {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{2}):(\d{2})$/.exec(time);
  if (dm === null) throw new Error(`date "${date}" is not YYYY-MM-DD`);
  if (tm === null) throw new Error(`time "${time}" is not HH:MM`);
  return zonedToUtc({ year: Number(dm[1]), month: Number(dm[2]), day: Number(dm[3]), hour: Number(tm[1]), minute: Number(tm[2]) }, timeZone);
}

/** Adds calendar days to a "YYYY-MM-DD" date (no zone involved: local dates are just dates). */
export function addDaysToLocalDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** "HH:MM" → minutes since midnight. */
export function hhmmToMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function minutesToHhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Years a desk can book in: wide enough for any salon, narrow enough that every instant fits the epoch-ms index. */
export const BOOKABLE_YEARS = { from: 2000, to: 2100 } as const;

export type WallTimeProblem = 'date' | 'time' | 'range' | 'gap';
export type WallTimeResult = { ok: true; ms: number } | { ok: false; problem: WallTimeProblem };

/** "YYYY-MM-DD" names a day that exists (no 30 February, no month 13). */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

/**
 * The instant a desk means by a local date and time in the location's zone, or why there is none: a date that does
 * not exist, a time that is not HH:MM on a 24-hour clock, a year outside BOOKABLE_YEARS, or a time the clocks skip
 * (spring DST gap, e.g. 02:30 in Berlin on the last Sunday of March). Unlike `wallClockToUtc`, nothing is moved
 * silently. In the autumn overlap the earlier of the two instants is meant, as a person reading the clock would.
 */
export function resolveWallTime(date: string, time: string, timeZone: string): WallTimeResult {
  if (!isCalendarDate(date)) return { ok: false, problem: 'date' };
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return { ok: false, problem: 'time' };
  const year = Number(date.slice(0, 4));
  if (year < BOOKABLE_YEARS.from || year > BOOKABLE_YEARS.to) return { ok: false, problem: 'range' };
  const ms = wallClockToUtc(date, time, timeZone);
  const back = utcToWallClock(ms, timeZone);
  if (back.date !== date || back.time !== time) return { ok: false, problem: 'gap' };
  return { ok: true, ms };
}
