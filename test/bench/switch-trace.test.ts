import { describe, expect, it } from 'vitest';
import { clickThreadTimes } from './switch-trace.ts';

const MAIN = { pid: 1, tid: 7 };
const OTHER_PAGE = { pid: 2, tid: 9 };

/** A trace event of thread `on`: start `ts` and wall `dur` in ms, thread time `tdur` in ms. */
function x(on: { pid: number; tid: number }, name: string, ts: number, dur: number, tdur: number, args?: Record<string, unknown>) {
  return { ...on, name, ph: 'X', ts: ts * 1000, dur: dur * 1000, tdur: tdur * 1000, ...(args ? { args } : {}) };
}
const mark = (name: string, ts: number) => ({ ...MAIN, name, ph: 'R', ts: ts * 1000 });
const thread = (on: { pid: number; tid: number }) => ({ ...on, name: 'thread_name', ph: 'M', ts: 0, args: { name: 'CrRendererMain' } });

describe('clickThreadTimes (bench:ui UI_BENCH_SWITCH_TRACE)', () => {
  it("sums the page's main-thread thread time per click window, with its script, style, layout and paint", () => {
    const trace = [
      thread(MAIN),
      thread(OTHER_PAGE),
      // The other page has fewer events: not the measured one.
      x(OTHER_PAGE, 'RunTask', 100, 50, 50),
      // Before the first click: left out.
      x(MAIN, 'RunTask', 0, 10, 9),
      mark('bench-click', 100),
      x(MAIN, 'RunTask', 100, 20, 15),
      x(MAIN, 'FunctionCall', 101, 18, 14),
      // Script called back from script: inside the outer call, not counted twice.
      x(MAIN, 'FunctionCall', 102, 2, 2),
      x(MAIN, 'RunTask', 130, 30, 20),
      x(MAIN, 'UpdateLayoutTree', 131, 5, 4, { elementCount: 380 }),
      x(MAIN, 'Layout', 136, 6, 5),
      x(MAIN, 'Paint', 142, 8, 6),
      // The document's Paint holds the HTML element's: counted once.
      x(MAIN, 'Paint', 142.5, 7, 5.5),
      x(MAIN, 'PrePaint', 150, 3, 2),
      x(MAIN, 'Layerize', 153, 2, 1),
      mark('bench-frame', 165),
      // Between clicks: left out.
      x(MAIN, 'RunTask', 170, 10, 10),
      mark('bench-click', 200),
      x(MAIN, 'RunTask', 200, 10, 8),
      mark('bench-frame', 212),
    ];
    expect(clickThreadTimes({ traceEvents: trace })).toEqual([
      { task: 35, script: 14, style: 4, layout: 5, paint: 9, styledElements: 380 },
      { task: 8, script: 0, style: 0, layout: 0, paint: 0, styledElements: 0 },
    ]);
  });
});
