/**
 * Notices when the wall clock and the timers part ways. Timers run on the monotonic clock: it stands still while the
 * computer sleeps and ignores a clock set by the user or NTP, while due times are wall-clock times — a timer armed at
 * night for a 09:00 reminder fired hours after the desk woke up. One coarse timer compares how far each clock moved;
 * it reads the two clocks and nothing else.
 */
import type { Clock, TimerHandle, Timers } from './clock.ts';

/** How often the clocks are compared: a message due during a sleep goes out at most this long after waking. */
export const CLOCK_WATCH_INTERVAL_MS = 60_000;

/** How far the clocks may part in one interval before it counts as a jump (a loaded machine fires timers late). */
export const CLOCK_JUMP_TOLERANCE_MS = 2_000;

export interface ClockWatchOptions {
  clock: Clock;
  /** A clock that never goes back and that the timers follow (performance.now()). */
  monotonic: () => number;
  timers: Timers;
  intervalMs?: number;
}

/** Subscribes to wall-clock jumps: the listener gets how far the wall clock moved beyond the timers (either way). */
export type ClockJumps = (listener: (jumpMs: number) => void) => () => void;

export class ClockWatch {
  readonly #o: ClockWatchOptions;
  readonly #listeners = new Set<(jumpMs: number) => void>();
  #timer: TimerHandle | undefined;

  constructor(options: ClockWatchOptions) {
    this.#o = options;
  }

  readonly jumps: ClockJumps = (listener) => {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) this.#arm();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  };

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #arm(): void {
    const wallFrom = this.#o.clock.now();
    const monotonicFrom = this.#o.monotonic();
    this.#timer = this.#o.timers.after(this.#o.intervalMs ?? CLOCK_WATCH_INTERVAL_MS, () => {
      const jump = this.#o.clock.now() - wallFrom - (this.#o.monotonic() - monotonicFrom);
      this.#arm();
      if (Math.abs(jump) <= CLOCK_JUMP_TOLERANCE_MS) return;
      for (const listener of [...this.#listeners]) listener(jump);
    });
  }
}
