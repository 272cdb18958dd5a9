/**
 * API handlers of the location-wide settings: the list of locations (for the location switcher), the salon's profile
 * (name, address, phone, country, zone, currency, languages, opening hours, links), quiet hours, the sandbox switch and
 * the SMTP connection. The SMTP password goes into the host's encrypted secret store under
 * `smtp:<locationId>`; the location document only carries that reference, and the password never goes back out.
 *
 * A password belongs to one server and one login: saving a different host, port or user name forgets it (so it can
 * never reach another server), and the consent to send it without TLS (`allowInsecureAuth`) belongs to one server:
 * a different host or port resets it unless the same request gives it again.
 */
import { createHash } from 'node:crypto';
import type { Location, SmtpSettings } from '../../../shared/domain/location.ts';
import { isSecretRef } from '../../../shared/domain/secret-ref.ts';
import { validationMessage } from '../../../shared/domain/validation-errors.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import type { SalonRuntime, SmtpPasswordState } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';
import { applyProfile, checkedProfilePatch } from '../commands/location-commands.ts';

type LocationChannels = 'location.list' | 'location.save' | 'location.setSmtpPassword';

export function smtpPasswordRef(locationId: string): string {
  const plain = `smtp:${locationId}`;
  // Ids are app-made and fit the pattern; anything else gets a stable digest instead of a reference the store refuses.
  return isSecretRef(plain) ? plain : `smtp:h${createHash('sha256').update(locationId).digest('hex').slice(0, 40)}`;
}

/** What the renderer may see of a location: everything but the secret reference, replaced by the password's state. */
export function publicLocation(location: Location, password: SmtpPasswordState): Record<string, unknown> & { id: string } {
  const { smtp, ...rest } = location;
  if (!smtp) return rest;
  const { passwordRef: _secret, ...server } = smtp;
  return { ...rest, smtp: { ...server, password } };
}

/** The public location with its password state looked up in the secret store. */
export async function publicLocationOf(runtime: SalonRuntime, location: Location): Promise<Record<string, unknown> & { id: string }> {
  return publicLocation(location, await runtime.smtpPasswordState(location));
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
    'location.save': async ({ locationId, quietHours, sandboxMode, smtp, ...profileFields }) => {
      const rt = runtime();
      const doc = await find(locationId);
      const profile = checkedProfilePatch(profileFields, doc.toMutableJSON());
      if (smtp && !EMAIL.test(smtp.fromAddress)) {
        const message = `Nothing was saved. smtp.fromAddress: '${smtp.fromAddress}' is not an email address.`;
        throw new ApiError('invalid_request', message, { reason: 'smtp.fromAddress.invalid', issues: [{ code: 'smtp.fromAddress.invalid', field: 'smtp.fromAddress', message }] });
      }
      if (quietHours && quietHours.start === quietHours.end) {
        const message = 'Nothing was saved. quietHours: start and end are the same time; choose a window or turn quiet hours off.';
        throw new ApiError('invalid_request', message, { reason: 'location.quietHours.sameTimes', issues: [{ code: 'location.quietHours.sameTimes', field: 'quietHours.end', message }] });
      }
      /** The reference of a password this save makes obsolete; its secret is deleted once the document no longer names it. */
      let forgotten: string | undefined;
      try {
        const saved = await doc.incrementalModify((location) => {
          forgotten = undefined;
          const next: Location = profile ? applyProfile(location, profile) : { ...location };
          if (quietHours) next.quietHours = { ...quietHours };
          if (sandboxMode !== undefined) next.sandboxMode = sandboxMode;
          const before = location.smtp;
          if (smtp === null) {
            delete next.smtp;
            forgotten = before?.passwordRef;
          } else if (smtp) {
            const host = smtp.host.trim();
            const username = smtp.username?.trim() ?? '';
            const sameServer = before !== undefined && before.host.toLowerCase() === host.toLowerCase() && before.port === smtp.port;
            const sameLogin = sameServer && (before.username ?? '') === username;
            const allowInsecureAuth = smtp.allowInsecureAuth ?? (sameServer ? before.allowInsecureAuth === true : false);
            const keptRef = sameLogin ? before.passwordRef : undefined;
            if (!sameLogin) forgotten = before?.passwordRef;
            const server: SmtpSettings = {
              host,
              port: smtp.port,
              secure: smtp.secure,
              fromAddress: smtp.fromAddress.trim(),
              ...(username ? { username } : {}),
              ...(smtp.fromName?.trim() ? { fromName: smtp.fromName.trim() } : {}),
              ...(allowInsecureAuth ? { allowInsecureAuth: true } : {}),
              // The password stays only for the same server and login; it is set through location.setSmtpPassword.
              ...(keptRef ? { passwordRef: keptRef } : {}),
            };
            next.smtp = server;
          }
          return next;
        });
        if (forgotten && isSecretRef(forgotten)) await rt.secrets.delete(forgotten);
        const location = saved.toMutableJSON();
        await rt.reloadSmtpSettings(location);
        return { location: await publicLocationOf(rt, location) };
      } catch (error) {
        const message = validationMessage(error, 'locations');
        if (message) throw new ApiError('invalid_request', `Nothing was saved. ${message}`);
        throw error;
      }
    },
    'location.setSmtpPassword': async ({ locationId, password }) => {
      const rt = runtime();
      const doc = await find(locationId);
      if (!doc.smtp) throw new ApiError('invalid_request', 'Save the SMTP server settings first, then set its password.', { reason: 'smtp.password.serverFirst' });
      const ref = smtpPasswordRef(locationId);
      if (password === '') {
        // An empty password forgets the saved one.
        await doc.incrementalModify((location) => {
          if (!location.smtp) return location;
          const { passwordRef: _ref, ...server } = location.smtp;
          return { ...location, smtp: server };
        });
        await rt.secrets.delete(ref);
      } else {
        try {
          await rt.secrets.set(ref, password);
        } catch (error) {
          throw new ApiError('unavailable', `The password was not saved: ${(error as Error).message}`, { reason: 'smtp.password.notSaved' });
        }
        // Rewriting the location (even unchanged) makes the runtime reload the SMTP settings with the new password.
        await doc.incrementalModify((location) => (location.smtp ? { ...location, smtp: { ...location.smtp, passwordRef: ref } } : location));
      }
      await rt.reloadSmtpSettings((await find(locationId)).toMutableJSON());
      return { passwordSet: password.length > 0 };
    },
  };
}
