/** The location the desk works for, with its staff and services, live; and formatting in the location's zone. */
import { createContext, useContext, useMemo } from 'react';
import type { Location } from '../../../shared/domain/location.ts';
import type { Service } from '../../../shared/domain/service.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import { formatLocalDate, formatLocalTime, formattingLocale } from '../../../shared/notifications/zoned-time.ts';
import { utcToWallClock } from '../../../shared/domain/zoned-time.ts';
import { useLocationChoice } from '../app/location-context.ts';
import { useRxQuery } from './hooks.ts';
import { locationByIdQuery, servicesOfLocationQuery, staffOfLocationQuery } from './queries.ts';

export interface Salon {
  location: Location;
  staff: Staff[];
  services: Service[];
  staffById: Map<string, Staff>;
  serviceById: Map<string, Service>;
}

/** The location chosen in the header (app/location-context.ts), its staff and services, live. */
export function useSalonData(): { salon: Salon | undefined; loading: boolean; error?: string } {
  const wanted = useLocationChoice().current?.id;
  const locations = useRxQuery<Location>((db) => (wanted ? locationByIdQuery(db, wanted) : undefined), [wanted]);
  const location = locations.docs[0];
  // Staff and services are asked for beside the location, not after it: one round trip less before the calendar.
  const locationId = wanted;
  const staff = useRxQuery<Staff>((db) => (locationId ? staffOfLocationQuery(db, locationId) : undefined), [locationId]);
  const services = useRxQuery<Service>((db) => (locationId ? servicesOfLocationQuery(db, locationId) : undefined), [locationId]);
  const loading = locations.loading || staff.loading || services.loading;
  const error = locations.error ?? staff.error ?? services.error;
  // One object while its parts are unchanged: the context's consumers re-render only when the salon changed, not at
  // every render of a gate (opening a visit card is a route change, which re-rendered the calendar's day behind it).
  const salon = useMemo<Salon | undefined>(
    () =>
      location && {
        location,
        staff: staff.docs,
        services: services.docs,
        staffById: new Map(staff.docs.map((s) => [s.id, s])),
        serviceById: new Map(services.docs.map((s) => [s.id, s])),
      },
    [location, staff.docs, services.docs],
  );
  return { salon, loading, ...(error ? { error } : {}) };
}

export const SalonContext = createContext<Salon | undefined>(undefined);

export function useSalon(): Salon {
  const salon = useContext(SalonContext);
  if (!salon) throw new Error('useSalon outside <SalonContext.Provider>');
  return salon;
}

export interface Formatter {
  time(ms: number): string;
  date(ms: number): string;
  dateTime(ms: number): string;
  /** "YYYY-MM-DD" in the location's zone. */
  localDate(ms: number): string;
  money(minor: number): string;
}

const cache = new Map<string, Formatter>();

export function formatterFor(location: Pick<Location, 'locale' | 'timeZone' | 'currency'>): Formatter {
  const key = `${location.locale}|${location.timeZone}|${location.currency}`;
  let f = cache.get(key);
  if (!f) {
    const o = { locale: formattingLocale('en', location.locale), timeZone: location.timeZone };
    const money = new Intl.NumberFormat(o.locale, { style: 'currency', currency: location.currency });
    f = {
      time: (ms) => formatLocalTime(ms, o),
      date: (ms) => formatLocalDate(ms, o),
      dateTime: (ms) => `${formatLocalDate(ms, o)}, ${formatLocalTime(ms, o)}`,
      localDate: (ms) => utcToWallClock(ms, location.timeZone).date,
      money: (minor) => money.format(minor / 100),
    };
    cache.set(key, f);
  }
  return f;
}

export function useFormat(): Formatter {
  return formatterFor(useSalon().location);
}
