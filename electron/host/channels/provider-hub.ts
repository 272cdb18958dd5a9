/**
 * The configured providers of every location (the mail server, SMS, messengers, push), live: it reads the provider_settings documents (from this desk's API,
 * or replicated from another desk) and the secrets of this desk's encrypted store, builds a client per enabled
 * provider, and answers the channel routers synchronously. A provider that cannot run (a secret not on this desk, an
 * unreadable key) is kept with its problem, so the channel says why it is not ready instead of failing later.
 */
import type { Subscription } from 'rxjs';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { ProviderSettings } from '../../../shared/domain/provider-settings.ts';
import { CHANNELS, type Channel } from '../../../shared/notifications/catalog.ts';
import type { ChannelProvider } from '../../../shared/engine/provider.ts';
import { plainReason, type ReasonFields } from '../../../shared/notifications/reasons.ts';
import { PROVIDER_SPECS } from '../../../shared/providers/catalog.ts';
import { documentChanges } from '../db/document-changes.ts';
import type { SecretStore } from '../secret-store.ts';
import { readBoundSecrets } from './bound-secrets.ts';
import { createChannelRouter, type ChannelSetup } from './channel-router.ts';
import { NOT_CONFIGURED_REASONS } from './not-configured-provider.ts';
import type { ProviderClient, ProviderDeps } from './providers/provider-client.ts';
import { buildProvider, type Built } from './registry.ts';

export interface LoadedProvider {
  doc: ProviderSettings;
  client?: ProviderClient;
  problem?: ReasonFields;
}

export interface ProviderHubOptions {
  db: FrontDeskDatabase;
  secrets: Pick<SecretStore, 'get' | 'status' | 'set'>;
  deps: ProviderDeps;
  log: (line: string) => void;
  pollTimeoutSeconds?: number;
}

export class ProviderHub {
  readonly #options: ProviderHubOptions;
  readonly #loaded = new Map<string, LoadedProvider>();
  #subscription: Subscription | undefined;
  readonly #listeners = new Set<() => void>();
  /** Reloads run one after another, so an older one never overwrites a newer one. */
  #reloads: Promise<void> = Promise.resolve();

  constructor(options: ProviderHubOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    for (const doc of await this.#options.db.provider_settings.find().exec()) await this.reload(doc.toMutableJSON());
    this.#subscription = documentChanges(this.#options.db.provider_settings).subscribe((event) => {
      if (event.operation === 'DELETE') {
        this.#drop(event.documentId);
        this.#changed();
      } else void this.reload(event.documentData as ProviderSettings);
    });
  }

  stop(): void {
    this.#subscription?.unsubscribe();
    for (const id of [...this.#loaded.keys()]) this.#drop(id);
  }

  /** Called after a provider was built, rebuilt or removed (the inbound poller follows the clients). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  #drop(id: string): void {
    this.#loaded.get(id)?.client?.close?.();
    this.#loaded.delete(id);
  }

  /** Rebuilds one provider from its document and this desk's secrets (the API awaits it before answering). */
  reload(doc: ProviderSettings): Promise<void> {
    this.#reloads = this.#reloads.then(() => this.#build(doc)).catch((error: unknown) => this.#options.log(`Provider ${doc.id} could not be loaded: ${(error as Error).message}`));
    return this.#reloads;
  }

  async #build(doc: ProviderSettings): Promise<void> {
    const { values: secrets, ownerChanged } = await readBoundSecrets(this.#options.secrets, doc);
    const location = (await this.#options.db.locations.findOne(doc.locationId).exec())?.toMutableJSON();
    const built: Built = ownerChanged
      ? { ok: false, problem: plainReason('provider.secretOwnerChanged', { provider: doc.kind }) }
      : buildProvider(doc.kind, doc.settings, secrets, { channel: doc.channel, location, deps: this.#options.deps, ...(this.#options.pollTimeoutSeconds !== undefined ? { pollTimeoutSeconds: this.#options.pollTimeoutSeconds } : {}) });
    // The old client serves until the new one is in place: a send or a test during the rebuild never finds nothing.
    const previous = this.#loaded.get(doc.id);
    this.#loaded.set(doc.id, built.ok ? { doc, client: built.client } : { doc, problem: built.problem });
    previous?.client?.close?.();
    if (!built.ok && doc.enabled) this.#options.log(`Provider ${doc.id} cannot run: ${built.problem.reason}`);
    this.#changed();
  }

  get(id: string): LoadedProvider | undefined {
    return this.#loaded.get(id);
  }

  /** Enabled providers of a channel at a location, in route order. */
  providersOf(locationId: string, channel: Channel): LoadedProvider[] {
    return [...this.#loaded.values()]
      .filter((p) => p.doc.locationId === locationId && p.doc.channel === channel && p.doc.enabled)
      .sort((a, b) => PROVIDER_SPECS[a.doc.kind].order - PROVIDER_SPECS[b.doc.kind].order);
  }

  all(): LoadedProvider[] {
    return [...this.#loaded.values()];
  }

  setup(locationId: string, channel: Channel): ChannelSetup | undefined {
    const providers = this.providersOf(locationId, channel);
    if (providers.length === 0) return undefined;
    const clients = providers.flatMap((p) => (p.client ? [p.client] : []));
    const broken = providers.find((p) => p.problem);
    // A channel runs on the providers that can; with none, it says what is missing.
    if (clients.length === 0) {
      const problem = broken?.problem ?? plainReason('channel.notConfigured', { channel });
      return { clients: [placeholder], problem: { ...problem, reason: problem.reason ?? 'the provider cannot run on this desk' } };
    }
    return { clients };
  }

  /** The engine's ChannelProvider for a channel, over every location's providers. */
  router(channel: Channel): ChannelProvider {
    return createChannelRouter({ channel, setup: (locationId) => this.setup(locationId, channel), notConfigured: { ...plainReason('channel.notConfigured', { channel }), reason: NOT_CONFIGURED_REASONS[channel] } });
  }

  routers(): Partial<Record<Channel, ChannelProvider>> {
    return Object.fromEntries(CHANNELS.filter((c) => c !== 'desktop').map((c) => [c, this.router(c)]));
  }
}

/** Stands in for a configured provider that cannot run, so the channel reports its problem instead of "not set up". */
const placeholder: ProviderClient = {
  label: 'unavailable',
  idempotent: false,
  allRoutes: [],
  routes: () => [],
  send: () => Promise.resolve({ status: 'notTried', reason: 'the provider cannot run on this desk' }),
  test: () => Promise.resolve({ ok: false, reason: 'the provider cannot run on this desk', reasonCode: 'provider.secretMissing' }),
};
