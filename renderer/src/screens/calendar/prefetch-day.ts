/**
 * At the start, the page asks for the calendar's first day itself, as soon as the database is open: the list of
 * locations, then the chosen location, its staff and services and the day's visits (then their clients). React is
 * still rendering the shell then, and the screens' own queries (the same ones, data/queries.ts) find their answers
 * in RxDB's query cache once they mount; the host answers meanwhile instead of waiting for that render to end.
 *
 * A desk that showed a location before knows it already when the database opens (app/remembered-location.ts): that
 * location's salon and day are asked for beside the list of locations, not after it. Should the list decide for
 * another location (the remembered one is gone, or another was chosen), that one's are asked for once it is known.
 * Once per page; later, the day view asks for the days beside the one it shows (useNeighbourDaysPrefetch).
 */
import { useEffect } from 'react';
import { currentLocation, LOCATION_STORAGE_KEY } from '../../app/location-context.ts';
import { rememberedLocation, type RememberedLocation } from '../../app/remembered-location.ts';
import { parseRoute } from '../../app/router.ts';
import { getDatabase, type PageDatabase } from '../../data/database.ts';
import { useDatabase } from '../../data/hooks.ts';
import { appointmentsBetweenQuery, clientIdsKey, clientsByKeyQuery, locationByIdQuery, locationsQuery, servicesOfLocationQuery, staffOfLocationQuery } from '../../data/queries.ts';
import { addDaysToLocalDate } from '../../../../shared/domain/zoned-time.ts';
import { markStart } from '../../app/start-marks.ts';
import { afterNextPaint } from '../../app/when-idle.ts';
import { warmIntl } from '../../app/warm-intl.ts';
import { DATE_PATTERN, dayRange, todayIn } from './calendar-model.ts';

let started = false;

/** Called once, before the first render; does nothing unless the page opens on the calendar's day view. */
export function prefetchStartDay(): void {
  if (started) return;
  started = true;
  const route = parseRoute(window.location.hash);
  if (route.screen !== 'calendar' || route.params[0] === 'week') return;
  const routed = route.params[1];
  const guessed = rememberedLocation();
  // Only a head start: the screens run these queries themselves and show what goes wrong.
  void getDatabase()
    .then(async (db) => {
      if (guessed) {
        markStart('day_guessed');
        prefetchSalonAndDay(db, guessed, routed);
      }
      const listed = locationsQuery(db).exec();
      // In the next task, once the query has left: the formatters are made while the host answers it. Made before the
      // database opened, they held up its requests to the host (the storage's creates left 30 ms later, often after the
      // host had begun to open its database, and then waited for that).
      setTimeout(() => warmIntl(guessed?.timeZone), 0);
      const locations = await listed;
      const shown = currentLocation(locations, localStorage.getItem(LOCATION_STORAGE_KEY));
      if (!shown || (guessed?.id === shown.id && guessed.timeZone === shown.timeZone)) return;
      prefetchSalonAndDay(db, { id: shown.id, timeZone: shown.timeZone }, routed);
    })
    .catch(() => undefined);
}

function prefetchSalonAndDay(db: PageDatabase, location: RememberedLocation, routed: string | undefined): void {
  for (const query of [locationByIdQuery(db, location.id), staffOfLocationQuery(db, location.id), servicesOfLocationQuery(db, location.id)]) {
    (query.exec() as Promise<unknown>).catch(() => undefined);
  }
  prefetchDate(db, location, routed && DATE_PATTERN.test(routed) ? routed : todayIn(location.timeZone));
}

/**
 * Once a day is on screen, the two days before and after it are asked for as soon as that day's frame is painted:
 * the next ← or → then finds that day's visits and their clients in RxDB's query cache and swaps it in within the
 * click's own task. Without it a switch to a day not seen yet waited for two host round trips in a row (the visits,
 * then their clients) and was the slowest switch of any run. Two days ahead, not one: someone clicking through the
 * days faster than the host answers finds the next day asked for a switch earlier. Not when the page is idle: a
 * person (or bench:ui) clicking again right after the paint came before the idle callback, which the switch then
 * cancelled, so every day of a run of new days waited for both round trips. Days already asked for cost nothing
 * (RxDB answers from its cache). A switch before the paint cancels the asking for the day it left (a held arrow key
 * asks only for the days around the one it stops at).
 */
export function useNeighbourDaysPrefetch(location: RememberedLocation, date: string, shown: boolean): void {
  const db = useDatabase();
  const { id, timeZone } = location;
  useEffect(() => {
    if (!db || !shown) return;
    return afterNextPaint(() => {
      for (const offset of NEIGHBOUR_OFFSETS) prefetchDate(db, { id, timeZone }, addDaysToLocalDate(date, offset));
    });
  }, [db, id, timeZone, date, shown]);
}

/** The days asked for around the one shown, nearest first (the host answers one query at a time). */
const NEIGHBOUR_OFFSETS = [1, -1, 2, -2];


/**
 * Answers of a day's visits whose clients were asked for already. RxDB keeps one answer per query until a visit of it
 * changes; each switch asks again for the four days around it, and working out the clients' query for a day it
 * already had (600 ids sorted, a query of 600 ids normalised) cost a few ms in the task after the switch's paint.
 */
const clientsAskedFor = new WeakSet<object>();

function prefetchDate(db: PageDatabase, location: RememberedLocation, date: string): void {
  const [from, to] = dayRange(date, location.timeZone);
  const query = appointmentsBetweenQuery(db, location.id, from, to);
  query
    .exec()
    .then((visits) => {
      const answer = query._result;
      if (answer) {
        if (clientsAskedFor.has(answer)) return;
        clientsAskedFor.add(answer);
      }
      return clientsByKeyQuery(db, clientIdsKey(visits.map((visit) => visit.clientId)))?.exec();
    })
    .catch(() => undefined);
}
