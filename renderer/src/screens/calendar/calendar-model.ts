/** Calendar arithmetic in the location's zone (never the browser's), and the lane layout of overlapping blocks. */
import type { Appointment, AppointmentStatus } from '../../../../shared/domain/appointment.ts';
import type { Staff, Weekday } from '../../../../shared/domain/staff.ts';
import { addDaysToLocalDate, hhmmToMinutes, utcToWallClock, wallClockToUtc } from '../../../../shared/domain/zoned-time.ts';

export type CalendarView = 'day' | 'week';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function todayIn(timeZone: string, now = Date.now()): string {
  return utcToWallClock(now, timeZone).date;
}

/** [start, end) of a local day in epoch ms (23 or 25 hours long on DST days). */
export function dayRange(date: string, timeZone: string): [number, number] {
  return [wallClockToUtc(date, '00:00', timeZone), wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', timeZone)];
}

export function weekdayOf(date: string, timeZone: string): Weekday {
  return utcToWallClock(wallClockToUtc(date, '12:00', timeZone), timeZone).weekday;
}

/** Monday of the week containing `date`. */
export function weekStart(date: string, timeZone: string): string {
  const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return addDaysToLocalDate(date, -order.indexOf(weekdayOf(date, timeZone)));
}

export function weekDates(date: string, timeZone: string): string[] {
  const monday = weekStart(date, timeZone);
  return Array.from({ length: 7 }, (_, i) => addDaysToLocalDate(monday, i));
}

const DAY_MS = 24 * 60 * 60_000;
/** Local midnights of recently shown days: [midnight, next midnight] in UTC ms, per zone and date. */
const midnights = new Map<string, readonly [number, number]>();

function midnightsOf(date: string, timeZone: string): readonly [number, number] {
  const key = `${timeZone}|${date}`;
  let found = midnights.get(key);
  if (!found) {
    found = [wallClockToUtc(date, '00:00', timeZone), wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', timeZone)];
    if (midnights.size > 64) midnights.clear();
    midnights.set(key, found);
  }
  return found;
}

/**
 * Minutes since local midnight of `date`, clamped to 0 before it and 1440 from the next midnight on. A day with no
 * clock change (all but two a year) is plain arithmetic from its midnight: a day switch places 600 visits three
 * times each, and a zone conversion per call was a visible part of its render. Days with a clock change convert.
 */
export function minutesInto(date: string, ms: number, timeZone: string): number {
  const [start, end] = midnightsOf(date, timeZone);
  if (ms < start) return 0;
  if (ms >= end) return 24 * 60;
  if (end - start === DAY_MS) return Math.floor((ms - start) / 60_000);
  const wall = utcToWallClock(ms, timeZone);
  if (wall.date === date) return wall.minutes;
  return wall.date < date ? 0 : 24 * 60;
}

/**
 * The span of a day's visits for gridHours: one block from the earliest start to the latest end (none for no visits).
 * minutesInto never decreases with the instant, so converting the extremes equals taking the extremes of every
 * visit's minutes; a day switch converted 600 visits twice each for it.
 */
export function visitsExtent(date: string, visits: readonly Pick<Appointment, 'startMs' | 'end'>[], timeZone: string): { startMin: number; endMin: number }[] {
  if (visits.length === 0) return [];
  let first = Infinity;
  let last = -Infinity;
  for (const visit of visits) {
    first = Math.min(first, visit.startMs);
    last = Math.max(last, Date.parse(visit.end));
  }
  return [{ startMin: minutesInto(date, first, timeZone), endMin: minutesInto(date, last, timeZone) }];
}

/** The hours the grid shows: working hours of everyone that day plus their visits, whole hours, at least 9–18. */
export function gridHours(staff: readonly Staff[], weekdays: readonly Weekday[], blocks: readonly { startMin: number; endMin: number }[]): [number, number] {
  let from = 9 * 60;
  let to = 18 * 60;
  for (const s of staff) {
    for (const day of weekdays) {
      for (const range of s.workingHours[day]) {
        from = Math.min(from, hhmmToMinutes(range.start));
        to = Math.max(to, hhmmToMinutes(range.end));
      }
    }
  }
  for (const b of blocks) {
    from = Math.min(from, b.startMin);
    to = Math.max(to, b.endMin);
  }
  return [Math.max(0, Math.floor(from / 60) - 1) , Math.min(24, Math.ceil(to / 60) + 1)];
}

export interface Placed<T> {
  item: T;
  lane: number;
  lanes: number;
  /** Index of the cluster (a maximal run of transitively overlapping intervals) the item belongs to. */
  cluster: number;
  /** Lanes the item may cover (≥ 1): it grows right over lanes that are free for its whole interval. */
  span: number;
}

export interface Cluster {
  start: number;
  end: number;
  lanes: number;
  size: number;
}

/**
 * Interval-graph column packing: sort by start (longest first on ties), sweep, put each interval in the first lane
 * that is free at its start; a cluster ends when no interval is open, and all its members share the cluster's lane
 * count, so intervals only get narrower when they really overlap something. O(n log n + n·lanes).
 */
export function packIntervals<T>(items: readonly T[], start: (t: T) => number, end: (t: T) => number): { placed: Placed<T>[]; clusters: Cluster[] } {
  const sorted = [...items].sort((a, b) => start(a) - start(b) || end(b) - end(a));
  const placed: Placed<T>[] = [];
  const clusters: Cluster[] = [];
  let first = 0;
  let clusterStart = 0;
  let clusterEnd = -Infinity;
  const laneEnds: number[] = [];
  const flush = () => {
    if (placed.length === first) return;
    const lanes = Math.max(1, laneEnds.length);
    const members = placed.slice(first);
    for (const p of members) p.lanes = lanes;
    // Expand each item to the right while the next lane has nothing overlapping it.
    for (const p of members) {
      const s = start(p.item);
      const e = end(p.item);
      let span = 1;
      while (p.lane + span < lanes && !members.some((o) => o.lane === p.lane + span && start(o.item) < e && end(o.item) > s)) span++;
      p.span = span;
    }
    clusters.push({ start: clusterStart, end: clusterEnd, lanes, size: placed.length - first });
    first = placed.length;
    laneEnds.length = 0;
  };
  for (const item of sorted) {
    const s = start(item);
    const e = end(item);
    if (s >= clusterEnd) {
      flush();
      clusterStart = s;
      clusterEnd = -Infinity;
    }
    let lane = laneEnds.findIndex((x) => x <= s);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = e;
    placed.push({ item, lane, lanes: 1, cluster: clusters.length, span: 1 });
    clusterEnd = Math.max(clusterEnd, e);
  }
  flush();
  return { placed, clusters };
}

/** Side-by-side lanes for overlapping intervals (cancelled visits included, so nothing hides another). */
export function layoutLanes<T>(items: readonly T[], start: (t: T) => number, end: (t: T) => number): Placed<T>[] {
  return packIntervals(items, start, end).placed;
}

/** "Anna K." — first name and the initial of the last; "AK" when `initials`. */
export function shortName(c: { firstName: string; lastName: string }, initials = false): string {
  const first = c.firstName.trim();
  const last = c.lastName.trim();
  if (initials) return `${first.charAt(0)}${last.charAt(0)}`.toLocaleUpperCase() || '?';
  return last ? `${first} ${last.charAt(0)}.` : first;
}

/**
 * Keeps the previous array for a group whose members are the same objects as before, so memoised columns skip
 * re-rendering (and re-layout) when a visit elsewhere in the week changes. Live queries hand out the same plain
 * object for an unchanged document, which makes the identity check sound.
 */
export function stableGroups<T>(previous: ReadonlyMap<string, readonly T[]>, next: ReadonlyMap<string, T[]>): Map<string, readonly T[]> {
  const out = new Map<string, readonly T[]>();
  for (const [key, list] of next) {
    const old = previous.get(key);
    out.set(key, old && old.length === list.length && old.every((item, i) => item === list[i]) ? old : list);
  }
  return out;
}

export const STATUS_COLORS: Readonly<Record<AppointmentStatus, string>> = {
  booked: 'blue',
  confirmed: 'indigo',
  arrived: 'teal',
  completed: 'gray',
  cancelled: 'red',
  noShow: 'orange',
};

/** Specialists shown as calendar columns: active, performing services. */
export function calendarStaff(staff: readonly Staff[]): Staff[] {
  return staff.filter((s) => s.active && s.serviceIds.length > 0);
}

/** [start, end] minutes of a working range. */
export function hhmmRange(r: { start: string; end: string }): [number, number] {
  return [hhmmToMinutes(r.start), hhmmToMinutes(r.end)];
}

export function appointmentEndMs(a: Appointment): number {
  return Date.parse(a.end);
}

/**
 * The stretches of [fromMin, toMin) outside `working` (each [start, end) in minutes), in order: the day grid hatches
 * these and leaves the open hours plain. Unsorted, overlapping and empty ranges are allowed.
 */
export function closedRanges(working: readonly { start: string; end: string }[], fromMin: number, toMin: number): [number, number][] {
  const open = working.map(hhmmRange).filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
  const closed: [number, number][] = [];
  let cursor = fromMin;
  for (const [start, end] of open) {
    if (start > cursor) closed.push([cursor, Math.min(start, toMin)]);
    cursor = Math.max(cursor, end);
    if (cursor >= toMin) break;
  }
  if (cursor < toMin) closed.push([cursor, toMin]);
  return closed.filter(([start, end]) => end > start);
}
