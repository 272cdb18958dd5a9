/**
 * Days of the demo salon for tests that need visits on the calendar and Sophie Wagner at work: the demo salon is closed
 * on Sundays and several specialists are off on Mondays and Saturdays, so "tomorrow" or "in three days" fails the
 * test on some days of the week.
 */
import { addDaysToLocalDate, utcToWallClock } from '../../../shared/domain/zoned-time.ts';

export const DEMO_ZONE = 'Europe/Berlin';
const BUSY_WEEKDAYS = new Set(['tue', 'wed', 'thu', 'fri']);

/** The first Tuesday to Friday at least `after` days from today, in the demo salon's zone. */
export function demoWorkday(after = 1): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), DEMO_ZONE).date, after);
  while (!BUSY_WEEKDAYS.has(utcToWallClock(Date.parse(`${date}T12:00:00Z`), DEMO_ZONE).weekday)) date = addDaysToLocalDate(date, 1);
  return date;
}
