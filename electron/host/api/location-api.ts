/**
 * API handlers of the location-wide settings: the list of locations (for the location switcher), the salon's profile
 * (name, address, phone, country, zone, currency, languages, opening hours, links), quiet hours and the sandbox switch.
 * The mail server is a provider like the others (providers-api.ts).
 */
import type { Location } from '../../../shared/domain/location.ts';
import { validationMessage } from '../../../shared/domain/validation-errors.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';
import { applyProfile, checkedProfilePatch } from '../commands/location-commands.ts';

type LocationChannels = 'location.list' | 'location.save';

/** What the renderer may see of a location: everything but older builds' SMTP settings, which only the host's move reads. */
export function publicLocation(location: Location): Omit<Location, 'smtp'> {
  const { smtp: _legacy, ...rest } = location;
  return rest;
}

export function locationHandlers(runtime: () => SalonRuntime): Pick<Handlers, LocationChannels> {
  const find = async (locationId: string) => {
    const doc = await runtime().db.locations.findOne(locationId).exec();
    if (!doc) throw new ApiError('not_found', `No location '${locationId}'.`);
    return doc;
  };
  return {
    'location.list': async () => {
      const docs = await runtime().db.locations.find({ sort: [{ id: 'asc' }] }).exec();
      return { locations: docs.map((d) => ({ id: d.id, name: d.name, timeZone: d.timeZone })) };
    },
    'location.save': async ({ locationId, quietHours, sandboxMode, ...profileFields }) => {
      const doc = await find(locationId);
      const profile = checkedProfilePatch(profileFields, doc.toMutableJSON());
      if (quietHours && quietHours.start === quietHours.end) {
        const message = 'Nothing was saved. quietHours: start and end are the same time; choose a window or turn quiet hours off.';
        throw new ApiError('invalid_request', message, { reason: 'location.quietHours.sameTimes', issues: [{ code: 'location.quietHours.sameTimes', field: 'quietHours.end', message }] });
      }
      try {
        const saved = await doc.incrementalModify((location) => {
          const next: Location = profile ? applyProfile(location, profile) : { ...location };
          if (quietHours) next.quietHours = { ...quietHours };
          if (sandboxMode !== undefined) next.sandboxMode = sandboxMode;
          return next;
        });
        return { location: publicLocation(saved.toMutableJSON()) };
      } catch (error) {
        const message = validationMessage(error, 'locations');
        if (message) throw new ApiError('invalid_request', `Nothing was saved. ${message}`);
        throw error;
      }
    },
  };
}
