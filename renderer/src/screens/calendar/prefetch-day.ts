/**
 * At the start, the calendar's day is asked for as soon as the location is known, beside the salon's staff and
 * services instead of after them: the day view's own queries (the same ones, data/queries.ts) then find their answers
 * in RxDB's query cache. Once per page; later day switches are the day view's own.
 */
import { useEffect } from 'react';
import { useLocationChoice } from '../../app/location-context.ts';
import type { Route } from '../../app/router.ts';
import { useDatabase } from '../../data/hooks.ts';
import { appointmentsBetweenQuery, clientIdsKey, clientsByKeyQuery } from '../../data/queries.ts';
import { DATE_PATTERN, dayRange, todayIn } from './calendar-model.ts';

let prefetched = false;

export function usePrefetchedDay(route: Route): void {
  const db = useDatabase();
  const location = useLocationChoice().current;
  const week = route.params[0] === 'week';
  const routed = route.params[1];
  useEffect(() => {
    if (prefetched || !db || !location || week) return;
    prefetched = true;
    const date = routed && DATE_PATTERN.test(routed) ? routed : todayIn(location.timeZone);
    const [from, to] = dayRange(date, location.timeZone);
    appointmentsBetweenQuery(db, location.id, from, to)
      .exec()
      .then((visits) => clientsByKeyQuery(db, clientIdsKey(visits.map((visit) => visit.clientId)))?.exec())
      // Only a head start: the day view runs these queries itself and shows what goes wrong.
      .catch(() => undefined);
  }, [db, location, week, routed]);
}
