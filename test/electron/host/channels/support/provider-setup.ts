/**
 * Configures providers the way the settings API does — a provider_settings document plus its secrets in a store — and
 * starts the ProviderHub on them, for engine tests against the loopback provider fakes.
 */
import { ProviderHub } from '../../../../../electron/host/channels/provider-hub.ts';
import type { ProviderDeps } from '../../../../../electron/host/channels/providers/provider-client.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import type { Channel } from '../../../../../shared/notifications/catalog.ts';
import { providerDocId, providerSecretRef, type ProviderKind, type ProviderSettingsValues } from '../../../../../shared/providers/catalog.ts';
import { systemTime } from './system-time.ts';

/** The secret store's get/status, in memory (the real store is tested on its own). */
export class MemorySecrets {
  readonly values = new Map<string, string>();
  get(ref: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(ref));
  }
  status(ref: string): Promise<'set' | 'missing'> {
    return Promise.resolve(this.values.has(ref) ? 'set' : 'missing');
  }
  set(ref: string, value: string): Promise<void> {
    this.values.set(ref, value);
    return Promise.resolve();
  }
}

export interface ProviderSeed {
  locationId: string;
  channel: Channel;
  kind: ProviderKind;
  settings: ProviderSettingsValues;
  secrets?: Record<string, string>;
  enabled?: boolean;
}

export async function configureProviders(db: FrontDeskDatabase, secrets: MemorySecrets, seeds: readonly ProviderSeed[]): Promise<void> {
  for (const seed of seeds) {
    for (const [key, value] of Object.entries(seed.secrets ?? {})) secrets.values.set(providerSecretRef(seed.locationId, seed.channel, seed.kind, key), value);
    await db.provider_settings.upsert({
      id: providerDocId(seed.locationId, seed.channel, seed.kind), locationId: seed.locationId, channel: seed.channel, kind: seed.kind,
      enabled: seed.enabled ?? true, settings: seed.settings, secretsSet: Object.keys(seed.secrets ?? {}), updatedAt: new Date().toISOString(),
    });
  }
}

export async function startHub(db: FrontDeskDatabase, secrets: MemorySecrets, deps: ProviderDeps = systemTime): Promise<ProviderHub> {
  const hub = new ProviderHub({ db, secrets, deps, log: () => undefined, pollTimeoutSeconds: 0 });
  await hub.start();
  return hub;
}
