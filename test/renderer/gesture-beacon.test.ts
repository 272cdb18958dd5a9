/**
 * A click or key in the page tells the host (app.gesture), once per gesture: the press, its click and a held key's
 * repeats within GESTURE_NOTE_GAP_MS are one note.
 */
import { describe, expect, it } from 'vitest';
import { GESTURE_NOTE_GAP_MS, reportGestures } from '../../renderer/src/app/gesture-beacon.ts';

function page() {
  let now = 1_000;
  const target = new EventTarget();
  const notes: number[] = [];
  const stop = reportGestures(target, () => notes.push(now), () => now);
  return {
    notes,
    stop,
    at(ms: number, type: string) {
      now = ms;
      target.dispatchEvent(new Event(type));
    },
  };
}

describe('reportGestures', () => {
  it('tells the host of a press, a click and a key', () => {
    const p = page();
    p.at(1_000, 'pointerdown');
    p.at(1_200, 'click');
    p.at(1_400, 'keydown');
    expect(p.notes).toEqual([1_000, 1_200, 1_400]);
  });

  it('tells it once for a press and its click, and once per gap for a held key', () => {
    const p = page();
    p.at(1_000, 'pointerdown');
    p.at(1_000 + GESTURE_NOTE_GAP_MS - 1, 'click');
    for (let t = 2_000; t < 2_100; t += 10) p.at(t, 'keydown');
    expect(p.notes).toEqual([1_000, 2_000, 2_000 + GESTURE_NOTE_GAP_MS, 2_000 + 2 * GESTURE_NOTE_GAP_MS, 2_000 + 3 * GESTURE_NOTE_GAP_MS]);
  });

  it('ignores what is not a gesture, and everything once stopped', () => {
    const p = page();
    p.at(1_000, 'mousemove');
    p.at(1_100, 'scroll');
    expect(p.notes).toEqual([]);
    p.stop();
    p.at(2_000, 'click');
    expect(p.notes).toEqual([]);
  });
});
