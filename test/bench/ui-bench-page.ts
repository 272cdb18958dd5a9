/** What bench:ui reads from the page: start marks and requests, main-thread time, long tasks, the log's calls, storage changes. */
import type { CDPSession, Page } from 'playwright-core';
import type { ClickTiming } from './ui-bench-press.ts';
import { emit, quantile, round } from './ui-bench-report.ts';
import type { Host } from './ui-bench-host.ts';

// ---------------------------------------------------------------------------------------------------------------
// Start breakdown: where the time from the spawn to the painted calendar goes

/** Wall-clock ms of the page's steps: navigation and resource timing, and the app's frontdesk:* marks. */
export async function pageMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const at = (t: number) => performance.timeOrigin + t;
    const marks: Record<string, number> = {};
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (nav) {
      marks.page_request_sent = at(nav.requestStart);
      marks.page_html_received = at(nav.responseEnd);
    }
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const scripts = resources.filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
    const styles = resources.filter((r) => r.name.endsWith('.css'));
    if (scripts.length) marks.page_js_received = at(Math.max(...scripts.map((r) => r.responseEnd)));
    if (styles.length) marks.page_css_received = at(Math.max(...styles.map((r) => r.responseEnd)));
    for (const mark of performance.getEntriesByType('mark')) {
      if (mark.name.startsWith('frontdesk:')) marks[`page_${mark.name.slice('frontdesk:'.length)}`] = at(mark.startTime);
    }
    return marks;
  });
}

/**
 * The page's requests until the paint, in the order the page asked for them: when it asked, when the request was sent
 * and when its response ended, in ms after the navigation's request, and its size. Chromium opens at most six HTTP/1.1
 * connections to one host: a seventh request waits for a free one, which shows as a gap between asked and sent.
 */
export async function startRequests(page: Page): Promise<{ name: string; asked: number; sent: number; end: number; kB: number }[]> {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const origin = nav?.requestStart ?? 0;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    return resources
      .sort((a, b) => a.startTime - b.startTime)
      .map((r) => ({
        name: r.name.replace(/^.*\//, '').replace(/-[\w-]{8}\./, '.'),
        asked: Math.round(r.startTime - origin),
        sent: Math.round(r.requestStart - origin),
        end: Math.round(r.responseEnd - origin),
        kB: Math.round(r.encodedBodySize / 1024),
      }));
  });
}

/** Adds one start's steps (ms after the spawn) to `into`, and returns them. */
export function addBreakdown(into: Map<string, number[]>, host: Host, page: Record<string, number>, paintedMs: number): Record<string, number> {
  const steps: Record<string, number> = { ...page };
  for (const match of host.output().matchAll(/\[start-trace\] (\w+) ([\d.]+)/g)) steps[`host_${match[1]}`] = Number(match[2]);
  const afterSpawn: Record<string, number> = { calendar_painted: paintedMs };
  for (const [name, epoch] of Object.entries(steps)) afterSpawn[name] = epoch - host.spawnedAtEpoch;
  for (const [name, ms] of Object.entries(afterSpawn)) into.set(name, [...(into.get(name) ?? []), ms]);
  return afterSpawn;
}

/** Steps in the order they were reached (p50), each with its p50 ms after the spawn. */
export function breakdownLine(breakdown: Map<string, number[]>): Record<string, number> {
  const p50 = [...breakdown].map(([name, samples]) => [name, round(quantile(samples, 0.5))] as const);
  return Object.fromEntries(p50.sort((a, b) => a[1] - b[1]).map(([name, ms]) => [`${name}_ms`, ms]));
}

/** The page's main-thread time so far, by kind, in ms (Chromium's Performance domain counters). */
export interface MainThreadTime {
  task: number;
  script: number;
  layout: number;
  style: number;
}

export const MAIN_THREAD_PARTS = ['task', 'script', 'layout', 'style'] as const satisfies readonly (keyof MainThreadTime)[];

/** A list of samples per part of MainThreadTime, filled one measurement at a time. */
export type MainThreadSamples = Record<keyof MainThreadTime, number[]>;

export function mainThreadSamples(): MainThreadSamples {
  return { task: [], script: [], layout: [], style: [] };
}

/** The medians of the parts beside a report of the task time: script_p50_ms, layout_p50_ms, style_p50_ms. */
export function partMedians(samples: MainThreadSamples): Record<string, number> {
  return Object.fromEntries((['script', 'layout', 'style'] as const).map((part) => [`${part}_p50_ms`, round(quantile(samples[part], 0.5))]));
}

export async function mainThreadTime(counters: CDPSession): Promise<MainThreadTime> {
  const { metrics } = await counters.send('Performance.getMetrics');
  const seconds = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? NaN;
  return { task: seconds('TaskDuration') * 1000, script: seconds('ScriptDuration') * 1000, layout: seconds('LayoutDuration') * 1000, style: seconds('RecalcStyleDuration') * 1000 };
}

// ---------------------------------------------------------------------------------------------------------------
// In-page helpers (run inside Chromium; only DOM APIs)

/**
 * Installed in the page before the app's code: every main-thread task over 50 ms it runs (Chromium's Long Tasks API),
 * as [start, duration] on the page clock.
 */
export const LONG_TASK_OBSERVER = `(() => {
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__benchLongTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
})();`;

/**
 * Installed in the page before the app's code: for each `log.list` the page sends on its /api socket, the page-clock
 * time it was sent and the time the page began handling its answer (the socket's first message listener). With the
 * browser's own times of the frames (CDP, logCallWire) they split a filter's click → frame into click → sent,
 * on the wire (host included), answer waiting for the page's thread, and answer → frame.
 */
export const LOG_CALL_PROBE = `(() => {
  const calls = new Map();
  window.__benchLogCalls = calls;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"channel":"log.list"')) {
      const id = /"id":(\\d+)/.exec(data);
      if (id) calls.set(Number(id[1]), { sent: performance.now() });
    }
    return send.call(this, data);
  };
  const wrapped = new WeakMap();
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, options);
    const probe = function (event) {
      if (typeof event.data === 'string') {
        const id = /"id":(\\d+)/.exec(event.data.slice(0, 40));
        const call = id && calls.get(Number(id[1]));
        if (call && call.received === undefined) call.received = performance.now();
      }
      return listener.call(this, event);
    };
    wrapped.set(listener, probe);
    return add.call(this, type, probe, options);
  };
  WebSocket.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, wrapped.get(listener) ?? listener, options);
  };
})();`;

export interface PageLogCall {
  sent: number;
  received?: number;
}

/**
 * Per measured filter, the parts of its click → frame: the last log.list the page sent within its window is the one
 * whose answer it shows. The wire time is the browser's (frame sent → answer received); the answer's wait for the
 * page's thread is the rest of the page's own sent → received.
 */
export function splitLogCalls(windows: readonly ClickTiming[], calls: readonly [number, PageLogCall][], wire: ReadonlyMap<number, { sent?: number; received?: number }>) {
  const split = { clickToSent: [] as number[], wire: [] as number[], answerWait: [] as number[], answerToDom: [] as number[], answerToFrame: [] as number[] };
  for (const w of windows) {
    const mine = calls.filter(([, c]) => c.sent >= w.from && c.sent <= w.to).at(-1);
    const onWire = mine && wire.get(mine[0]);
    if (!mine || mine[1].received === undefined || onWire?.sent === undefined || onWire.received === undefined) continue;
    const { sent, received } = mine[1];
    split.clickToSent.push(sent - w.from);
    split.wire.push(onWire.received - onWire.sent);
    split.answerWait.push(received - sent - (onWire.received - onWire.sent));
    split.answerToDom.push(w.from + w.domMs - received);
    split.answerToFrame.push(w.to - received);
  }
  return split;
}

/** The browser's times (CDP, ms on its monotonic clock) of each log.list frame sent and of its answer received, by id. */
export async function logCallWire(page: Page): Promise<Map<number, { sent?: number; received?: number }>> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  const wire = new Map<number, { sent?: number; received?: number }>();
  const idOf = (payload: string) => Number(/"id":(\d+)/.exec(payload.slice(0, 40))?.[1] ?? NaN);
  session.on('Network.webSocketFrameSent', ({ timestamp, response }) => {
    if (response.payloadData.includes('"channel":"log.list"')) wire.set(idOf(response.payloadData), { sent: timestamp * 1000 });
  });
  session.on('Network.webSocketFrameReceived', ({ timestamp, response }) => {
    const call = wire.get(idOf(response.payloadData));
    if (call && call.received === undefined && response.payloadData.startsWith('{"type":"result"')) call.received = timestamp * 1000;
  });
  return wire;
}

/** Durations of the long tasks that overlap any of `windows` (the page clock's from/to of measured clicks). */
export async function longTasksWithin(page: Page, windows: readonly ClickTiming[]): Promise<number[]> {
  // The observer hears of a task after it ended; let its callback run.
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(() => (window as unknown as { __benchLongTasks: [number, number][] }).__benchLongTasks);
  return tasks.filter(([start, duration]) => windows.some((w) => start < w.to && start + duration > w.from)).map(([, duration]) => duration);
}

export function reportLongTasks(name: string, windows: readonly ClickTiming[], durations: readonly number[], how: string): void {
  emit({
    bench: 'ui', name, measured_interactions: windows.length, long_tasks: durations.length,
    max_task_ms: durations.length ? round(Math.max(...durations)) : 0,
    target: 'no main-thread task over 50 ms', meets_target: durations.length === 0, how,
  });
}

/**
 * Counts the change events the page's storage socket (/rxdb) receives, per collection, while `counting` is set: each is
 * parsed and handled on the page's main thread, between the measured interactions' tasks. Attach before the page loads
 * (a connection's collection is named only in its `create` request).
 */
export async function countStorageChanges(page: Page): Promise<{ counting: boolean; events: Record<string, number> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  const collectionOf = new Map<string, string>();
  const counter = { counting: false, events: {} as Record<string, number> };
  const parse = (payload: string) => {
    try {
      return JSON.parse(payload) as { method?: string; connectionId?: string; params?: { collectionName?: string }; return?: { events?: unknown[] } };
    } catch {
      return undefined;
    }
  };
  session.on('Network.webSocketFrameSent', ({ response }) => {
    const message = parse(response.payloadData);
    if (message?.method === 'create' && message.connectionId && message.params?.collectionName) collectionOf.set(message.connectionId, message.params.collectionName);
  });
  session.on('Network.webSocketFrameReceived', ({ response }) => {
    if (!counter.counting || !response.payloadData.includes('"changeStream"')) return;
    const message = parse(response.payloadData);
    if (message?.method !== 'changeStream' || !message.connectionId) return;
    const collection = collectionOf.get(message.connectionId) ?? 'unknown';
    counter.events[collection] = (counter.events[collection] ?? 0) + (message.return?.events?.length ?? 0);
  });
  return counter;
}

/**
 * In-page predicate: the day grid shows `a.count` visits of date `a.date` with client names. The grid
 * mounts blocks only in the columns on screen (and one beside them): every column states its number of visits
 * (data-visits) and a mounted column (data-mounted) holds exactly that many blocks, so the count over all columns must
 * be the day's and every mounted column complete.
 */
export function dayShown(a: { date?: string; count: number }): boolean {
  const screen = document.querySelector('[data-testid="calendar-screen"]');
  const grid = document.querySelector('[data-testid="calendar-day"]');
  if (!screen || !grid || (a.date && (screen.getAttribute('data-date') !== a.date || grid.getAttribute('data-date') !== a.date))) return false;
  let total = 0;
  let mounted = 0;
  for (const column of document.querySelectorAll('[data-testid="calendar-column"]')) {
    const visits = Number(column.getAttribute('data-visits'));
    total += visits;
    if (!column.hasAttribute('data-mounted')) continue;
    mounted++;
    const blocks = column.querySelectorAll('[data-testid="appointment-block"]');
    if (blocks.length !== visits || [...blocks].some((b) => (b.textContent || '').includes('Loading…'))) return false;
  }
  return mounted > 0 && total === a.count;
}
/** The same as source text for pressAndTime (Node's type stripping leaves plain JavaScript). */
export const DAY_SHOWN = dayShown.toString();

/** Press → click of measured presses (p50/p95): part of every figure timed from the press. */
export function pressToClick(windows: readonly ClickTiming[]): Record<string, number> {
  const ms = windows.map((w) => w.pressToClickMs);
  return { press_to_click_p50_ms: round(quantile(ms, 0.5)), press_to_click_p95_ms: round(quantile(ms, 0.95)) };
}

/** What log_filter is compared with. */
export const RAW_PACED = 'raw log.list paced like the filters (same payloads, limit 200, second WebSocket; each sent after its filter\'s frame, as long after it as that filter\'s press came after the previous raw call)';
