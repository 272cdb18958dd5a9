import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Location } from '../../../shared/domain/location.ts';
import { useRxQuery } from '../data/hooks.ts';
import { locationsQuery } from '../data/queries.ts';
import { markStart } from './start-marks.ts';
import { currentLocation, LOCATION_STORAGE_KEY, LocationContext, type LocationChoice } from './location-context.ts';
import { rememberLocation } from './remembered-location.ts';

/**
 * The locations, live (one created by the set-up or another desk appears at once), and the one chosen on this desk.
 * A choice that no longer exists falls back to the first location.
 */
export function LocationProvider({ ready, children }: { ready: boolean; children: ReactNode }) {
  // Read as soon as the database is open, beside the host's first answer (`ready`), not after it.
  const locations = useRxQuery<Location>((db) => locationsQuery(db), []);
  const [selected, setSelected] = useState<string | null>(() => localStorage.getItem(LOCATION_STORAGE_KEY));
  const docs = locations.docs;
  const loaded = ready && locations.fresh && !locations.loading;
  if (loaded) markStart('locations_loaded');
  const value = useMemo<LocationChoice>(() => {
    const list = docs.map((l) => ({ id: l.id, name: l.name, timeZone: l.timeZone }));
    return {
      locations: list,
      current: currentLocation(list, selected),
      loaded,
      select: (id) => {
        localStorage.setItem(LOCATION_STORAGE_KEY, id);
        setSelected(id);
      },
    };
  }, [docs, selected, loaded]);
  const shownId = loaded ? value.current?.id : undefined;
  const shownZone = loaded ? value.current?.timeZone : undefined;
  // The next start asks for this location's day before the list of locations is back (calendar/prefetch-day.ts).
  useEffect(() => {
    if (shownId && shownZone) rememberLocation({ id: shownId, timeZone: shownZone });
  }, [shownId, shownZone]);
  return <LocationContext.Provider value={value}>{children}</LocationContext.Provider>;
}
