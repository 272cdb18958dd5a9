/**
 * Minimal wall-clock ↔ UTC conversion in an IANA zone with Intl only (available in Node, Electron and browsers).
 * The notification engine has its own DST-aware timing rules; this is what the data model and the demo need.
 */
import type { Weekday } from './staff.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
}

function partsAt(utcMs: number, timeZone: string): Parts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: out.weekday ?? '',
  };
}

/** Offset of the zone from UTC at an instant, in ms (e.g. +3 600 000 for CET). */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const p = partsAt(utcMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

const WEEKDAY_BY_SHORT: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

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
  const p = partsAt(utcMs, timeZone);
  return {
    date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    weekday: WEEKDAY_BY_SHORT[p.weekday] ?? 'mon',
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
  const local = Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(tm[1]), Number(tm[2]));
  const HALF_DAY = 12 * 3_600_000;
  const before = zoneOffsetMs(local - HALF_DAY, timeZone);
  const after = zoneOffsetMs(local + HALF_DAY, timeZone);
  const candidates = [local - before, local - after].sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + zoneOffsetMs(c, timeZone) === local) return c;
  }
  return local - before;
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
