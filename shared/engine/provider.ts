/**
 * What the engine hands a channel provider, and what it gets back. Providers live in the host
 * (electron/host/channels); the engine core only sees these shapes.
 *
 * A channel may have several routes (Telegram, then WhatsApp, then SMS, all on the `sms` channel): a provider names
 * the route of each outcome, and says when another route is left to try. The engine keeps the routes already used in
 * the outbox (`skipRoutes`), so the fall-back inside a channel survives a restart like the cascade does.
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
  /** Device tokens of the app this channel reaches (branded app, aggregator app, staff app), one per device. */
  pushTokens?: readonly string[];
  /** A Telegram chat linked to the client through the bot's deep link. */
  telegramChatId?: string;
  /** A staff member's ntfy topic (adminPush through ntfy). */
  ntfyTopic?: string;
  staffId?: string;
  clientId?: string;
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
  /** Routes of this channel that already failed or could not be used for this message: go on with the next one. */
  skipRoutes?: readonly string[];
}

/** What a message cost, as the provider billed it or as estimated from the segments and the configured price. */
export interface MessageCost {
  /** Millionths of the currency unit (Twilio prices are fractions of a cent). */
  micros: number;
  /** ISO 4217. */
  currency: string;
  segments?: number;
  /** true when computed from the configured price per segment rather than reported by the provider. */
  estimated: boolean;
}

interface OutcomeBase {
  /** Which route of the channel this outcome is about, e.g. "whatsapp", "sms", "telegram". */
  route?: string;
  /** The provider's own words for the state ("queued", "UNREGISTERED"), for the log. */
  providerStatus?: string;
  cost?: MessageCost;
}

/**
 * What one send came to. On `delivered` and `accepted`, `detail` is free text (the provider's words); a reason code
 * comes with it only when FrontDesk has its own words for what happened (`provider.answerLost`).
 */
export type SendOutcome =
  /** The provider confirmed delivery (or, for email, SMTP accepted it: the best verdict SMTP gives). */
  | (OutcomeBase & CodedReason & { status: 'delivered'; providerMessageId?: string; detail?: string; staleTokens?: readonly string[] })
  /**
   * Accepted, the delivery report comes later: the cascade waits up to the verdict window, and the engine polls
   * `report` when the provider has one.
   */
  | (OutcomeBase & CodedReason & { status: 'accepted'; providerMessageId?: string; detail?: string; staleTokens?: readonly string[] })
  /**
   * Rejected. `permanent` false means a retry could succeed (network, 5xx, 429); `retryAfterMs` is the provider's
   * Retry-After. `notSent` says the request certainly did not reach the provider (held back by the rate limit), so the
   * attempt does not count against the retry budget. `nextRoute` says another route of the channel is left.
   */
  | (OutcomeBase & CodedReason & { status: 'failed'; reason: string; permanent: boolean; retryAfterMs?: number; notSent?: boolean; nextRoute?: boolean })
  /**
   * The whole message reached the provider, then the connection broke before its verdict came: it may have been sent.
   * Never retried and never a reason for the next channel (DESIGN §4.1): the step ends `uncertain`, shown to the desk.
   */
  | (OutcomeBase & CodedReason & { status: 'uncertain'; reason: string })
  /**
   * Could not be tried at all: provider not configured, recipient lacks the address, every device token is gone
   * (`staleTokens` are dropped from the recipient). `nextRoute` as above.
   */
  | (OutcomeBase & CodedReason & { status: 'notTried'; reason: string; staleTokens?: readonly string[]; nextRoute?: boolean });

/** A delivery report: what the provider says now about a message it accepted earlier. */
export type ReportOutcome =
  | (OutcomeBase & { status: 'delivered'; detail?: string })
  /** Final failure (undelivered, failed). `nextRoute`: the channel has another route for this message. */
  | (OutcomeBase & CodedReason & { status: 'failed'; reason: string; nextRoute?: boolean })
  /** Still on its way (queued, sending, sent). */
  | (OutcomeBase & { status: 'inFlight' })
  /** The report could not be read this time (network, 5xx, 429): ask again later. */
  | { status: 'unknown'; reason: string; retryAfterMs?: number };

export interface ReportQuery {
  locationId: string;
  channel: Channel;
  providerMessageId: string;
  route?: string;
}

export interface ChannelProvider {
  readonly channel: Channel;
  /** `notConfigured` lets the cascade skip the channel without an attempt. */
  readiness(locationId: string): { ready: true } | ({ ready: false; reason: string } & CodedReason);
  /** `signal` is an AbortSignal; typed structurally because shared/ has no DOM or Node types. */
  send(message: OutgoingMessage, signal?: { readonly aborted: boolean }): Promise<SendOutcome>;
  /** Present when the provider can tell later what became of an accepted message. */
  report?(query: ReportQuery, signal?: { readonly aborted: boolean }): Promise<ReportOutcome>;
  /**
   * The provider drops a repeated request with the same idempotency key, so a message interrupted mid-send can be
   * sent again after a crash instead of ending `uncertain` (DESIGN §4.1).
   */
  idempotent?(locationId: string): boolean;
}
