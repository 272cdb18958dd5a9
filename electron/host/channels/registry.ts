import { CHANNELS, type Channel } from '../../../shared/notifications/catalog.ts';
import type { ChannelProvider } from '../../../shared/engine/provider.ts';
import { createNotConfiguredProvider } from './not-configured-provider.ts';

export interface ProviderRegistry {
  /** The provider for `channel`, or one that reports the channel as not configured: never undefined. */
  get(channel: Channel): ChannelProvider;
  /** Whether a real provider was registered (false for the not-configured stand-ins). */
  has(channel: Channel): boolean;
}

export function createProviderRegistry(providers: readonly ChannelProvider[]): ProviderRegistry {
  const byChannel = new Map<Channel, ChannelProvider>();
  for (const provider of providers) {
    if (!CHANNELS.includes(provider.channel)) throw new Error(`Unknown channel "${String(provider.channel)}"`);
    // Two providers for one channel would make it a matter of order which one sends: refuse instead.
    if (byChannel.has(provider.channel)) throw new Error(`Two providers were registered for the ${provider.channel} channel`);
    byChannel.set(provider.channel, provider);
  }
  const standIns = new Map<Channel, ChannelProvider>();
  return {
    get(channel) {
      const provider = byChannel.get(channel);
      if (provider) return provider;
      let standIn = standIns.get(channel);
      if (!standIn) {
        standIn = createNotConfiguredProvider(channel);
        standIns.set(channel, standIn);
      }
      return standIn;
    },
    has: (channel) => byChannel.has(channel),
  };
}
