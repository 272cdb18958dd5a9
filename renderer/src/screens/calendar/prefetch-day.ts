/**
 * At the start, the page asks for the calendar's first day itself, as soon as the database is open: the list of
 * locations, then the chosen location, its staff and services and the day's visits (then their clients). React is
 * still rendering the shell then, and the screens' own queries (the same ones, data/queries.ts) find their answers
 * in RxDB's query cache once they mount; the host answers meanwhile instead of waiting for that render to end.
 *
 * A desk that showed a location before knows it already when the database opens (app/remembered-location.ts): that
 * location's salon and day are asked for beside the list of locations, not after it. Should the list decide for
 * another location (the remembered one is gone, or another was chosen), that one's are asked for once it is known.
 * Once per page; later day switches are the day view's own.
 */
import { currentLocation, LOCATION_STORAGE_KEY } from '../../app/location-context.ts';
import { rememberedLocation, type RememberedLocation } from '../../app/remembered-location.ts';
import { parseRoute } from '../../app/router.ts';
import { getDatabase } from '../../data/database.ts';
import { appointmentsBetweenQuery, clientIdsKey, clientsByKeyQuery, locationByIdQuery, locationsQuery, servicesOfLocationQuery, staffOfLocationQuery } from '../../data/queries.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { markStart } from '../../app/start-marks.ts';
import { DATE_PATTERN, dayRange, todayIn } from './calendar-model.ts';

let started = false;

/** Called once, before the first render; does nothing unless the page opens on the calendar's day view. */
export function prefetchStartDay(): void {
  if (started) return;
  started = true;
  const route = parseRoute(window.location.hash);
  if (route.screen !== 'calendar' || route.params[0] === 'week') return;
  const routed = route.params[1];
  // Only a head start: the screens run these queries themselves and show what goes wrong.
  void getDatabase()
    .then(async (db) => {
      const guessed = rememberedLocation();
      if (guessed) {
        markStart('day_guessed');
        prefetchSalonAndDay(db, guessed, routed);
      }
      const locations = await locationsQuery(db).exec();
      const shown = currentLocation(locations, localStorage.getItem(LOCATION_STORAGE_KEY));
      if (!shown || (guessed?.id === shown.id && guessed.timeZone === shown.timeZone)) return;
      prefetchSalonAndDay(db, { id: shown.id, timeZone: shown.timeZone }, routed);
    })
    .catch(() => undefined);
}

function prefetchSalonAndDay(db: FrontDeskDatabase, location: RememberedLocation, routed: string | undefined): void {
  for (const query of [locationByIdQuery(db, location.id), staffOfLocationQuery(db, location.id), servicesOfLocationQuery(db, location.id)]) {
    (query.exec() as Promise<unknown>).catch(() => undefined);
  }
  const date = routed && DATE_PATTERN.test(routed) ? routed : todayIn(location.timeZone);
  const [from, to] = dayRange(date, location.timeZone);
  appointmentsBetweenQuery(db, location.id, from, to)
    .exec()
    .then((visits) => clientsByKeyQuery(db, clientIdsKey(visits.map((visit) => visit.clientId)))?.exec())
    .catch(() => undefined);
}
