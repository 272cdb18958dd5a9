/**
 * Engine work that can wait makes way for the window: while the window's requests keep coming (the several calls of
 * one gesture, each sent when the previous answer arrived), it does not take the event loop back after every turn —
 * but only for so long, so a window that keeps asking does not stop the work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAKE_WAY_MAX_MS, noteWindowRequest, TimeSlice, WINDOW_QUIET_MS } from '../../../../electron/host/engine/time-slice.ts';

/** Timers may fire a little early against performance.now(). */
const TIMER_SLACK_MS = 2;

let stopRequests: (() => void) | undefined;
afterEach(() => stopRequests?.());

/** The window sends a request every few ms until stopped (or for `forMs`). */
function windowKeepsAsking(forMs: number): { coming: () => boolean } {
  let coming = true;
  noteWindowRequest();
  const every = setInterval(noteWindowRequest, 5);
  const end = setTimeout(() => stopRequests?.(), forMs);
  stopRequests = () => {
    coming = false;
    clearInterval(every);
    clearTimeout(end);
  };
  return { coming: () => coming };
}

describe('TimeSlice', () => {
  it("that can wait yields until the window's requests pause", async () => {
    const window = windowKeepsAsking(120);
    const started = performance.now();
    await new TimeSlice({ makeWayForWindow: true }).yield();
    expect(window.coming()).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(120 + WINDOW_QUIET_MS - TIMER_SLACK_MS);
  });

  it('that cannot wait yields one turn only, whatever the window does', async () => {
    const window = windowKeepsAsking(2_000);
    await new TimeSlice().yield();
    expect(window.coming()).toBe(true);
  });

  it('makes way at most MAKE_WAY_MAX_MS at a time', async () => {
    const window = windowKeepsAsking(5_000);
    const started = performance.now();
    await new TimeSlice({ makeWayForWindow: true }).yield();
    expect(window.coming()).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(MAKE_WAY_MAX_MS - TIMER_SLACK_MS);
  });
});
