/**
 * API handlers of the location-wide settings: the list of locations (for the location switcher), quiet hours, the
 * sandbox switch and the SMTP connection. The SMTP password goes into the host's encrypted secret store under
 * `smtp:<locationId>`; the location document only carries that reference, and the password never goes back out.
 */
import type { Location, SmtpSettings } from '../../../shared/domain/location.ts';
import { validationMessage } from '../../../shared/domain/validation-errors.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';

type LocationChannels = 'location.list' | 'location.save' | 'location.setSmtpPassword';

export function smtpPasswordRef(locationId: string): string {
  return `smtp:${locationId}`;
}

/** What the renderer may see of a location: everything but the secret reference, replaced by "set". */
export function publicLocation(location: Location): Record<string, unknown> {
  const { smtp, ...rest } = location;
  if (!smtp) return rest;
  const { passwordRef, ...server } = smtp;
  return { ...rest, smtp: { ...server, ...(passwordRef ? { passwordRef: 'set' } : {}) } };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
    'location.save': async ({ locationId, quietHours, sandboxMode, smtp }) => {
      const doc = await find(locationId);
      if (smtp && !EMAIL.test(smtp.fromAddress)) {
        throw new ApiError('invalid_request', `Nothing was saved. smtp.fromAddress: '${smtp.fromAddress}' is not an email address.`);
      }
      if (quietHours && quietHours.start === quietHours.end) {
        throw new ApiError('invalid_request', 'Nothing was saved. quietHours: start and end are the same time; choose a window or turn quiet hours off.');
      }
      try {
        const saved = await doc.incrementalModify((location) => {
          const next: Location = { ...location };
          if (quietHours) next.quietHours = { ...quietHours };
          if (sandboxMode !== undefined) next.sandboxMode = sandboxMode;
          if (smtp === null) delete next.smtp;
          else if (smtp) {
            const server: SmtpSettings = {
              host: smtp.host.trim(),
              port: smtp.port,
              secure: smtp.secure,
              fromAddress: smtp.fromAddress.trim(),
              ...(smtp.username?.trim() ? { username: smtp.username.trim() } : {}),
              ...(smtp.fromName?.trim() ? { fromName: smtp.fromName.trim() } : {}),
              // The password stays where it is; it is changed only through location.setSmtpPassword.
              ...(location.smtp?.passwordRef ? { passwordRef: location.smtp.passwordRef } : {}),
            };
            next.smtp = server;
          }
          return next;
        });
        return { location: publicLocation(saved.toMutableJSON()) as { id: string } };
      } catch (error) {
        const message = validationMessage(error, 'locations');
        if (message) throw new ApiError('invalid_request', `Nothing was saved. ${message}`);
        throw error;
      }
    },
    'location.setSmtpPassword': async ({ locationId, password }) => {
      const rt = runtime();
      const doc = await find(locationId);
      if (!doc.smtp) throw new ApiError('invalid_request', 'Save the SMTP server settings first, then set its password.');
      const ref = smtpPasswordRef(locationId);
      await rt.secrets.set(ref, password);
      // Rewriting the location (even unchanged) makes the runtime reload the SMTP settings with the new password.
      await doc.incrementalModify((location) => ({ ...location, smtp: { ...location.smtp!, passwordRef: ref } }));
      return { passwordSet: password.length > 0 };
    },
  };
}
