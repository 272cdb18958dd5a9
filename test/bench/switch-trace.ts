/**
 * Reads a Chromium trace of measured clicks (bench:ui's UI_BENCH_SWITCH_TRACE): per click, from its `bench-click` mark
 * to its `bench-frame` mark, the thread time the page's main thread spent in tasks. On a loaded machine the wall clock
 * of a day switch is its thread time stretched by every other process (1.3-2x at load 5-10); the thread time moves far
 * less, and so does what the browser did: elements whose style it recalculated, and the thread time of layout, paint
 * and script.
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; elementCount?: number };
}

export interface ClickThreadTime {
  /** Main-thread thread time (ms) of the tasks overlapping the click's window. */
  task: number;
  script: number;
  style: number;
  layout: number;
  /** Paint, pre-paint and layerize. */
  paint: number;
  /** Elements whose style was recalculated. */
  styledElements: number;
}

const PARTS: Record<string, keyof ClickThreadTime> = {
  FunctionCall: 'script',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  Paint: 'paint',
  PrePaint: 'paint',
  Layerize: 'paint',
};

/** The renderer main thread with the most events: the measured page's. */
function pageMainThread(events: readonly TraceEvent[]): string | undefined {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** One entry per click, in order; a part's time counts where its event starts inside the window. */
export function clickThreadTimes(trace: { traceEvents: TraceEvent[] } | TraceEvent[]): ClickThreadTime[] {
  const events = Array.isArray(trace) ? trace : trace.traceEvents;
  const main = pageMainThread(events);
  const marks = events.filter((e) => e.name === 'bench-click' || e.name === 'bench-frame').sort((a, b) => a.ts - b.ts);
  const windows: [number, number][] = [];
  let clicked: number | undefined;
  for (const mark of marks) {
    if (mark.name === 'bench-click') clicked = mark.ts;
    else if (clicked !== undefined) {
      windows.push([clicked, mark.ts]);
      clicked = undefined;
    }
  }
  const onMain = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts);
  return windows.map(([from, to]) => {
    const times: ClickThreadTime = { task: 0, script: 0, style: 0, layout: 0, paint: 0, styledElements: 0 };
    // An event inside another of its name is part of the outer one: script calling back into script, and the
    // document's Paint, which holds its HTML element's Paint (counted twice, paint read about 3.5 ms too high).
    const outerEnds = new Map<string, number>();
    for (const e of onMain) {
      const end = e.ts + (e.dur ?? 0);
      if (e.name === 'RunTask' && e.ts < to && end > from) times.task += (e.tdur ?? 0) / 1000;
      if (e.ts < from || e.ts >= to) continue;
      const part = PARTS[e.name];
      if (part) {
        if (e.ts < (outerEnds.get(e.name) ?? -Infinity)) continue;
        outerEnds.set(e.name, end);
        times[part] += (e.tdur ?? 0) / 1000;
      }
      if (e.name === 'UpdateLayoutTree') times.styledElements += e.args?.elementCount ?? 0;
    }
    return times;
  });
}
