/**
 * A provider's secrets as this desk may use them: only while its settings still name the server and login they were
 * typed for (shared/providers/catalog.ts, secretOwner). Settings documents replicate, so another desk or a sync peer can
 * change the server address; the secrets never follow such a change — they read as missing until typed again here.
 */
import type { ProviderSettings } from '../../../shared/domain/provider-settings.ts';
import { PROVIDER_SPECS, providerSecretOwnerRef, providerSecretRef, secretOwner, type ProviderKind, type ProviderSettingsValues } from '../../../shared/providers/catalog.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { SecretStatus, SecretStore } from '../secret-store.ts';

type Which = Pick<ProviderSettings, 'locationId' | 'channel' | 'kind'> & { settings: ProviderSettingsValues };

export interface BoundSecrets {
  values: Record<string, string | undefined>;
  status: Record<string, SecretStatus>;
  /** Secrets are saved but were typed for another server or login than the settings now name. */
  ownerChanged: boolean;
}

export async function readBoundSecrets(store: Pick<SecretStore, 'get' | 'status' | 'set'>, which: Which): Promise<BoundSecrets> {
  const { locationId, channel, kind } = which;
  const values: BoundSecrets['values'] = {};
  const status: BoundSecrets['status'] = {};
  for (const secret of PROVIDER_SPECS[kind].secrets) {
    const ref = providerSecretRef(locationId, channel, kind, secret.key);
    status[secret.key] = await store.status(ref);
    values[secret.key] = status[secret.key] === 'set' ? await store.get(ref) : undefined;
  }
  const anySet = Object.values(status).includes('set');
  const ownerRef = providerSecretOwnerRef(locationId, channel, kind);
  const recorded = await store.get(ownerRef);
  const current = secretOwner(kind, which.settings);
  if (recorded === undefined) {
    // Secrets saved before owners were recorded belong to the settings they are first seen with.
    if (anySet) await store.set(ownerRef, current);
    return { values, status, ownerChanged: false };
  }
  if (!anySet || recorded === current) return { values, status, ownerChanged: false };
  for (const key of Object.keys(values)) {
    values[key] = undefined;
    status[key] = 'missing';
  }
  return { values, status, ownerChanged: true };
}

/** Records that the secrets now saved for a provider belong to the owner its settings name (or forgets the record). */
export async function bindSecrets(store: Pick<SecretStore, 'status' | 'set' | 'delete'>, which: { locationId: string; channel: Channel; kind: ProviderKind; settings: ProviderSettingsValues }): Promise<void> {
  const { locationId, channel, kind } = which;
  const ownerRef = providerSecretOwnerRef(locationId, channel, kind);
  let anySet = false;
  for (const secret of PROVIDER_SPECS[kind].secrets) if ((await store.status(providerSecretRef(locationId, channel, kind, secret.key))) === 'set') anySet = true;
  if (anySet) await store.set(ownerRef, secretOwner(kind, which.settings));
  else await store.delete(ownerRef);
}
