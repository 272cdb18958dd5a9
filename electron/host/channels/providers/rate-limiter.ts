/**
 * A provider's rate limit as a token bucket: `perSecond` sends a second on average, bursts up to `burst`. A provider
 * that answers 429 pauses the bucket until its Retry-After. A short wait is waited out (the engine sends one message
 * at a time, so 20 ms at 50/s is nothing); a long one is handed back, and the engine retries the job then instead of
 * holding its queue.
 */
import type { Clock, Timers } from '../../../../shared/time/clock.ts';

export interface RateLimit {
  perSecond: number;
  /** Sends allowed back to back after a quiet spell; default 1 (strictly even spacing). */
  burst?: number;
}

/** `paused`: the wait is the provider's own (a 429's Retry-After), not the rate set in FrontDesk. */
export type Acquired = { ok: true } | { ok: false; waitMs: number; paused: boolean };

export class RateLimiter {
  readonly #interval: number;
  readonly #burst: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  /** The instant the bucket is full again; sends take `interval` each from it. */
  #nextFree = 0;
  #pausedUntil = 0;

  constructor(limit: RateLimit, clock: Clock, timers: Timers) {
    if (!(limit.perSecond > 0)) throw new Error('A rate limit needs a positive number of sends per second.');
    this.#interval = 1000 / limit.perSecond;
    this.#burst = Math.max(1, Math.floor(limit.burst ?? 1));
    this.#clock = clock;
    this.#timers = timers;
  }

  /** Takes a slot, waiting at most `maxWaitMs` for it; otherwise says how long the wait would be (and takes nothing). */
  async acquire(maxWaitMs: number): Promise<Acquired> {
    const now = this.#clock.now();
    // Tokens accrue only while idle, up to the burst.
    const earliest = Math.max(this.#nextFree, now - (this.#burst - 1) * this.#interval);
    const at = Math.max(earliest, this.#pausedUntil);
    const wait = at - now;
    if (wait > maxWaitMs) return { ok: false, waitMs: Math.ceil(wait), paused: this.#pausedUntil > earliest };
    this.#nextFree = Math.max(at, earliest) + this.#interval;
    if (wait > 0) await new Promise<void>((resolve) => this.#timers.after(wait, resolve));
    return { ok: true };
  }

  /** The provider said "too many requests": nothing goes out before `untilMs`. */
  pause(untilMs: number): void {
    if (Number.isFinite(untilMs)) this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
  }
}
