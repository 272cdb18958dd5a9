import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { ChannelProvider, SendOutcome } from '../../../shared/engine/provider.ts';

/** What each channel says until its provider exists; the cascade treats it as could-not-be-tried. */
export const NOT_CONFIGURED_REASONS: Readonly<Record<Channel, string>> = {
  email: 'Email (SMTP) is not configured for this location',
  aggregatorPush: 'Push to the client app (aggregator) is not configured yet',
  brandedPush: "Push to the salon's branded app is not configured yet",
  adminPush: 'Push to the staff app is not configured yet',
  sms: 'SMS provider not configured yet',
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
