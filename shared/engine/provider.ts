/**
 * What the engine hands a channel provider, and what it gets back. Providers live in the host
 * (electron/host/channels); the engine core only sees these shapes.
 */
import type { Channel } from '../notifications/catalog.ts';
import type { ReasonParams } from '../notifications/reasons.ts';

/**
 * A provider's reason may carry a code + parameters (see shared/notifications/reasons.ts) so the desk reads it in its
 * language; `reason` stays the English text (logs, CSV, readers without the code).
 */
export interface CodedReason {
  reasonCode?: string;
  reasonParams?: ReasonParams;
}

export interface Recipient {
  /** Display name, for the email "To" and for logs. */
  name?: string;
  email?: string;
  /** E.164 */
  phone?: string;
  /** Push token of the salon's branded app or the aggregator app. */
  pushToken?: string;
  staffId?: string;
}

export interface OutgoingMessage {
  jobId: string;
  /** Stable across retries and restarts, so a provider that supports it can drop a duplicate. */
  idempotencyKey: string;
  channel: Channel;
  locationId: string;
  recipient: Recipient;
  /** Email subject or push/toast title. */
  subject?: string;
  body: string;
  /** Where a click should lead (desktop toasts, push). */
  clickTarget?: { appointmentId: string };
}

export type SendOutcome =
  /** The provider confirmed delivery (or, for email, SMTP accepted it: the best verdict SMTP gives). */
  | { status: 'delivered'; providerMessageId?: string; detail?: string }
  /** Accepted, the delivery report comes later (SMS, push): the cascade waits up to the verdict window. */
  | { status: 'accepted'; providerMessageId?: string; detail?: string }
  /** Rejected: the cascade may fall back. `permanent` false means a retry could succeed. */
  | ({ status: 'failed'; reason: string; permanent: boolean } & CodedReason)
  /** Could not be tried at all: provider not configured, recipient lacks the address. */
  | ({ status: 'notTried'; reason: string } & CodedReason);

export interface ChannelProvider {
  readonly channel: Channel;
  /** `notConfigured` lets the cascade skip the channel without an attempt. */
  readiness(locationId: string): { ready: true } | ({ ready: false; reason: string } & CodedReason);
  /** `signal` is an AbortSignal; typed structurally because shared/ has no DOM or Node types. */
  send(message: OutgoingMessage, signal?: { readonly aborted: boolean }): Promise<SendOutcome>;
}
