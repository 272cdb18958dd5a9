/**
 * Days of the demo salon for tests that need visits on the calendar and Sophie Wagner at work: the demo salon is closed
 * on Sundays and several specialists are off on Mondays and Saturdays, so "tomorrow" or "in three days" fails the
 * test on some days of the week.
 */
import { DEMO_SEED, generateDemoSalon } from '../../../shared/demo/demo-salon.ts';
import { clientDisplayName } from '../../../shared/domain/client.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../../shared/domain/zoned-time.ts';

export const DEMO_ZONE = 'Europe/Berlin';
const BUSY_WEEKDAYS = new Set(['tue', 'wed', 'thu', 'fri']);

/** Today in the demo salon's zone, as the calendar's "today". */
export function demoToday(): string {
  return utcToWallClock(Date.now(), DEMO_ZONE).date;
}

/** The first Tuesday to Friday at least `after` days from today, in the demo salon's zone. */
export function demoWorkday(after = 1): string {
  let date = addDaysToLocalDate(demoToday(), after);
  while (!BUSY_WEEKDAYS.has(utcToWallClock(Date.parse(`${date}T12:00:00Z`), DEMO_ZONE).weekday)) date = addDaysToLocalDate(date, 1);
  return date;
}

/** `sessions.open({ hash })` for a test that starts on a day with visits: today's calendar is empty on a Sunday. */
export function demoWorkdayHash(after = 1): string {
  return `#/calendar/day/${demoWorkday(after)}`;
}

/**
 * The name of a demo client with visits in the book the demo host loads today, which no other client's name contains
 * (the search finds them alone): which clients have visits depends on the weekday the demo is drawn on.
 */
export function demoClientWithVisits(): string {
  const salon = generateDemoSalon({ now: Date.now(), seed: DEMO_SEED });
  const names = salon.clients.map((c) => clientDisplayName(c).toLowerCase());
  // The client search matches parts of names: "Anna Wolf" would also find "Anna Wolff".
  const alone = (name: string) => names.filter((other) => other.includes(name.toLowerCase())).length === 1;
  const withVisits = new Set(salon.appointments.map((visit) => visit.clientId));
  const client = salon.clients.find((c) => withVisits.has(c.id) && alone(clientDisplayName(c)));
  if (!client) throw new Error('the demo salon has no client with visits and a name no other client’s contains');
  return clientDisplayName(client);
}
