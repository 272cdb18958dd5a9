/**
 * What one configured provider (Twilio, an SMS gateway, Telegram, FCM, ntfy) offers the channel it serves: its routes
 * for a message, send, delivery reports, a connection test and, where the API allows it, the replies it received.
 * The channel router (channel-router.ts) turns an ordered list of these into the ChannelProvider the engine sees.
 */
import type { OutgoingMessage, ReportOutcome, ReportQuery, SendOutcome } from '../../../../shared/engine/provider.ts';
import type { ReasonParams } from '../../../../shared/notifications/reasons.ts';
import { plainReason, type ReasonCode } from '../../../../shared/notifications/reasons.ts';
import type { Clock, Timers } from '../../../../shared/time/clock.ts';
import type { HttpAnswer, HttpResult } from './http.ts';
import { RateLimiter } from './rate-limiter.ts';

export type TestResult =
  | { ok: true; detail: string; facts?: Record<string, string> }
  | { ok: false; reason: string; reasonCode: string; reasonParams?: ReasonParams };

/** A message a client sent back (an SMS reply, a Telegram message), as the provider reported it. */
export interface InboundMessage {
  /** The provider's id of the message: replies are processed once per id. */
  id: string;
  /** E.164 phone, when the reply came by SMS/WhatsApp. */
  fromPhone?: string;
  /** Telegram chat id, when it came by Telegram. */
  telegramChatId?: string;
  text: string;
  at: number;
  via: string;
}

export interface ProviderClient {
  /** "Twilio", "ntfy": used in reasons people read. */
  readonly label: string;
  /** Every route this provider may offer, in order. */
  readonly allRoutes: readonly string[];
  /** The routes this provider offers for the message, in order (empty: it cannot reach this recipient at all). */
  routes(message: OutgoingMessage): readonly string[];
  send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome>;
  report?(query: ReportQuery, signal?: AbortSignal): Promise<ReportOutcome>;
  /** Checks the settings and credentials against the provider without sending anything. */
  test(signal?: AbortSignal): Promise<TestResult>;
  /** Replies received since the last call (providers whose API lists them). */
  inbound?(signal?: AbortSignal): Promise<InboundMessage[]>;
  /** The API drops a repeated request with the same idempotency key (so a crashed send may be repeated). */
  readonly idempotent: boolean;
  close?(): void;
}

export interface ProviderDeps {
  clock: Clock;
  timers: Timers;
}

/** A reason with its code: the English text from the code, or a provider's words quoted as `detail`. */
export function coded(code: ReasonCode, params?: ReasonParams): { reason: string; reasonCode: string; reasonParams?: ReasonParams } {
  return plainReason(code, params);
}

/**
 * A 2xx whose body was lost (it broke off, never ended, was too big) or lacks the message id: the provider took the
 * message, so it counts as sent. A retry or the next channel could reach the client twice (DESIGN §3, §4.1).
 */
export function answerLost(provider: string, answer: HttpAnswer, route: string, status: 'accepted' | 'delivered'): SendOutcome {
  const why = coded('provider.answerLost', { provider, detail: answer.broken ?? `HTTP ${answer.status} without a message id` });
  return { status, route, providerStatus: 'accepted', detail: why.reason, reasonCode: why.reasonCode, ...(why.reasonParams ? { reasonParams: why.reasonParams } : {}) };
}

/**
 * No answer to a send. When the whole request had gone out, the provider may have sent the message: unless it drops
 * a repeated request by its idempotency key, trying again could reach the client twice, so the send is `uncertain`
 * (DESIGN §4.1). Otherwise nothing reached it, and a retry is safe.
 */
export function noAnswer(provider: string, failure: Extract<HttpResult, { ok: false }>, route: string, idempotent: boolean): SendOutcome {
  if (failure.requestSent && !idempotent) return { status: 'uncertain', route, ...coded('provider.noVerdict', { provider, detail: failure.reason }) };
  return { status: 'failed', permanent: false, route, ...coded('provider.error', { detail: failure.reason }) };
}

/** How long a send waits inline for a rate-limit slot before handing the wait back to the engine. */
const MAX_INLINE_WAIT_MS = 2_000;

/**
 * Wraps a send in the provider's rate limit: a slot first (or "held back" with the wait, not counted as a try),
 * and a 429's Retry-After pauses the whole provider, not just this message.
 */
export async function rateLimited(limiter: RateLimiter | undefined, label: string, clock: Clock, send: () => Promise<SendOutcome>): Promise<SendOutcome> {
  if (limiter) {
    const slot = await limiter.acquire(MAX_INLINE_WAIT_MS);
    if (!slot.ok) {
      const why = slot.paused ? coded('provider.paused', { provider: label }) : coded('provider.heldBack', { provider: label });
      return { status: 'failed', permanent: false, notSent: true, retryAfterMs: slot.waitMs, ...why };
    }
  }
  const outcome = await send();
  if (limiter && outcome.status === 'failed' && outcome.providerStatus === '429') limiter.pause(clock.now() + (outcome.retryAfterMs ?? 1_000));
  return outcome;
}

export function limiterFor(perSecond: number | undefined, deps: ProviderDeps): RateLimiter | undefined {
  return perSecond && perSecond > 0 ? new RateLimiter({ perSecond }, deps.clock, deps.timers) : undefined;
}

/** Micro-units of a decimal price string ("-0.00750" → 7500): Twilio prices are negative charges. */
export function priceMicros(price: unknown): number | undefined {
  if (typeof price !== 'string' && typeof price !== 'number') return undefined;
  const value = Math.abs(Number(price));
  return Number.isFinite(value) ? Math.round(value * 1_000_000) : undefined;
}
