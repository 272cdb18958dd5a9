/**
 * The one-time move of a location's old `smtp` settings onto the providers' shape: a `provider_settings` document
 * (`<locationId>:email:smtp`) and the password under the provider's secret reference; then `smtp` leaves the location.
 *
 * Why a host-side move and not a schema migration of `locations`: a migration sees one document of one collection and
 * cannot await the encrypted secret store, so it could neither create the provider document nor carry the password
 * over — the password would be lost. Here every step can be repeated: the provider document is written only when
 * missing, the password copied only when the new reference is not set yet, and the location's `smtp` dropped last, so
 * a crash in between leaves the old settings in place for the next start. It runs at start (data folders written by
 * older builds) and for every location that arrives later with `smtp` (a demo or a backup loaded, a sync peer still
 * on an older build).
 */
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { LegacySmtpSettings, Location } from '../../../shared/domain/location.ts';
import type { ProviderSettings } from '../../../shared/domain/provider-settings.ts';
import { isSecretRef } from '../../../shared/domain/secret-ref.ts';
import { providerDocId, providerSecretRef, type ProviderSettingsValues } from '../../../shared/providers/catalog.ts';
import type { SecretStore } from '../secret-store.ts';

/** The provider settings the old fields mean (the old `secure` is the `tls` security; everything else as it was). */
export function smtpProviderSettings(smtp: LegacySmtpSettings): ProviderSettingsValues {
  return {
    host: smtp.host, port: smtp.port, security: smtp.secure ? 'tls' : 'starttls', fromAddress: smtp.fromAddress,
    ...(smtp.username ? { username: smtp.username } : {}),
    ...(smtp.fromName ? { fromName: smtp.fromName } : {}),
    ...(smtp.allowInsecureAuth ? { allowInsecureAuth: true } : {}),
  };
}

export interface LegacySmtpMove {
  db: FrontDeskDatabase;
  secrets: Pick<SecretStore, 'get' | 'set' | 'status' | 'delete'>;
  now: () => number;
  log: (line: string) => void;
}

/** Moves one location's `smtp`, if it still has one; the provider document written (or found) is returned. */
export async function moveLegacySmtp(locationId: string, move: LegacySmtpMove): Promise<ProviderSettings | undefined> {
  // Read now, not from the event that called: a move already done (or a provider removed since) is not redone.
  const stored = await move.db.locations.findOne(locationId).exec();
  const location: Location | undefined = stored?.toMutableJSON();
  const smtp = location?.smtp;
  if (!stored || !location || !smtp) return undefined;
  const id = providerDocId(location.id, 'email', 'smtp');
  const newRef = providerSecretRef(location.id, 'email', 'smtp', 'password');
  const oldRef = smtp.passwordRef !== undefined && isSecretRef(smtp.passwordRef) ? smtp.passwordRef : undefined;
  if (oldRef && (await move.secrets.status(newRef)) !== 'set' && (await move.secrets.status(oldRef)) === 'set') {
    const password = await move.secrets.get(oldRef);
    if (password !== undefined) await move.secrets.set(newRef, password);
  }
  const passwordSet = (await move.secrets.status(newRef)) === 'set';
  let doc = (await move.db.provider_settings.findOne(id).exec())?.toMutableJSON();
  if (!doc) {
    doc = {
      id, locationId: location.id, channel: 'email', kind: 'smtp', enabled: true, settings: smtpProviderSettings(smtp),
      secretsSet: passwordSet ? ['password'] : [], updatedAt: location.updatedAt ?? new Date(move.now()).toISOString(),
      ...(location.updatedBy ? { updatedBy: location.updatedBy } : {}),
    };
    await move.db.provider_settings.insert(doc);
  }
  // Last: until here, a crash leaves the old settings for the next start to move again.
  await stored.incrementalModify((current) => {
    const { smtp: _moved, ...rest } = current;
    return rest;
  });
  if (oldRef && passwordSet) await move.secrets.delete(oldRef);
  move.log(`Location ${location.id}: the email (SMTP) settings moved to the providers${oldRef && !passwordSet ? '; the saved password could not be read and must be entered again' : ''}.`);
  return doc;
}

/** Moves every location's `smtp` now; the API and the engine start after this. */
export async function moveAllLegacySmtp(move: LegacySmtpMove): Promise<void> {
  for (const doc of await move.db.locations.find().exec()) {
    if (!doc.smtp) continue;
    // One location's trouble (a damaged secrets file) must not stop the host or the other locations.
    await moveLegacySmtp(doc.id, move).catch((error: unknown) => move.log(`Location ${doc.id}: the email (SMTP) settings could not be moved: ${(error as Error).message}`));
  }
}
