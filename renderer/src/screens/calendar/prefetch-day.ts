/**
 * At the start, the calendar's day is asked for as soon as the location is known, beside the salon's staff and
 * services instead of after them: the day view's own queries (the same ones, data/queries.ts) then find their answers
 * in RxDB's query cache. Once per page; later day switches are the day view's own.
 *
 * A desk that showed a location before knows it already when the database opens (app/remembered-location.ts): the
 * location, its staff and services and the day are then asked for beside the list of locations, not after it. Should
 * the list decide for another location (the remembered one is gone, or another was chosen), that one's day is asked
 * for once it is known, as without a remembered location.
 */
import { useEffect } from 'react';
import { useLocationChoice } from '../../app/location-context.ts';
import { rememberedLocation, type RememberedLocation } from '../../app/remembered-location.ts';
import type { Route } from '../../app/router.ts';
import { useDatabase } from '../../data/hooks.ts';
import { appointmentsBetweenQuery, clientIdsKey, clientsByKeyQuery, locationByIdQuery, servicesOfLocationQuery, staffOfLocationQuery } from '../../data/queries.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { markStart } from '../../app/start-marks.ts';
import { DATE_PATTERN, dayRange, todayIn } from './calendar-model.ts';

let prefetched = false;
let guessed: RememberedLocation | undefined;

export function usePrefetchedDay(route: Route): void {
  const db = useDatabase();
  const { current: location, loaded } = useLocationChoice();
  // Called by the shell's screens, which mount before the list of locations is back; the calendar only after it.
  const calendarDay = route.screen === 'calendar' && route.params[0] !== 'week';
  const routed = route.params[1];
  useEffect(() => {
    if (prefetched || !db || !calendarDay) return;
    if (!loaded) {
      if (guessed) return;
      guessed = rememberedLocation();
      if (!guessed) return;
      markStart('day_guessed');
      prefetchSalon(db, guessed.id);
      prefetchDay(db, guessed, routed);
      return;
    }
    if (!location) return;
    prefetched = true;
    // The salon's own queries (data/salon.ts) go out with this render; only the day needs a head start.
    if (guessed?.id === location.id && guessed.timeZone === location.timeZone) return;
    prefetchDay(db, location, routed);
  }, [db, location, loaded, calendarDay, routed]);
}

function prefetchSalon(db: FrontDeskDatabase, locationId: string): void {
  // Only a head start: the salon gate runs these queries itself and shows what goes wrong.
  for (const query of [locationByIdQuery(db, locationId), staffOfLocationQuery(db, locationId), servicesOfLocationQuery(db, locationId)]) {
    (query.exec() as Promise<unknown>).catch(() => undefined);
  }
}

function prefetchDay(db: FrontDeskDatabase, location: RememberedLocation, routed: string | undefined): void {
  const date = routed && DATE_PATTERN.test(routed) ? routed : todayIn(location.timeZone);
  const [from, to] = dayRange(date, location.timeZone);
  appointmentsBetweenQuery(db, location.id, from, to)
    .exec()
    .then((visits) => clientsByKeyQuery(db, clientIdsKey(visits.map((visit) => visit.clientId)))?.exec())
    // Only a head start: the day view runs these queries itself and shows what goes wrong.
    .catch(() => undefined);
}
