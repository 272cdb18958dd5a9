/**
 * The desk computer sleeps overnight, or its clock is set: Node's timers run on the monotonic clock, which stands still
 * during sleep and ignores a clock set, while due times are wall-clock times (DESIGN §4.3–§4.4). ManualTime keeps the
 * two apart: `jumpWallClock` moves the wall clock alone, as a sleep or a clock set does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchGate } from '../../../../shared/engine/dispatch-gate.ts';
import { CLOCK_WATCH_INTERVAL_MS } from '../../../../shared/time/clock-watch.ts';
import { DAY, EngineHarness, HOUR, MINUTE, T0 } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

/** Tuesday 15:00 in Berlin: its reminders are due Monday 15:00 (24 h before) and Tuesday 13:00 (2 h before). */
const START = T0 + DAY + 5 * HOUR;

const reminderStates = async (id: string) => (await h.job('reminder', id)).map((j) => [j.occasion.split('@')[0], j.state, j.reasonCode]);
const sentReminders = () => h.sentOf('email').filter((m) => m.jobId.startsWith('reminder'));

describe('the desk sleeps or its clock is set', () => {
  it('a reminder that fell due while the computer slept goes out on waking, not when the timer would have run out', async () => {
    h = await EngineHarness.create({ watchClock: true });
    const a = await h.book(START);
    await h.advance(HOUR);
    // Monday 11:00 to Tuesday 07:00 asleep: the 24 h reminder (Monday 15:00) fell due meanwhile, still before the start.
    h.time.jumpWallClock(20 * HOUR);
    await h.advance(2 * MINUTE);
    expect(sentReminders().map((m) => m.jobId)).toEqual([expect.stringContaining('1440m')]);
    expect(await reminderStates(a.id)).toEqual([['1440m', 'delivered', undefined], ['120m', 'planned', undefined]]);
    // The 2 h reminder goes at 13:00 by the wall clock.
    await h.advance(6 * HOUR - 3 * MINUTE);
    expect(sentReminders()).toHaveLength(1);
    await h.advance(2 * MINUTE);
    expect(sentReminders()).toHaveLength(2);
  });

  it('reminders that can no longer go before the start are expired with the reason on waking, not sent late', async () => {
    h = await EngineHarness.create({ watchClock: true });
    const a = await h.book(START);
    await h.advance(HOUR);
    // Asleep until Tuesday 17:00: the visit has started.
    h.time.jumpWallClock(30 * HOUR);
    await h.advance(2 * MINUTE);
    expect(sentReminders()).toEqual([]);
    expect(await reminderStates(a.id)).toEqual([['1440m', 'expired', 'appointment.started'], ['120m', 'expired', 'appointment.started']]);
  });

  it('a clock set forward sends what is now due within one look at the clocks', async () => {
    h = await EngineHarness.create({ watchClock: true });
    await h.book(START);
    h.time.jumpWallClock(5 * HOUR + 10 * MINUTE);
    await h.advance(CLOCK_WATCH_INTERVAL_MS);
    expect(sentReminders()).toHaveLength(1);
  });

  it('a clock set back neither sends a reminder early nor twice', async () => {
    h = await EngineHarness.create({ watchClock: true });
    await h.book(START);
    await h.advance(4 * HOUR);
    // Monday 14:00 becomes 11:00: the 24 h reminder waits for 15:00 by the clock on the wall.
    h.time.jumpWallClock(-3 * HOUR);
    await h.advance(3 * HOUR + 50 * MINUTE);
    expect(sentReminders()).toEqual([]);
    await h.advance(20 * MINUTE);
    expect(sentReminders()).toHaveLength(1);
    // Set back again after it went: it stays sent once.
    h.time.jumpWallClock(-2 * HOUR);
    await h.advance(3 * HOUR);
    expect(sentReminders()).toHaveLength(1);
  });
});

describe('a pause of seconds and a clock set back', () => {
  it('refused hand-offs are tried again seconds later by the clock as set, not once the old time comes back', async () => {
    const listeners = new Set<() => void>();
    let refusing = true;
    const gate: DispatchGate = {
      permit: () => ({ ok: true, fence: { desk: 'desk-a', epoch: 1 } }),
      stillValid: () => true,
      handOff: () => Promise.resolve(!refusing),
      active: () => true,
      onChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      replicates: () => true,
    };
    h = await EngineHarness.create({ gate, watchClock: true });
    // The clocks are compared every minute from the start (T0); hand-offs are refused every 5 s from T0 + 2 s.
    await h.advance(2_000);
    await h.book(START);
    await h.advance(10 * MINUTE - 4_000);
    expect(h.sentOf('email')).toEqual([]);
    // Between a refusal (T0 + 597 s) and the clocks' next look (T0 + 600 s), the clock goes back 5 minutes and the
    // endpoint takes hand-offs again: the confirmation, due at T0 + 2 s, is still due; its pause is 5 s by either clock.
    h.time.jumpWallClock(-5 * MINUTE);
    refusing = false;
    await h.advance(10_000);
    expect(h.sentOf('email').map((m) => m.jobId)).toEqual([expect.stringContaining('bookingConfirmation')]);
  });
});
