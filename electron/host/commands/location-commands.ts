/**
 * `location.create` (first-run wizard, "add a location" in the salon settings) and `demo.load` ("Explore with a demo
 * salon" on the wizard's first screen). A new location starts safe: sandbox mode on (nothing is sent until the salon
 * turns it off), quiet hours 21:00–09:00, and every notification type with the built-in templates, so the engine plans
 * confirmations for its first booking. The profile rules are shared/domain/location-input.ts, also used by the forms.
 */
import { loadDemoSalon, DatabaseNotEmptyError } from '../../../shared/demo/load-demo-salon.ts';
import { defaultNotificationSettings } from '../../../shared/demo/default-settings.ts';
import { DEMO_LOCATION_ID } from '../../../shared/demo/demo-catalog.ts';
import { DEMO_SEED } from '../../../shared/demo/demo-salon.ts';
import { issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import { checkLocationProfile, localeFor, type LocationProfile } from '../../../shared/domain/location-input.ts';
import { defaultTemplates } from '../../../shared/notifications/templates/defaults.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { publicLocation } from '../api/location-api.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { newDocumentId, refuse, writeError } from './command-support.ts';

/** A location's stored fields with a checked profile applied (`null` removes the email or a link). */
export function applyProfile(location: Location, profile: LocationProfile): Location {
  const next: Location = { ...location };
  const { email, bookingUrl, reviewUrl, address, countryCode, ...plain } = profile;
  Object.assign(next, plain);
  if (countryCode !== undefined) {
    next.countryCode = countryCode;
    next.address = { ...next.address, country: countryCode };
  }
  if (address !== undefined) next.address = { ...address, country: next.countryCode };
  const optional = { email, bookingUrl, reviewUrl };
  for (const [field, value] of Object.entries(optional) as [keyof typeof optional, string | null | undefined][]) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  // Messages are written in the first client language, with dates and money as the salon's country writes them.
  if (profile.clientLanguages !== undefined || countryCode !== undefined) next.locale = localeFor(next.countryCode, (next.clientLanguages ?? ['en'])[0]!);
  return next;
}

export function locationCommandHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, 'location.create' | 'demo.load'> {
  return {
    'location.create': async (request) => {
      const { db } = runtime();
      const checked = checkLocationProfile(request);
      if (!checked.ok) refuse(checked.issues);
      const profile = checked.value;
      const now = new Date(clock.now()).toISOString();
      const id = newDocumentId('loc');
      const base: Location = {
        id,
        name: '',
        timeZone: 'UTC',
        address: { line1: '', city: '', postalCode: '', country: profile.countryCode! },
        phone: '',
        countryCode: profile.countryCode!,
        currency: 'EUR',
        locale: 'en',
        quietHours: { enabled: true, start: '21:00', end: '09:00' },
        // Nothing is sent for real until the salon turns this off in the settings.
        sandboxMode: true,
        createdAt: now,
      };
      const location = applyProfile(base, profile);
      try {
        await db.locations.insert(location);
        const settings = defaultNotificationSettings(id, (type) => defaultTemplates(type), now);
        const result = await db.notification_settings.bulkInsert(settings);
        if (result.error.length > 0) throw result.error[0];
      } catch (error) {
        throw writeError(error, 'settings', 'locations');
      }
      return { location: publicLocation(location) };
    },
    'demo.load': async () => {
      const rt = runtime();
      try {
        await loadDemoSalon(rt.db, { now: clock.now(), seed: DEMO_SEED });
      } catch (error) {
        if (error instanceof DatabaseNotEmptyError) {
          refuse([issue('demo.notEmpty', undefined, 'the demo salon can only be loaded into an empty data folder; this one already has a salon')]);
        }
        throw error;
      }
      return { locationId: DEMO_LOCATION_ID };
    },
  };
}

/** `location.save`'s profile fields checked against the stored location; throws with every issue. */
export function checkedProfilePatch(request: Parameters<typeof checkLocationProfile>[0], current: Location): LocationProfile | undefined {
  const given = Object.values(request).some((v) => v !== undefined);
  if (!given) return undefined;
  const checked = checkLocationProfile(request, current.countryCode);
  if (!checked.ok) refuse(checked.issues);
  return checked.value;
}
