/**
 * Time in the salon's IANA zone, with Intl only (DESIGN.md §4.4).
 *
 * Two kinds of offsets exist and must not be mixed up:
 * - elapsed offsets ("2 h before") are plain millisecond arithmetic on epoch instants, so across a DST change
 *   "2 h before" is still exactly 2 real hours;
 * - calendar offsets ("7 days before at 10:00") are wall-clock: move the local date, then convert the local time in
 *   the zone back to an instant, so the message lands at 10:00 on the clock on the wall whatever DST did meanwhile.
 *
 * Resolution of local times that do not map to exactly one instant (documented decision):
 * - spring-forward gap (e.g. 02:30 on 2026-03-29 in Europe/Berlin does not exist): the time moves forward by the
 *   length of the gap (02:30 → 03:30 CEST), which is what a wall clock that "skipped" the hour would show;
 * - fall-back overlap (e.g. 02:30 on 2026-10-25 in Europe/Berlin happens twice): the EARLIER instant (CEST) is
 *   chosen, so a message is never later than the salon intended.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A calendar date, no zone attached. month is 1–12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock reading in some zone. */
export interface WallClock extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
}

/** What the wall clock in a zone shows at an instant; weekday is 0 = Sunday … 6 = Saturday. */
export interface ZonedParts extends WallClock {
  readonly second: number;
  readonly weekday: number;
}

export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

// Building a DateTimeFormat costs far more than using one; planning 100k jobs must not build 100k of them.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * formatToParts costs tens of microseconds and planning calls it several times per job. Since 1980 every zone
 * changes its offset only at a quarter hour of UTC, so the offset found at the start of a 15-minute UTC bucket holds
 * for the whole bucket, and the wall clock follows from plain arithmetic. Older instants take the exact path.
 * A zone changes its offset on a few days a year at most, and never twice within a day (zonedToUtc assumes the
 * same): when the offsets at the start of a UTC day and of the next one agree, that offset holds all day. So a day
 * costs two exact readings, not one per quarter hour (60 days of quarter-hour reminders: 120 instead of 5,760).
 */
const OFFSET_BUCKET_MS = 15 * 60_000;
const FAST_PATH_FROM = Date.UTC(1980, 0, 1);
/** Per zone, per UTC day number: the day's offset, or NaN on a day the offset changes (then per bucket). */
const dayOffsetCache = new Map<string, Map<number, number>>();
/** Per zone, per bucket start, on days the offset changes: a map per zone keyed by a number, so no string is built. */
const offsetCache = new Map<string, Map<number, number>>();

function zoneMap(cache: Map<string, Map<number, number>>, timeZone: string): Map<number, number> {
  let zone = cache.get(timeZone);
  if (zone === undefined) {
    if (cache.size > 100) cache.clear();
    cache.set(timeZone, (zone = new Map()));
  }
  if (zone.size > 100_000) zone.clear();
  return zone;
}

function exactOffset(epochMs: number, timeZone: string): number {
  return wallAsUtc(exactZonedParts(epochMs, timeZone)) - epochMs;
}

function bucketOffset(epochMs: number, timeZone: string): number {
  const day = Math.floor(epochMs / DAY_MS);
  const days = zoneMap(dayOffsetCache, timeZone);
  let dayOffset = days.get(day);
  if (dayOffset === undefined) {
    const atStart = exactOffset(day * DAY_MS, timeZone);
    dayOffset = atStart === exactOffset((day + 1) * DAY_MS, timeZone) ? atStart : Number.NaN;
    days.set(day, dayOffset);
  }
  if (!Number.isNaN(dayOffset)) return dayOffset;
  const bucketStart = Math.floor(epochMs / OFFSET_BUCKET_MS) * OFFSET_BUCKET_MS;
  const buckets = zoneMap(offsetCache, timeZone);
  let offset = buckets.get(bucketStart);
  if (offset === undefined) {
    offset = exactOffset(bucketStart, timeZone);
    buckets.set(bucketStart, offset);
  }
  return offset;
}

/** The wall-clock reading in `timeZone` at the instant `epochMs`. */
export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a finite instant: ${epochMs}`);
  if (epochMs < FAST_PATH_FROM) return exactZonedParts(epochMs, timeZone);
  const shifted = new Date(epochMs + bucketOffset(epochMs, timeZone));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

function exactZonedParts(epochMs: number, timeZone: string): ZonedParts {
  const values: Record<string, string> = {};
  for (const p of partsFormatter(timeZone).formatToParts(epochMs)) values[p.type] = p.value;
  let year = Number(values.year);
  if (values.era === 'BC' || values.era === 'B') year = 1 - year;
  return {
    year,
    month: Number(values.month),
    day: Number(values.day),
    // Some ICU versions print midnight as 24 even with h23; normalise defensively.
    hour: Number(values.hour) % 24,
    minute: Number(values.minute),
    second: Number(values.second),
    weekday: WEEKDAYS[values.weekday ?? ''] ?? 0,
  };
}

/** Treats a wall-clock reading as if it were UTC; the basis of all offset arithmetic below. */
function wallAsUtc(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second ?? 0, 0);
  return d.getTime();
}

/** UTC offset of the zone at an instant, in ms (positive east of Greenwich: Berlin in summer → +2 h). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallAsUtc(zonedParts(whole, timeZone)) - whole;
}

/**
 * The instant at which the wall clock in `timeZone` shows `wall`. Gap → moved forward by the gap length; overlap →
 * the earlier instant (see the file comment). Assumes at most one offset change within ±1 day of the time, which holds
 * for every zone in the current tz database.
 */
export function zonedToUtc(wall: WallClock, timeZone: string): number {
  const local = wallAsUtc(wall);
  const offsetBefore = zoneOffsetMs(local - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(local + DAY_MS, timeZone);
  const candidates: number[] = [];
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const t = local - offset;
    if (zoneOffsetMs(t, timeZone) === offset) candidates.push(t);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: reading the wall time with the offset that was valid before the jump lands after the jump, exactly
  // the gap length later on the new clock.
  return local - offsetBefore;
}

/** The local calendar date in `timeZone` at an instant. */
export function localDateOf(epochMs: number, timeZone: string): LocalDate {
  const p = zonedParts(epochMs, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

/** Pure calendar arithmetic: no zone is involved in which day is "3 days later". */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(0);
  d.setUTCFullYear(date.year, date.month - 1, date.day + days);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function compareLocalDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * The next occurrence of an annual date (birthday) on or after `from`. A 29 February date falls on 28 February in
 * common years, so the client is greeted every year, and before the day rather than after it.
 */
export function nextAnnualDate(month: number, day: number, from: LocalDate): LocalDate {
  const inYear = (year: number): LocalDate => {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return month === 2 && day === 29 && !leap ? { year, month: 2, day: 28 } : { year, month, day };
  };
  const thisYear = inYear(from.year);
  return compareLocalDates(thisYear, from) >= 0 ? thisYear : inYear(from.year + 1);
}

/** "HH:MM" (24-hour, 00:00–23:59) → {hour, minute}; throws on anything else. */
export function parseTimeOfDay(text: string): TimeOfDay {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (m === null) throw new RangeError(`not a time of day (HH:MM, 00:00–23:59): ${JSON.stringify(text)}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

export function isTimeOfDay(text: string): boolean {
  return /^([01]\d|2[0-3]):([0-5]\d)$/.test(text);
}

/** The instant when the wall clock in the zone shows `time` on `date`. */
export function atLocalTime(date: LocalDate, time: TimeOfDay | string, timeZone: string): number {
  const t = typeof time === 'string' ? parseTimeOfDay(time) : time;
  return zonedToUtc({ ...date, hour: t.hour, minute: t.minute, second: 0 }, timeZone);
}

/** "N days before `date` at HH:MM" in the zone (wall-clock, §4.4): birthday greetings, expiring discounts. */
export function daysBeforeAt(date: LocalDate, days: number, time: TimeOfDay | string, timeZone: string): number {
  return atLocalTime(addDays(date, -days), time, timeZone);
}

/**
 * The same wall-clock time `days` calendar days later (negative: earlier): "3 days after the cancellation" keeps the
 * local time of day even if a DST change lies between.
 */
export function addWallClockDays(epochMs: number, days: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  const date = addDays(p, days);
  const subSecond = epochMs - Math.floor(epochMs / 1000) * 1000;
  return zonedToUtc({ ...date, hour: p.hour, minute: p.minute, second: p.second }, timeZone) + subSecond;
}

/** Elapsed-time offset (§4.4): "2 h before" is 2 real hours before, DST or not. */
export function minutesBefore(epochMs: number, minutes: number): number {
  return epochMs - minutes * MINUTE_MS;
}

/** Minutes since local midnight as the wall clock shows them (0–1439). */
export function localMinuteOfDay(epochMs: number, timeZone: string): number {
  if (Number.isFinite(epochMs) && epochMs >= FAST_PATH_FROM) {
    // The same reading as zonedParts' hour and minute, without a Date: planning asks this for every job.
    const local = epochMs + bucketOffset(epochMs, timeZone);
    return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
  }
  const p = zonedParts(epochMs, timeZone);
  return p.hour * 60 + p.minute;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting for templates.

const displayFormatters = new Map<string, Intl.DateTimeFormat>();

function displayFormatter(locale: string, timeZone: string, kind: DisplayKind): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let f = displayFormatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...DISPLAY_OPTIONS[kind] });
    displayFormatters.set(key, f);
  }
  return f;
}

type DisplayKind = 'date' | 'time' | 'dateTime' | 'weekday';

const DISPLAY_OPTIONS: Readonly<Record<DisplayKind, Intl.DateTimeFormatOptions>> = {
  date: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
  // hour: 'numeric' lets the locale choose 12- or 24-hour (en-US "2:30 PM", en-GB/ru "14:30").
  time: { hour: 'numeric', minute: '2-digit' },
  dateTime: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' },
  weekday: { weekday: 'long' },
};

/**
 * The locale used to format values inside a message: the message's language with the location's region, so a
 * Russian message reads "вт, 24 нояб. 2026 г." anywhere, an English one in the US "Tue, Nov 24, 2026, 2:30 PM" and
 * in Germany "Tue, 24 Nov 2026, 14:30". Where CLDR has no data for that pair (English in Russia), the bare language
 * is used with the location's hour cycle, so times always follow the salon's clock convention.
 */
export function formattingLocale(language: string, locale: string | undefined): string {
  if (locale === undefined || locale === '') return language;
  // Asked once per message or reason (10,000 times in one re-plan); the answer depends only on the two strings.
  const key = `${language}|${locale}`;
  let known = formattingLocales.get(key);
  if (known === undefined) {
    known = resolveFormattingLocale(language, locale);
    if (formattingLocales.size > 1000) formattingLocales.clear();
    formattingLocales.set(key, known);
  }
  return known;
}

const formattingLocales = new Map<string, string>();

function resolveFormattingLocale(language: string, locale: string): string {
  try {
    const loc = new Intl.Locale(locale);
    if (loc.language === language) return loc.toString();
    if (loc.region !== undefined) {
      const candidate = `${language}-${loc.region}`;
      if (new Intl.DateTimeFormat(candidate).resolvedOptions().locale === candidate) return candidate;
    }
    const hourCycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
    return hourCycle === undefined ? language : new Intl.Locale(language, { hourCycle }).toString();
  } catch {
    return language;
  }
}

export interface DisplayOptions {
  readonly locale: string;
  readonly timeZone: string;
}

/** "Tue, 24 Nov 2026" (en-GB) / "Tue, Nov 24, 2026" (en-US) / "вт, 24 нояб. 2026 г." (ru). */
export function formatLocalDate(epochMs: number, o: DisplayOptions): string {
  return displayFormatter(o.locale, o.timeZone, 'date').format(epochMs);
}

/** "14:30" or "2:30 PM", as the locale prefers. */
export function formatLocalTime(epochMs: number, o: DisplayOptions): string {
  return displayFormatter(o.locale, o.timeZone, 'time').format(epochMs);
}

export function formatLocalDateTime(epochMs: number, o: DisplayOptions): string {
  return displayFormatter(o.locale, o.timeZone, 'dateTime').format(epochMs);
}

/** "Tuesday" / "вторник". */
export function formatWeekday(epochMs: number, o: DisplayOptions): string {
  return displayFormatter(o.locale, o.timeZone, 'weekday').format(epochMs);
}
