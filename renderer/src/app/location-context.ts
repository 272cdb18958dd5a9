/**
 * The location the desk works on: chosen in the header when the data folder holds several, persisted per desk under
 * one key. Every screen reads it from here (useLocationChoice, or useSalon which follows it), so switching the
 * location switches every screen.
 */
import { createContext, useContext } from 'react';

export interface LocationSummary {
  id: string;
  name: string;
  timeZone: string;
}

export interface LocationChoice {
  locations: LocationSummary[];
  current: LocationSummary | undefined;
  /** False until the locations were read once (an empty list then means: no salon yet, run the set-up). */
  loaded: boolean;
  select(id: string): void;
}

export const LOCATION_STORAGE_KEY = 'frontdesk.location';

/** The location a desk shows: the one chosen on it (`chosenId`, kept under LOCATION_STORAGE_KEY) while it exists, else the first. */
export function currentLocation<T extends { id: string }>(locations: readonly T[], chosenId: string | null): T | undefined {
  return locations.find((l) => l.id === chosenId) ?? locations[0];
}

export const LocationContext = createContext<LocationChoice>({ locations: [], current: undefined, loaded: false, select: () => {} });

export function useLocationChoice(): LocationChoice {
  return useContext(LocationContext);
}
