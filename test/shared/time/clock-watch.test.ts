/**
 * The clock watch on Node's real timers and monotonic clock, with the wall clock it reads moved by the test as a user
 * or NTP moves the computer's clock (Date.now() itself cannot be set from inside a process).
 */
import { describe, expect, it } from 'vitest';
import { systemTimers } from '../../../electron/host/system-clock.ts';
import { ClockWatch } from '../../../shared/time/clock-watch.ts';

const INTERVAL = 40;

function watchedClock() {
  let offset = 0;
  const watch = new ClockWatch({ clock: { now: () => Date.now() + offset }, monotonic: () => performance.now(), timers: systemTimers, intervalMs: INTERVAL });
  const jumps: number[] = [];
  const stop = watch.jumps((jump) => jumps.push(jump));
  return { jumps, stop, set: (ms: number) => void (offset += ms) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ClockWatch on real timers', () => {
  it('tells a clock set forward or back, once each, and nothing while the clocks agree', async () => {
    const clock = watchedClock();
    try {
      await pause(3 * INTERVAL);
      expect(clock.jumps).toEqual([]);
      clock.set(3 * 3_600_000);
      await pause(3 * INTERVAL);
      expect(clock.jumps).toHaveLength(1);
      expect(clock.jumps[0]).toBeGreaterThan(3 * 3_600_000 - 2_000);
      clock.set(-5 * 60_000);
      await pause(3 * INTERVAL);
      expect(clock.jumps).toHaveLength(2);
      expect(clock.jumps[1]).toBeLessThan(-5 * 60_000 + 2_000);
    } finally {
      clock.stop();
    }
  });

  it('stops its timer when the last listener leaves', async () => {
    const clock = watchedClock();
    clock.stop();
    clock.set(3_600_000);
    await pause(3 * INTERVAL);
    expect(clock.jumps).toEqual([]);
  });
});
