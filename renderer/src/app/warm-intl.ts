/**
 * A page's first Intl.DateTimeFormat loads ICU's data: 15-80 ms in a fresh tab at load 3 (any zone or locale after it
 * takes under 1 ms), and its first Intl.NumberFormat 1-11 ms more. At start the first ones were the calendar's: the
 * day's range, made between the list of locations and the day's query, and the salon's money format before the day's
 * first render. Made while the host answers the list of locations, they overlap that round trip instead.
 */
import { utcToWallClock } from '../../../shared/domain/zoned-time.ts';

/** `timeZone`: the zone the page will show, when known (its formatter is then the one the calendar uses). */
export function warmIntl(timeZone = 'UTC'): void {
  utcToWallClock(Date.now(), timeZone);
  new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(0);
}
