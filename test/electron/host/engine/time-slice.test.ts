/**
 * Engine work that can wait makes way for the window: while the window's requests keep coming (the several calls of
 * one gesture, each sent when the previous answer arrived), it does not take the event loop back after every turn —
 * but only for so long, so a window that keeps asking does not stop the work. On a fake clock: with real timers a
 * loaded machine delays the window's own requests past the quiet time, and the test measured the machine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAKE_WAY_MAX_MS, noteWindowRequest, TimeSlice, WINDOW_QUIET_MS } from '../../../../electron/host/engine/time-slice.ts';

let stopRequests: (() => void) | undefined;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'performance'] });
});

afterEach(() => {
  stopRequests?.();
  stopRequests = undefined;
  vi.useRealTimers();
});

/** The window sends a request every 5 ms until stopped (or for `forMs`). */
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

/** Starts a yield; `done()` says whether it has returned. */
function yieldOf(slice: TimeSlice): { done: () => boolean } {
  let done = false;
  void slice.yield().then(() => (done = true));
  return { done: () => done };
}

describe('TimeSlice', () => {
  it("that can wait yields until the window's requests pause", async () => {
    const window = windowKeepsAsking(120);
    const turn = yieldOf(new TimeSlice({ makeWayForWindow: true }));
    // The last request comes at 115–120 ms; the work goes on once the window has been quiet for WINDOW_QUIET_MS.
    await vi.advanceTimersByTimeAsync(120 + WINDOW_QUIET_MS - 10);
    expect(turn.done()).toBe(false);
    expect(window.coming()).toBe(false);
    await vi.advanceTimersByTimeAsync(15);
    expect(turn.done()).toBe(true);
  });

  it('that cannot wait yields one turn only, whatever the window does', async () => {
    const window = windowKeepsAsking(2_000);
    const turn = yieldOf(new TimeSlice());
    await vi.advanceTimersByTimeAsync(1);
    expect(turn.done()).toBe(true);
    expect(window.coming()).toBe(true);
  });

  it('makes way at most MAKE_WAY_MAX_MS at a time', async () => {
    const window = windowKeepsAsking(5_000);
    const turn = yieldOf(new TimeSlice({ makeWayForWindow: true }));
    await vi.advanceTimersByTimeAsync(MAKE_WAY_MAX_MS - 5);
    expect(turn.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(turn.done()).toBe(true);
    expect(window.coming()).toBe(true);
  });

  it('asks the work whether it may stop before making way, and yields one turn only when it may not', async () => {
    windowKeepsAsking(2_000);
    const asked: boolean[] = [];
    let may = false;
    const slice = new TimeSlice({ makeWayForWindow: true, readyToMakeWay: () => (asked.push(may), may) });
    const declined = yieldOf(slice);
    await vi.advanceTimersByTimeAsync(1);
    expect(declined.done()).toBe(true);
    may = true;
    const madeWay = yieldOf(slice);
    await vi.advanceTimersByTimeAsync(MAKE_WAY_MAX_MS - 5);
    expect(madeWay.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(madeWay.done()).toBe(true);
    expect(asked).toEqual([false, true]);
  });

  it('does not ask the work when the window is quiet', async () => {
    noteWindowRequest();
    await vi.advanceTimersByTimeAsync(WINDOW_QUIET_MS);
    let asked = 0;
    const turn = yieldOf(new TimeSlice({ makeWayForWindow: true, readyToMakeWay: () => (asked++, true) }));
    await vi.advanceTimersByTimeAsync(1);
    expect(turn.done()).toBe(true);
    expect(asked).toBe(0);
  });

  it('does not wait when the window has been quiet', async () => {
    noteWindowRequest();
    await vi.advanceTimersByTimeAsync(WINDOW_QUIET_MS);
    const turn = yieldOf(new TimeSlice({ makeWayForWindow: true }));
    await vi.advanceTimersByTimeAsync(1);
    expect(turn.done()).toBe(true);
  });
});
