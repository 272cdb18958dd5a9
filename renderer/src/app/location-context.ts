/** The location the desk works on: chosen in the header when the data folder holds several; persisted per desk. */
import { createContext, useContext } from 'react';

export interface LocationSummary {
  id: string;
  name: string;
  timeZone: string;
}

export interface LocationChoice {
  locations: LocationSummary[];
  current: LocationSummary | undefined;
  select(id: string): void;
}

export const LOCATION_STORAGE_KEY = 'frontdesk.location';

export const LocationContext = createContext<LocationChoice>({ locations: [], current: undefined, select: () => {} });

export function useLocationChoice(): LocationChoice {
  return useContext(LocationContext);
}
