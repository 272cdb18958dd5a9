/**
 * When to try a channel again after a temporary failure, and when to ask a provider again for a delivery report.
 * Exponential backoff with jitter, the provider's Retry-After honoured, never past the message's deadline: a retry
 * that could only happen after the appointment started is no retry but a failure with the reason (DESIGN §4.2).
 */

export interface RetryPolicy {
  /** The first retry waits about this long (the jitter takes it down to half). */
  baseMs: number;
  /** No single wait is longer than this, Retry-After aside. */
  maxDelayMs: number;
  /** Temporary failures tolerated on one route before it counts as failed. */
  maxTries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 2_000, maxDelayMs: 5 * 60_000, maxTries: 8 };

export interface RetryInput {
  now: number;
  /** Temporary failures so far on this route, this one included (1 after the first). */
  tries: number;
  retryAfterMs?: number;
  /** Nothing may be sent at or after this instant. */
  deadline: number;
  /** A number in [0, 1): injected so tests are deterministic. */
  random: () => number;
  policy?: RetryPolicy;
}

/** A provider's Retry-After, when it is a real wait: NaN from a garbled answer would make every instant NaN. */
function waitAsked(retryAfterMs: number | undefined): number {
  return retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? retryAfterMs : 0;
}

export type RetryDecision = { retry: true; at: number } | { retry: false; why: 'tooManyTries' | 'noTimeLeft' };

export function nextRetry(input: RetryInput): RetryDecision {
  const policy = input.policy ?? DEFAULT_RETRY_POLICY;
  if (input.tries >= policy.maxTries) return { retry: false, why: 'tooManyTries' };
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, input.tries - 1));
  // "Equal jitter": half fixed, half random, so desks that failed together do not retry together.
  const jittered = exponential / 2 + input.random() * (exponential / 2);
  const delay = Math.ceil(Math.max(jittered, waitAsked(input.retryAfterMs)));
  const at = input.now + delay;
  if (at >= input.deadline) return { retry: false, why: 'noTimeLeft' };
  return { retry: true, at };
}

/** Delivery reports: asked 15 s after sending, then at doubling intervals up to 5 min, and once more at the window's end. */
export const REPORT_FIRST_MS = 15_000;
export const REPORT_MAX_INTERVAL_MS = 5 * 60_000;

export function nextReportAt(now: number, polls: number, verdictAt: number, retryAfterMs?: number): number {
  const interval = Math.min(REPORT_MAX_INTERVAL_MS, REPORT_FIRST_MS * 2 ** polls);
  return Math.min(verdictAt, now + Math.max(interval, waitAsked(retryAfterMs)));
}
