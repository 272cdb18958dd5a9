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

/** Minutes since local midnight of `date` (may exceed 1440 for an appointment running past midnight). */
export function minutesInto(date: string, ms: number, timeZone: string): number {
  const wall = utcToWallClock(ms, timeZone);
  if (wall.date === date) return wall.minutes;
  return wall.date < date ? 0 : 24 * 60;
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
}

/** Side-by-side lanes for overlapping intervals (cancelled visits included, so nothing hides another). */
export function layoutLanes<T>(items: readonly T[], start: (t: T) => number, end: (t: T) => number): Placed<T>[] {
  const sorted = [...items].sort((a, b) => start(a) - start(b) || end(b) - end(a));
  const placed: Placed<T>[] = [];
  let cluster: Placed<T>[] = [];
  let clusterEnd = -Infinity;
  const laneEnds: number[] = [];
  const flush = () => {
    const lanes = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.lanes = lanes;
    cluster = [];
    laneEnds.length = 0;
  };
  for (const item of sorted) {
    if (start(item) >= clusterEnd) {
      flush();
      clusterEnd = -Infinity;
    }
    let lane = laneEnds.findIndex((e) => e <= start(item));
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = end(item);
    const p = { item, lane, lanes: 1 };
    cluster.push(p);
    placed.push(p);
    clusterEnd = Math.max(clusterEnd, end(item));
  }
  flush();
  return placed;
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

export function appointmentEndMs(a: Appointment): number {
  return Date.parse(a.end);
}
