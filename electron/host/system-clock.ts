import type { Clock, Timers } from '../../shared/time/clock.ts';

/** setTimeout caps at 2^31-1 ms (~24.8 days); longer waits are chained so a far due time still fires. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  after(ms, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const schedule = (remaining: number) => {
      const step = Math.min(Math.max(0, remaining), MAX_TIMEOUT_MS);
      handle = setTimeout(() => {
        if (cancelled) return;
        if (remaining > MAX_TIMEOUT_MS) schedule(remaining - MAX_TIMEOUT_MS);
        else fn();
      }, step);
      handle.unref?.();
    };
    schedule(ms);
    return {
      cancel() {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  },
};
