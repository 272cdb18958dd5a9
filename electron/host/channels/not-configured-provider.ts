import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { ChannelProvider, SendOutcome } from '../../../shared/engine/provider.ts';

/** What each channel says until its provider exists; the cascade treats it as could-not-be-tried. */
export const NOT_CONFIGURED_REASONS: Readonly<Record<Channel, string>> = {
  email: 'Email (SMTP) is not configured for this location',
  aggregatorPush: 'Push to the client app is not set up: add Firebase in Settings → Providers',
  brandedPush: "Push to the salon's app is not set up: add Firebase in Settings → Providers",
  adminPush: 'Push to the staff app is not set up: add Firebase or ntfy in Settings → Providers',
  sms: 'No SMS provider is set up: add Twilio or an SMS gateway in Settings → Providers',
  desktop: 'Desktop notifications are not available on this computer',
};

export function createNotConfiguredProvider(channel: Channel, reason: string = NOT_CONFIGURED_REASONS[channel]): ChannelProvider {
  const outcome: SendOutcome = { status: 'notTried', reason };
  return {
    channel,
    readiness: () => ({ ready: false, reason }),
    // Never an attempt: a channel without a provider must not count as failed, nor as delivered.
    send: () => Promise.resolve({ ...outcome }),
  };
}
