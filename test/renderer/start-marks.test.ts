import { describe, expect, it, vi } from 'vitest';
import { markStart, whenStartMarked } from '../../renderer/src/app/start-marks.ts';

describe('whenStartMarked', () => {
  it('resolves when the page reaches the mark, and at once for a mark already reached', async () => {
    let reached = false;
    const waiting = whenStartMarked('test_first_day', 60_000).then(() => (reached = true));
    await Promise.resolve();
    expect(reached).toBe(false);
    markStart('test_first_day');
    await waiting;
    expect(reached).toBe(true);
    await expect(whenStartMarked('test_first_day', 60_000)).resolves.toBeUndefined();
  });

  it('resolves after the cap when the mark never comes (the page opened on another screen)', async () => {
    vi.useFakeTimers();
    try {
      let reached = false;
      const waiting = whenStartMarked('test_never_reached', 1500).then(() => (reached = true));
      await vi.advanceTimersByTimeAsync(1499);
      expect(reached).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(reached).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
