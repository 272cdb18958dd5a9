/**
 * The location this desk showed last (its id and time zone), kept across starts so the next start can ask for that
 * location's salon and day as soon as the database is open, beside the list of locations instead of after it. Only a
 * guess: the list of locations still decides which location is shown (app/location-provider.tsx).
 */
import type { LocationSummary } from './location-context.ts';

export const REMEMBERED_LOCATION_KEY = 'frontdesk.lastLocation';

export type RememberedLocation = Pick<LocationSummary, 'id' | 'timeZone'>;

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

export function rememberedLocation(store: KeyValueStore = localStorage): RememberedLocation | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(store.getItem(REMEMBERED_LOCATION_KEY) ?? 'null');
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { id, timeZone } = parsed as Record<string, unknown>;
  return typeof id === 'string' && id !== '' && typeof timeZone === 'string' && timeZone !== '' ? { id, timeZone } : undefined;
}

export function rememberLocation(location: RememberedLocation, store: KeyValueStore = localStorage): void {
  const remembered = rememberedLocation(store);
  if (remembered?.id === location.id && remembered.timeZone === location.timeZone) return;
  store.setItem(REMEMBERED_LOCATION_KEY, JSON.stringify({ id: location.id, timeZone: location.timeZone }));
}
