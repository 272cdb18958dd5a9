/**
 * The email channel over one loopback mail server, composed as the provider hub composes it (the SMTP client behind
 * a channel router), for child processes that observe every send (crash and multi-desk tests) and so pass their own
 * email provider to the runtime.
 */
import { createChannelRouter } from '../../../../../electron/host/channels/channel-router.ts';
import { NOT_CONFIGURED_REASONS } from '../../../../../electron/host/channels/not-configured-provider.ts';
import { createSmtpClient, type SmtpSettings } from '../../../../../electron/host/channels/providers/smtp.ts';
import type { ChannelProvider } from '../../../../../shared/engine/provider.ts';
import type { Clock } from '../../../../../shared/time/clock.ts';

export function smtpChannel(settings: SmtpSettings, clock: Clock): ChannelProvider & { close(): void } {
  const client = createSmtpClient(settings, { clock });
  const router = createChannelRouter({ channel: 'email', setup: () => ({ clients: [client] }), notConfigured: { reason: NOT_CONFIGURED_REASONS.email } });
  return { ...router, close: () => client.close?.() };
}
