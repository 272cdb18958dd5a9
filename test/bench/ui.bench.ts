/**
 * `npm run bench:ui`: the web mode measured in Chromium on the demo salon scaled to 30 staff and 600 appointments a
 * day, with 100k delivery-log entries. Prints one JSON line per measurement (p50/p95, samples, target, baseline).
 *
 * Targets of issue 13: start → calendar painted p95 < 1 s, day switch and visit card p95 < 60 ms, log filter p95 at most
 * 1.3× the raw `log.list`, and no main-thread task over 50 ms (Long Tasks API) during a day switch or a log filter.
 * Beside the start's wall clock, `start_page_main_thread`: the page's own main-thread time until the paint, which the
 * host's readiness hardly moves (a page-side change can be judged by it on a loaded machine). Likewise
 * `day_switch_main_thread`: the page's main-thread time per day switch, press to frame.
 * Every measured click is a press of the mouse at the element (ui-bench-press.ts), timed from its pointerdown; each line
 * gives the press → click part beside. The log filter's baseline is the same `log.list` calls sent raw, paced like the
 * filters (ui-bench-raw-log.ts); the same calls back to back, the baseline before, are printed beside it.
 * Each start also prints `start_requests`: the page's files in the order it asked for them, with when each was
 * asked, sent and answered; Chromium opens six HTTP/1.1 connections per host, so a gap between asked and sent is a file
 * that waited for another's to end.
 * The day switch line also counts the change events the page's storage socket received during the switches, per
 * collection (storage_change_events): each is handled on the page's main thread between the switches' tasks.
 * Env: UI_BENCH_STARTS (default 4), UI_BENCH_DAY_SWITCHES (24), UI_BENCH_VISITS (12), UI_BENCH_FILTERS (24),
 * UI_BENCH_KEEP=1 keeps the data folder, UI_BENCH_DATA_DIR reuses one, UI_BENCH_ONLY_START=1 measures the starts only,
 * UI_BENCH_ONLY_LOG=1 the delivery log only (one start unless UI_BENCH_STARTS says otherwise; no day switch or visit card).
 * UI_BENCH_WARM_DESK=1 makes every second start a desk that started before (it keeps the location the previous start
 * showed, as a desk's browser storage does) and reports those starts on their own line, beside the fresh desks'.
 * UI_BENCH_SWITCH_TRACE=<file> writes a Chromium trace (timeline, with each task's thread time) of the day switches
 * there and reports `day_switch_thread_time` (switch-trace.ts): the page's thread time per switch, which a loaded
 * machine stretches far less than the wall clock, and its style, layout and paint parts.
 * UI_BENCH_LOG_TRACE=<file> does the same for the log filters (`log_filter_thread_time`: the page's own thread time per
 * filter, press to frame, without the wait for the host), and the filters report `log_filter_main_thread` (CDP
 * TaskDuration, press to frame) in any case.
 * UI_BENCH_SWITCH_PAUSE_MS=<ms> waits that long before each day switch's click (default 0: right after the previous
 * switch's frame, as someone holding an arrow key): work a page does between switches then stays out of their windows.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { projectRoot } from '../../scripts/ensure-build.ts';
import { launchChromium } from '../e2e/support/browser.ts';
import { clickThreadTimes, type ClickThreadTime } from './switch-trace.ts';
import { pressAndTime, type ClickTiming } from './ui-bench-press.ts';
import { closeRawLogSocket, openRawLogSocket, RAW_CALL_IDS_FROM, rawLogCall, rawLogCallsBackToBack } from './ui-bench-raw-log.ts';
import { prepareUiBenchData, type UiBenchDataSummary } from './ui-bench-data.ts';

const ONLY_LOG = process.env.UI_BENCH_ONLY_LOG === '1';
const WARM_DESK = process.env.UI_BENCH_WARM_DESK === '1';
const SWITCH_TRACE = process.env.UI_BENCH_SWITCH_TRACE;
const LOG_TRACE = process.env.UI_BENCH_LOG_TRACE;
/** What the timeline traces record (switch-trace.ts reads them). */
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'];
/** What a desk keeps across starts (renderer/src/app/remembered-location.ts). */
const REMEMBERED_LOCATION_KEY = 'frontdesk.lastLocation';
const STARTS = Number(process.env.UI_BENCH_STARTS ?? (ONLY_LOG ? 1 : 4));
const DAY_SWITCHES = Number(process.env.UI_BENCH_DAY_SWITCHES ?? 24);
/** A pause before each day switch's click: a person's pace, not the next click right after the previous frame. */
const SWITCH_PAUSE_MS = Number(process.env.UI_BENCH_SWITCH_PAUSE_MS ?? 0);
const VISITS = Number(process.env.UI_BENCH_VISITS ?? 12);
const FILTERS = Number(process.env.UI_BENCH_FILTERS ?? 24);
const VIEWPORT = { width: 1600, height: 1000 };

// Everything human-readable goes to stderr; stdout carries only the JSON lines.
const note = (line: string) => process.stderr.write(`[bench:ui] ${line}\n`);
const round = (n: number) => Math.round(n * 10) / 10;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function stats(samples: readonly number[]) {
  return { p50_ms: round(quantile(samples, 0.5)), p95_ms: round(quantile(samples, 0.95)), max_ms: round(Math.max(...samples)), samples: samples.length };
}

/** Every line carries the 1-minute load average: on a shared machine it says how far a figure can be trusted. */
function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, load1: Math.round(os.loadavg()[0]! * 10) / 10 })}\n`);
}

interface Measured {
  name: string;
  samples: number[];
  target_ms?: number;
  /** Which percentile the target applies to. */
  target_on?: 'p50' | 'p95';
  /** Target as a ratio: p95 at most this times the baseline's p95. */
  target_max_ratio_p95?: number;
  how: string;
  baseline?: { name: string; samples: number[] };
  extra?: Record<string, unknown>;
}

function report(m: Measured): void {
  const s = stats(m.samples);
  const line: Record<string, unknown> = { bench: 'ui', name: m.name, ...s };
  if (m.target_ms !== undefined) {
    const on = m.target_on ?? 'p95';
    line.target = `${on} < ${m.target_ms} ms`;
    line.meets_target = (on === 'p50' ? s.p50_ms : s.p95_ms) < m.target_ms;
  } else if (m.target_max_ratio_p95 === undefined) {
    line.target = null;
    line.meets_target = null;
  }
  if (m.baseline) {
    const b = stats(m.baseline.samples);
    line.baseline = m.baseline.name;
    line.baseline_p50_ms = b.p50_ms;
    line.baseline_p95_ms = b.p95_ms;
    line.ratio_vs_baseline = Math.round((s.p50_ms / b.p50_ms) * 100) / 100;
    line.ratio_p95_vs_baseline = Math.round((s.p95_ms / b.p95_ms) * 100) / 100;
    if (m.target_max_ratio_p95 !== undefined) {
      line.target = `p95 <= ${m.target_max_ratio_p95}x baseline p95`;
      line.meets_target = s.p95_ms <= m.target_max_ratio_p95 * b.p95_ms;
    }
  }
  line.how = m.how;
  Object.assign(line, m.extra ?? {});
  emit(line);
}

// ---------------------------------------------------------------------------------------------------------------
// Host

interface Host {
  openUrl: string;
  /** Wall-clock ms (performance.timeOrigin + now) of the spawn. */
  spawnedAtEpoch: number;
  /** Spawn → "Open: URL" printed, Node wall time. */
  startMs: number;
  spawnedAt: number;
  output: () => string;
  stop(): Promise<void>;
}

async function startHost(dataDir: string, timeoutMs = 120_000): Promise<Host> {
  const spawnedAt = performance.now();
  // The bundled web mode, as `npm run web` starts it (out/main/web.js; ensure-build made it).
  const child = spawn(process.execPath, [path.join(projectRoot, 'out/main/web.js'), '--port', '0', '--data-dir', dataDir, '--no-open'], {
    cwd: projectRoot,
    // The host's start-up marks (electron/host/start-trace.ts) for the breakdown.
    env: { ...process.env, FRONTDESK_START_TRACE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => reject(new Error(`web host exited (${code}) before printing its URL:\n${output}`)));
  });
  return {
    openUrl,
    startMs: performance.now() - spawnedAt,
    spawnedAt,
    spawnedAtEpoch: performance.timeOrigin + spawnedAt,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** performance.now() at which the host's output first matched `pattern` (polled; throws after `timeoutMs`). */
async function waitForOutput(host: Host, pattern: RegExp, timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (!pattern.test(host.output())) {
    if (performance.now() > until) throw new Error(`host printed no ${pattern} within ${timeoutMs} ms:\n${host.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now();
}

// ---------------------------------------------------------------------------------------------------------------
// Start breakdown: where the time from the spawn to the painted calendar goes

/** Wall-clock ms of the page's steps: navigation and resource timing, and the app's frontdesk:* marks. */
async function pageMarks(page: Page): Promise<Record<string, number>> {
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
async function startRequests(page: Page): Promise<{ name: string; asked: number; sent: number; end: number; kB: number }[]> {
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
function addBreakdown(into: Map<string, number[]>, host: Host, page: Record<string, number>, paintedMs: number): Record<string, number> {
  const steps: Record<string, number> = { ...page };
  for (const match of host.output().matchAll(/\[start-trace\] (\w+) ([\d.]+)/g)) steps[`host_${match[1]}`] = Number(match[2]);
  const afterSpawn: Record<string, number> = { calendar_painted: paintedMs };
  for (const [name, epoch] of Object.entries(steps)) afterSpawn[name] = epoch - host.spawnedAtEpoch;
  for (const [name, ms] of Object.entries(afterSpawn)) into.set(name, [...(into.get(name) ?? []), ms]);
  return afterSpawn;
}

/** Steps in the order they were reached (p50), each with its p50 ms after the spawn. */
function breakdownLine(breakdown: Map<string, number[]>): Record<string, number> {
  const p50 = [...breakdown].map(([name, samples]) => [name, round(quantile(samples, 0.5))] as const);
  return Object.fromEntries(p50.sort((a, b) => a[1] - b[1]).map(([name, ms]) => [`${name}_ms`, ms]));
}

/** The page's main-thread time so far, by kind, in ms (Chromium's Performance domain counters). */
interface MainThreadTime {
  task: number;
  script: number;
  layout: number;
  style: number;
}

const MAIN_THREAD_PARTS = ['task', 'script', 'layout', 'style'] as const satisfies readonly (keyof MainThreadTime)[];

async function mainThreadTime(counters: CDPSession): Promise<MainThreadTime> {
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
const LONG_TASK_OBSERVER = `(() => {
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
const LOG_CALL_PROBE = `(() => {
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

interface PageLogCall {
  sent: number;
  received?: number;
}

/**
 * Per measured filter, the parts of its click → frame: the last log.list the page sent within its window is the one
 * whose answer it shows. The wire time is the browser's (frame sent → answer received); the answer's wait for the
 * page's thread is the rest of the page's own sent → received.
 */
function splitLogCalls(windows: readonly ClickTiming[], calls: readonly [number, PageLogCall][], wire: ReadonlyMap<number, { sent?: number; received?: number }>) {
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
async function logCallWire(page: Page): Promise<Map<number, { sent?: number; received?: number }>> {
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
async function longTasksWithin(page: Page, windows: readonly ClickTiming[]): Promise<number[]> {
  // The observer hears of a task after it ended; let its callback run.
  await page.waitForTimeout(300);
  const tasks = await page.evaluate(() => (window as unknown as { __benchLongTasks: [number, number][] }).__benchLongTasks);
  return tasks.filter(([start, duration]) => windows.some((w) => start < w.to && start + duration > w.from)).map(([, duration]) => duration);
}

function reportLongTasks(name: string, windows: readonly ClickTiming[], durations: readonly number[], how: string): void {
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
async function countStorageChanges(page: Page): Promise<{ counting: boolean; events: Record<string, number> }> {
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
function dayShown(a: { date?: string; count: number }): boolean {
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
const DAY_SHOWN = dayShown.toString();

/** Press → click of measured presses (p50/p95): part of every figure timed from the press. */
function pressToClick(windows: readonly ClickTiming[]): Record<string, number> {
  const ms = windows.map((w) => w.pressToClickMs);
  return { press_to_click_p50_ms: round(quantile(ms, 0.5)), press_to_click_p95_ms: round(quantile(ms, 0.95)) };
}

/** What log_filter is compared with. */
const RAW_PACED = 'raw log.list paced like the filters (same payloads, limit 200, second WebSocket; each sent after its filter\'s frame, as long after it as that filter\'s press came after the previous raw call)';

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/ensure-build.ts')], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('build failed');

  // UI_BENCH_DATA_DIR reuses a folder a previous run kept (UI_BENCH_KEEP=1), prepared the same day.
  const reuse = process.env.UI_BENCH_DATA_DIR;
  const dataDir = reuse ?? (await mkdtemp(path.join(os.tmpdir(), 'frontdesk-ui-bench-')));
  const browser = await launchChromium();
  let host: Host | undefined;
  try {
    const now = Date.now();
    const summaryFile = path.join(dataDir, 'ui-bench-summary.json');
    const data: UiBenchDataSummary = reuse ? (JSON.parse(await readFile(summaryFile, 'utf8')) as UiBenchDataSummary) : await prepareUiBenchData({ dataDir, now });
    if (!reuse) await writeFile(summaryFile, JSON.stringify(data));
    note(`data folder ${dataDir}: ${JSON.stringify(data)}`);
    const expected = data.appointmentsPerDay;
    const dates = Object.keys(expected).sort();
    const today = dates[4]!;
    emit({ bench: 'ui', name: 'data_prepared', staff: data.staff, appointments_per_day: expected[today], appointments: data.appointments, clients: data.clients, delivery_log: data.deliveryLog, ms: data.ms });

    // The first start after the import plans the notification outbox for every visit: reported, not a sample. It
    // runs until that plan is done (its start_plan_done mark): stopped at the URL, the plan moved into the measured
    // starts and the page used for the interactions, whose queries then waited behind it for seconds.
    if (!reuse) {
      const first = await startHost(dataDir);
      const planDone = await waitForOutput(first, /\[start-trace\] start_plan_done /, 600_000);
      emit({ bench: 'ui', name: 'host_first_start_after_import', ms: round(first.startMs), plan_done_ms: round(planDone - first.spawnedAt), how: 'spawn → "Open:" printed, and → the engine planned jobs for the imported visits (start_plan_done)' });
      await first.stop();
    }

    // 1. Start → calendar painted, fresh host process and fresh browser context each time.
    const startSamples: number[] = [];
    const paintSamples: number[] = [];
    const fullSamples: number[] = [];
    const readySamples: number[] = [];
    const mainThreadSamples: Record<keyof MainThreadTime, number[]> = { task: [], script: [], layout: [], style: [] };
    const breakdown = new Map<string, number[]>();
    const warmPaintSamples: number[] = [];
    const warmBreakdown = new Map<string, number[]>();
    let carried: string | null = null;
    for (let i = 0; i < STARTS; i++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const warm = WARM_DESK && i % 2 === 1 && carried !== null;
      // The host's port changes at every start, and with it the page's origin: the kept value is put back by hand.
      if (warm) await context.addInitScript(([key, value]) => localStorage.setItem(key, value), [REMEMBERED_LOCATION_KEY, carried!] as const);
      const page = await context.newPage();
      const counters = await context.newCDPSession(page);
      await counters.send('Performance.enable');
      const h = await startHost(dataDir);
      await page.goto(h.openUrl, { waitUntil: 'commit' });
      await page.waitForFunction(() => document.querySelector('[data-testid="appointment-block"]') !== null, undefined, { polling: 'raf', timeout: 60_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      const painted = performance.now() - h.spawnedAt;
      const mainThread = await mainThreadTime(counters);
      await page.waitForFunction(dayShown, { count: expected[today]! }, { polling: 'raf', timeout: 60_000 });
      const full = performance.now() - h.spawnedAt;
      const steps = addBreakdown(warm ? warmBreakdown : breakdown, h, await pageMarks(page), painted);
      emit({ bench: 'ui', name: 'start_requests', start: i + 1, how: 'the page\'s requests before the paint, in order: [file, asked, sent, response end (ms after the page\'s own request was sent), kB]', requests: (await startRequests(page)).map((r) => [r.name, r.asked, r.sent, r.end, r.kB]) });
      if (WARM_DESK) carried = await page.evaluate((key) => localStorage.getItem(key), REMEMBERED_LOCATION_KEY);
      if (warm) {
        warmPaintSamples.push(painted);
        note(`start ${i + 1} (warm desk, ${carried}): first blocks ${round(painted)} ms`);
        await context.close();
        if (i < STARTS - 1) await h.stop();
        else host = h;
        continue;
      }
      if (steps.host_host_running !== undefined) readySamples.push(steps.host_host_running);
      for (const part of MAIN_THREAD_PARTS) mainThreadSamples[part].push(mainThread[part]);
      startSamples.push(h.startMs);
      paintSamples.push(painted);
      fullSamples.push(full);
      note(`start ${i + 1}: URL ${round(h.startMs)} ms, host running ${round(readySamples.at(-1) ?? NaN)} ms, first blocks ${round(painted)} ms, all ${expected[today]} blocks with names ${round(full)} ms`);
      await context.close();
      if (i < STARTS - 1) await h.stop();
      else host = h;
    }
    report({ name: 'host_start', samples: startSamples, how: 'Node wall time: spawn of `node out/main/web.js` (the bundled web mode) → "Open: URL" printed (same data folder, fresh process)' });
    // The host alone: the URL is printed before the host's code loads, so the host is ready only at `host_running`.
    const hostReady = { name: 'host_ready (spawn → host running: code loaded, database open; FRONTDESK_START_TRACE)', samples: readySamples };
    report({ name: 'host_ready', samples: readySamples, how: 'spawn → the host\'s host_running mark (its code loaded and the database open), on the wall clock' });
    report({
      name: 'start_to_calendar_painted',
      samples: paintSamples,
      target_ms: 1000,
      how: 'Node wall time: spawn → first appointment block in the DOM + one frame (page opened as soon as the URL was printed, fresh browser context)',
      baseline: hostReady,
      extra: { page_part_p50_ms: round(quantile(paintSamples.map((p, i) => p - startSamples[i]!), 0.5)) },
    });
    if (WARM_DESK) {
      report({
        name: 'start_to_calendar_painted_warm_desk',
        samples: warmPaintSamples,
        how: 'as start_to_calendar_painted, for a desk that started before (it remembers the location it showed); baseline: the fresh desks of the same run, started in turn with these',
        baseline: { name: 'start_to_calendar_painted (fresh desks)', samples: paintSamples },
      });
      emit({ bench: 'ui', name: 'start_breakdown_warm_desk', ...breakdownLine(warmBreakdown) });
    }
    report({
      name: 'start_page_main_thread',
      samples: mainThreadSamples.task,
      how: 'the page\'s main-thread task time from its navigation to the painted calendar (Chromium\'s Performance.getMetrics TaskDuration), fresh desks. Unlike the wall clock it hardly moves with how soon the host was ready, so a change to the page\'s own work shows in it on a loaded machine too',
      extra: Object.fromEntries((['script', 'layout', 'style'] as const).map((part) => [`${part}_p50_ms`, round(quantile(mainThreadSamples[part], 0.5))])),
    });
    emit({ bench: 'ui', name: 'start_breakdown', how: 'p50 ms after the spawn at which each step was reached (host: FRONTDESK_START_TRACE lines; page: navigation/resource timing and frontdesk:* performance marks)', ...breakdownLine(breakdown) });
    report({
      name: 'start_to_calendar_complete',
      samples: fullSamples,
      how: `as above, until today's ${expected[today]} visits are counted in the columns and every column on screen shows its blocks with client names`,
      baseline: hostReady,
    });

    if (process.env.UI_BENCH_ONLY_START === '1') return;

    // The rest on one page of the last host, which reports its long tasks.
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript({ content: LONG_TASK_OBSERVER });
    await context.addInitScript({ content: LOG_CALL_PROBE });
    const page = await context.newPage();
    const wire = await logCallWire(page);
    const storageChanges = await countStorageChanges(page);
    const counters = await context.newCDPSession(page);
    await counters.send('Performance.enable');
    await page.goto(`${host!.openUrl}#/calendar/day/${today}`);
    await page.waitForFunction(dayShown, { date: today, count: expected[today]! }, { timeout: 60_000 });
    await page.mouse.move(5, VIEWPORT.height - 5);

    // 2. Day switch: the next/previous buttons, between today-3 and today+3.
    const switchDom: number[] = [];
    const switchFrame: number[] = [];
    const switchWindows: ClickTiming[] = [];
    const switchMainThread: Record<keyof MainThreadTime, number[]> = { task: [], script: [], layout: [], style: [] };
    const blocksOf = (date: string) => expected[date]!;
    let index = 4;
    let direction = 1;
    storageChanges.counting = true;
    if (SWITCH_TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    for (let i = 0; i < (ONLY_LOG ? 0 : DAY_SWITCHES + 2); i++) {
      if (index + direction > 7 || index + direction < 1) direction = -direction;
      const nextDate = dates[index + direction]!;
      if (SWITCH_PAUSE_MS > 0) await page.waitForTimeout(SWITCH_PAUSE_MS);
      let before: MainThreadTime | undefined;
      const r = await pressAndTime(
        page,
        `() => document.querySelector('[data-testid="calendar-${direction > 0 ? 'next' : 'prev'}"]')`,
        DAY_SHOWN,
        { date: nextDate, count: blocksOf(nextDate) },
        async () => void (before = await mainThreadTime(counters)),
      );
      const after = await mainThreadTime(counters);
      index += direction;
      // The first two switches warm up code paths (lazy chunks, JIT); not counted.
      if (i >= 2) {
        for (const part of MAIN_THREAD_PARTS) switchMainThread[part].push(after[part] - before![part]);
        switchDom.push(r.domMs);
        switchFrame.push(r.frameMs);
        switchWindows.push(r);
      }
    }

    storageChanges.counting = false;
    let switchThreadTimes: ClickThreadTime[] = [];
    if (SWITCH_TRACE) {
      const trace = await browser.stopTracing();
      await writeFile(SWITCH_TRACE, trace);
      // The first two switches are warm-ups, as below.
      switchThreadTimes = clickThreadTimes(JSON.parse(trace.toString('utf8'))).slice(2);
    }
    const switchLongTasks = await longTasksWithin(page, switchWindows);

    // Floor: one frame with no work (rAF + task), on the same page.
    const floor: number[] = [];
    for (let i = 0; i < 20; i++) {
      floor.push(await page.evaluate(() => new Promise<number>((resolve) => {
        const t0 = performance.now();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      })));
    }

    // 3. Visit card: click a block of today → the drawer shows the messages section (jobs loaded or "no messages").
    // By address, not the Today button: the salon's today is the clock's, and the data's `today` is the day it was
    // prepared (UI_BENCH_DATA_DIR reuses a folder), a day earlier once the salon's midnight passed.
    await page.evaluate((date) => (location.hash = `#/calendar/day/${date}`), today);
    await page.waitForFunction(dayShown, { date: today, count: expected[today]! }, { timeout: 60_000 });
    const visitDom: number[] = [];
    const visitWindows: ClickTiming[] = [];
    const visitFrame: number[] = [];
    const ids = await page.evaluate(() => [...document.querySelectorAll('[data-testid="appointment-block"]')].map((b) => b.getAttribute('data-appointment-id') ?? ''));
    for (let i = 0; i < (ONLY_LOG ? 0 : VISITS + 1); i++) {
      const id = ids[(i * 47 + 13) % ids.length]!;
      const r = await pressAndTime(
        page,
        `(id) => document.querySelector('[data-testid="appointment-block"][data-appointment-id="' + id + '"]')`,
        `() => {
          const body = document.querySelector('[data-testid="visit-body"]');
          if (!body || !body.querySelector('[data-testid="visit-client-name"]')) return false;
          if (body.querySelector('[data-testid="visit-messages"]')) return true;
          const empty = body.querySelector('[data-testid="messages-empty"]');
          return !!empty && !(empty.textContent || '').startsWith('Loading');
        }`,
        id,
      );
      if (i >= 1) {
        visitDom.push(r.domMs);
        visitWindows.push(r);
        visitFrame.push(r.frameMs);
      }
      await page.keyboard.press('Escape');
      await page.getByTestId('visit-body').waitFor({ state: 'detached' });
    }

    // 4. Delivery log of 100k entries.
    await page.getByTestId('nav-log').click();
    await page.getByTestId('log-row').first().waitFor({ timeout: 60_000 });
    await page.mouse.move(5, VIEWPORT.height - 5);

    // Interaction floor on this screen: expand/collapse a row (state only, no data call; re-renders the rendered rows).
    // Done when the pressed row opened or closed: a live refresh may put newer entries above it, and another row
    // under the pointer, between the row being picked and pressed.
    const toggle: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await pressAndTime(
        page,
        `() => document.querySelectorAll('[data-testid="log-row"]')[3]`,
        `() => {
          const row = window.__benchPressed.closest('[data-testid="log-row"]');
          return !!row && row.isConnected && row.hasAttribute('data-open') !== window.__benchPressedInOpen;
        }`,
        undefined,
      );
      toggle.push(r.frameMs);
    }

    const dims = ['type', 'channel', 'status'] as const;
    // Option values per filter; every row carries its values as data-type, data-channel and data-status.
    const optionValues: Record<(typeof dims)[number], string[]> = {
      type: ['reminder', 'bookingConfirmation', 'reviewRequest', 'cancellationNotice', 'winBack', 'birthdayGreeting', 'newBooking', 'reschedule'],
      channel: ['email', 'sms', 'desktop', 'aggregatorPush', 'adminPush', 'brandedPush'],
      status: ['delivered', 'failed', 'sandboxed', 'sent', 'skipped', 'notTried', 'expired', 'uncertain'],
    };
    const filterDom: number[] = [];
    const filterFrame: number[] = [];
    const filterWindows: ClickTiming[] = [];
    const rawPayloads: Record<string, unknown>[] = [];
    const rawPaced: number[] = [];
    const locationId = 'loc-lumiere';
    // The baseline's calls are paced like the filters: each filter's payload is sent raw after that filter's frame,
    // as long after it as the filter's press came after what went before it (the previous raw call). Sent back to back
    // instead, each call came while the host still made way for the previous one's (time-slice.ts), which calls spaced
    // as a person's clicks never find.
    await openRawLogSocket(page);
    const filterMainThread: number[] = [];
    if (LOG_TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    let lastEnd = await page.evaluate(() => performance.now());
    for (let i = 0; i < FILTERS + 2; i++) {
      const dim = dims[Math.floor(i / 2) % 3]!;
      const setting = i % 2 === 0;
      const value = optionValues[dim][Math.floor(i / 6) % optionValues[dim].length]!;
      note(`log filter ${i}: ${setting ? 'set' : 'clear'} ${dim}${setting ? ` = ${value}` : ''}`);
      const input = page.getByTestId(`log-filter-${dim}`);
      let r: ClickTiming;
      let before: MainThreadTime | undefined;
      const beforePress = async () => void (before = await mainThreadTime(counters));
      const doneCheck = `(a) => {
        const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
        if (rows.length === 0) return false;
        return rows.every((row) => row.getAttribute('data-' + a.dim) === a.shown);
      }`;
      // Unfiltered, the newest 200 may happen to match too: a clear is done when the reload it started finished
      // (the load-more button went busy and back) and the input is empty.
      const clearedCheck = `(a) => {
        const more = document.querySelector('[data-testid="log-load-more"]');
        const busy = !!more && more.hasAttribute('data-loading');
        if (busy) window.__benchSawBusy = true;
        return window.__benchSawBusy === true && !busy && document.querySelector('[data-testid="log-filter-' + a.dim + '"]').value === '';
      }`;
      if (setting) {
        await input.click();
        const listbox = page.getByRole('listbox');
        await listbox.waitFor();
        const optionIndex = await listbox.getByRole('option').evaluateAll((options, v) => options.findIndex((o) => o.getAttribute('value') === v), value);
        const option = listbox.getByRole('option').nth(optionIndex);
        await page.evaluate(() => document.querySelectorAll('[data-bench-target]').forEach((el) => el.removeAttribute('data-bench-target')));
        await option.evaluate((el) => el.setAttribute('data-bench-target', '1'));
        r = await pressAndTime(page, `() => document.querySelector('[data-bench-target="1"]')`, doneCheck, { dim, setting, shown: value }, beforePress);
        rawPayloads.push({ limit: 200, locationId, [dim]: value });
        await page.getByRole('listbox').waitFor({ state: 'detached' }).catch(() => undefined);
      } else {
        r = await pressAndTime(
          page,
          `(a) => { window.__benchSawBusy = false; return document.querySelector('[data-testid="log-filter-' + a.dim + '"]')?.closest('.mantine-InputWrapper-root')?.querySelector('button'); }`,
          clearedCheck,
          { dim, setting },
          beforePress,
        );
        rawPayloads.push({ limit: 200, locationId });
      }
      const after = await mainThreadTime(counters);
      await page.mouse.move(5, VIEWPORT.height - 5);
      const paced = await rawLogCall(page, rawPayloads.at(-1)!, r.to + (r.from - lastEnd));
      lastEnd = paced.to;
      // The first two filters warm up code paths (lazy chunks, JIT, the host's statements); not counted.
      if (i >= 2) {
        filterDom.push(r.domMs);
        filterFrame.push(r.frameMs);
        filterMainThread.push(after.task - before!.task);
        filterWindows.push(r);
        rawPaced.push(paced.ms);
      }
    }
    let filterThreadTimes: ClickThreadTime[] = [];
    if (LOG_TRACE) {
      const trace = await browser.stopTracing();
      await writeFile(LOG_TRACE, trace);
      filterThreadTimes = clickThreadTimes(JSON.parse(trace.toString('utf8'))).slice(2);
    }
    const filterLongTasks = await longTasksWithin(page, filterWindows);
    const filterSplit = splitLogCalls(filterWindows, await page.evaluate(() => [...(window as unknown as { __benchLogCalls: Map<number, PageLogCall> }).__benchLogCalls.entries()]), wire);
    // The same calls again, back to back (the baseline before the pacing, kept beside it; one warm-up call first).
    const rawBackToBack = (await rawLogCallsBackToBack(page, [rawPayloads[0]!, ...rawPayloads])).slice(1 + 2);
    await closeRawLogSocket(page);
    // The raw socket's ids count from RAW_CALL_IDS_FROM: the paced calls first, then the back-to-back ones.
    const rawWireOf = (first: number, count: number) =>
      Array.from({ length: count }, (_, k) => wire.get(RAW_CALL_IDS_FROM + first + k)).flatMap((c) => (c?.sent !== undefined && c.received !== undefined ? [c.received - c.sent] : []));
    const rawWire = rawWireOf(2, FILTERS);
    const rawBackToBackWire = rawWireOf(FILTERS + 2 + 1 + 2, FILTERS);

    if (!ONLY_LOG) report({
      name: 'day_switch',
      samples: switchFrame,
      target_ms: 60,
      how: 'in page: the next/previous button pressed with the mouse, from the pointerdown event\'s time → MutationObserver sees the new date, its visits counted in the columns and every column on screen (+1 beside) with all its blocks and client names → next animation frame painted',
      baseline: { name: 'empty frame (rAF + task, no work)', samples: floor },
      extra: { dom_settled_p50_ms: round(quantile(switchDom, 0.5)), dom_settled_p95_ms: round(quantile(switchDom, 0.95)), ...pressToClick(switchWindows), blocks_per_day: expected[today], staff_columns: data.staff - 1, storage_change_events: storageChanges.events },
    });
    if (!ONLY_LOG) report({
      name: 'day_switch_main_thread',
      samples: switchMainThread.task,
      how: "the page's main-thread time (CDP Performance.getMetrics TaskDuration) from right before a day switch's press to after its frame; script, layout and style parts beside (p50)",
      extra: Object.fromEntries((['script', 'layout', 'style'] as const).map((part) => [`${part}_p50_ms`, round(quantile(switchMainThread[part], 0.5))])),
    });
    if (!ONLY_LOG && switchThreadTimes.length > 0) report({
      name: 'day_switch_thread_time',
      samples: switchThreadTimes.map((t) => t.task),
      how: "UI_BENCH_SWITCH_TRACE: thread time of the page's main-thread tasks in a day switch's window (click to frame), from a Chromium trace; beside it the p50 of script, style, layout and paint (with pre-paint and layerize) and of the elements whose style was recalculated",
      extra: {
        ...Object.fromEntries((['script', 'style', 'layout', 'paint'] as const).map((part) => [`${part}_p50_ms`, round(quantile(switchThreadTimes.map((t) => t[part]), 0.5))])),
        styled_elements_p50: quantile(switchThreadTimes.map((t) => t.styledElements), 0.5),
      },
    });
    if (!ONLY_LOG) report({
      name: 'visit_card_open',
      samples: visitFrame,
      target_ms: 60,
      how: 'in page: a block pressed with the mouse, from the pointerdown event\'s time → drawer shows the client name and the messages section (jobs, or "No messages") → next frame',
      baseline: { name: 'empty frame (rAF + task, no work)', samples: floor },
      extra: { dom_settled_p50_ms: round(quantile(visitDom, 0.5)), dom_settled_p95_ms: round(quantile(visitDom, 0.95)), ...pressToClick(visitWindows) },
    });
    report({
      name: 'log_row_toggle_floor',
      samples: toggle,
      how: 'in page: a log row pressed with the mouse (pointerdown) → its details show/hide (React state only, no data call; the rendered rows re-render) → next frame',
      baseline: { name: 'empty frame (rAF + task, no work)', samples: floor },
    });
    report({
      name: 'log_filter',
      samples: filterFrame,
      target_max_ratio_p95: 1.3,
      how: 'in page: press a type/channel/status option (or its clear button) with the mouse, alternately → every row shows the chosen value (clear: the reload it started finished) → next frame, timed from the pointerdown event; 100k entries',
      baseline: { name: RAW_PACED, samples: rawPaced },
      extra: {
        dom_settled_p50_ms: round(quantile(filterDom, 0.5)), dom_settled_p95_ms: round(quantile(filterDom, 0.95)), ...pressToClick(filterWindows), row_toggle_floor_p50_ms: round(quantile(toggle, 0.5)),
        raw_back_to_back_p50_ms: round(quantile(rawBackToBack, 0.5)), raw_back_to_back_p95_ms: round(quantile(rawBackToBack, 0.95)),
        ratio_p95_vs_raw_back_to_back: Math.round((quantile(filterFrame, 0.95) / quantile(rawBackToBack, 0.95)) * 100) / 100,
      },
    });
    report({
      name: 'log_filter_split',
      samples: filterSplit.answerToFrame,
      how: "in page: a filter's answer began to be handled → next frame (the part of log_filter after the answer); beside it, p50/p95 of press → request sent (clickToSent), the request on the wire as the browser saw it (host included; raw: the same for log_list_raw's paced calls, and for the back-to-back ones), the answer waiting for the page's thread, and answer → DOM settled",
      extra: Object.fromEntries([
        ...(['clickToSent', 'wire', 'answerWait', 'answerToDom'] as const).flatMap((part) => [[`${part}_p50_ms`, round(quantile(filterSplit[part], 0.5))], [`${part}_p95_ms`, round(quantile(filterSplit[part], 0.95))]]),
        ['raw_wire_p50_ms', round(quantile(rawWire, 0.5))], ['raw_wire_p95_ms', round(quantile(rawWire, 0.95))],
        ['raw_back_to_back_wire_p50_ms', round(quantile(rawBackToBackWire, 0.5))], ['raw_back_to_back_wire_p95_ms', round(quantile(rawBackToBackWire, 0.95))],
      ]),
    });
    if (!ONLY_LOG) reportLongTasks('long_tasks_day_switch', switchWindows, switchLongTasks, 'Long Tasks API in the page: tasks overlapping a measured day switch (press → next frame)');
    report({
      name: 'log_filter_main_thread',
      samples: filterMainThread,
      how: "the page's main-thread time (CDP Performance.getMetrics TaskDuration) from right before a filter's press to after its frame (read after the frame: may include a few ms of what follows it); the host's time is not in it",
    });
    if (filterThreadTimes.length > 0) report({
      name: 'log_filter_thread_time',
      samples: filterThreadTimes.map((t) => t.task),
      how: "UI_BENCH_LOG_TRACE: thread time of the page's main-thread tasks in a filter's window (press to frame), from a Chromium trace; beside it the p50 of script, style, layout and paint and of the elements whose style was recalculated",
      extra: {
        ...Object.fromEntries((['script', 'style', 'layout', 'paint'] as const).map((part) => [`${part}_p50_ms`, round(quantile(filterThreadTimes.map((t) => t[part]), 0.5))])),
        styled_elements_p50: quantile(filterThreadTimes.map((t) => t.styledElements), 0.5),
      },
    });
    reportLongTasks('long_tasks_log_filter', filterWindows, filterLongTasks, 'Long Tasks API in the page: tasks overlapping a measured log filter (option press → next frame)');
    report({
      name: 'log_list_raw',
      samples: rawPaced,
      how: `in page: ${RAW_PACED}: WebSocket send → result`,
      baseline: { name: 'the same calls back to back after all the filters (the baseline until the pacing)', samples: rawBackToBack },
    });
    await context.close();
  } finally {
    await host?.stop();
    await browser.close();
    if (process.env.UI_BENCH_KEEP === '1' || reuse) note(`kept ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
