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
 * UI_BENCH_VISIT_TRACE=<file> does the same for the visit cards (`visit_card_thread_time`).
 * UI_BENCH_LOG_TRACE=<file> does the same for the log filters (`log_filter_thread_time`: the page's own thread time per
 * filter, press to frame, without the wait for the host), and the filters report `log_filter_main_thread` (CDP
 * TaskDuration, press to frame) in any case. UI_BENCH_TRACE_JS=1 adds V8's sampling profiler (ProfileChunk events) to
 * those traces, for a function-level look at a click's script time.
 * Then the clients screen's search over 20,000 clients, on a book and host of its own (ui-bench-search.ts:
 * `client_search_typing`, keydown → results → frame, target p95 < 50 ms, with frames dropped and long tasks while typing);
 * UI_BENCH_SEARCH_CLIENTS sets the number (0 skips it), UI_BENCH_ONLY_SEARCH=1 measures only that.
 * UI_BENCH_SWITCH_PAUSE_MS=<ms> waits that long before each day switch's click (default 0: right after the previous
 * switch's frame, as someone holding an arrow key): work a page does between switches then stays out of their windows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../scripts/ensure-build.ts';
import { launchChromium } from '../e2e/support/browser.ts';
import { clickThreadTimes, type ClickThreadTime } from './switch-trace.ts';
import { pressAndTime, type ClickTiming } from './ui-bench-press.ts';
import { closeRawLogSocket, openRawLogSocket, RAW_CALL_IDS_FROM, rawLogCall, rawLogCallsBackToBack } from './ui-bench-raw-log.ts';
import { prepareUiBenchData, type UiBenchDataSummary } from './ui-bench-data.ts';
import { measureClientSearch } from './ui-bench-search.ts';
import { startHost, waitForOutput, type Host } from './ui-bench-host.ts';
import {
  addBreakdown, breakdownLine, countStorageChanges, DAY_SHOWN, dayShown, LOG_CALL_PROBE, logCallWire, LONG_TASK_OBSERVER, longTasksWithin, MAIN_THREAD_PARTS, mainThreadSamples, mainThreadTime, pageMarks, partMedians,
  pressToClick, RAW_PACED, reportLongTasks, splitLogCalls, startRequests, type MainThreadTime, type PageLogCall,
} from './ui-bench-page.ts';
import { emit, note, quantile, report, round } from './ui-bench-report.ts';

const ONLY_LOG = process.env.UI_BENCH_ONLY_LOG === '1';
const WARM_DESK = process.env.UI_BENCH_WARM_DESK === '1';
const SWITCH_TRACE = process.env.UI_BENCH_SWITCH_TRACE;
const LOG_TRACE = process.env.UI_BENCH_LOG_TRACE;
const VISIT_TRACE = process.env.UI_BENCH_VISIT_TRACE;
/** The p50 of a traced interaction's parts (switch-trace.ts), beside its thread time. */
function threadTimeParts(times: readonly ClickThreadTime[]): Record<string, number> {
  return {
    ...Object.fromEntries((['script', 'style', 'layout', 'paint'] as const).map((part) => [`${part}_p50_ms`, round(quantile(times.map((t) => t[part]), 0.5))])),
    styled_elements_p50: quantile(times.map((t) => t.styledElements), 0.5),
  };
}
/** What the timeline traces record (switch-trace.ts reads them). */
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', ...(process.env.UI_BENCH_TRACE_JS === '1' ? ['disabled-by-default-v8.cpu_profiler'] : [])];
/** What a desk keeps across starts (renderer/src/app/remembered-location.ts). */
const REMEMBERED_LOCATION_KEY = 'frontdesk.lastLocation';
const STARTS = Number(process.env.UI_BENCH_STARTS ?? (ONLY_LOG ? 1 : 4));
const DAY_SWITCHES = Number(process.env.UI_BENCH_DAY_SWITCHES ?? 24);
/** A pause before each day switch's click: a person's pace, not the next click right after the previous frame. */
const SWITCH_PAUSE_MS = Number(process.env.UI_BENCH_SWITCH_PAUSE_MS ?? 0);
const VISITS = Number(process.env.UI_BENCH_VISITS ?? 12);
const FILTERS = Number(process.env.UI_BENCH_FILTERS ?? 24);
/** `after`: each raw call follows its filter; `alternate`: every second pair the raw call goes first. */
const RAW_ORDER = process.env.UI_BENCH_RAW_ORDER === 'alternate' ? 'alternate' : 'after';
/** A raw call that goes first waits this long after the previous filter, as a person's next click would. */
const RAW_FIRST_GAP_MS = 300;
const VIEWPORT = { width: 1600, height: 1000 };
// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/ensure-build.ts')], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('build failed');
  if (process.env.UI_BENCH_ONLY_SEARCH === '1') {
    const browser = await launchChromium();
    try {
      await measureClientSearch(browser);
    } finally {
      await browser.close();
    }
    return;
  }

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
    const wallSamples = mainThreadSamples();
    const cpuSamples = mainThreadSamples();
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
      // The same counters in the main thread's CPU time (threadTicks): without the time it waited for a core.
      const cpuCounters = await context.newCDPSession(page);
      await cpuCounters.send('Performance.enable', { timeDomain: 'threadTicks' });
      const h = await startHost(dataDir);
      await page.goto(h.openUrl, { waitUntil: 'commit' });
      await page.waitForFunction(() => document.querySelector('[data-testid="appointment-block"]') !== null, undefined, { polling: 'raf', timeout: 60_000 });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      const painted = performance.now() - h.spawnedAt;
      const mainThread = await mainThreadTime(counters);
      const cpu = await mainThreadTime(cpuCounters);
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
      for (const part of MAIN_THREAD_PARTS) wallSamples[part].push(mainThread[part]);
      for (const part of MAIN_THREAD_PARTS) cpuSamples[part].push(cpu[part]);
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
      samples: wallSamples.task,
      how: 'the page\'s main-thread task time from its navigation to the painted calendar (Chromium\'s Performance.getMetrics TaskDuration), fresh desks. Unlike the wall clock it hardly moves with how soon the host was ready, so a change to the page\'s own work shows in it on a loaded machine too',
      extra: partMedians(wallSamples),
    });
    report({
      name: 'start_page_cpu',
      samples: cpuSamples.task,
      how: 'as start_page_main_thread, in the main thread\'s CPU time (Performance.getMetrics with threadTicks): what the page itself computed, without the time its thread waited for a core while the host, the browser and the bench shared two. Steadier than the wall clock from run to run on a busy machine, so an A/B of the page\'s own work shows in it',
      extra: partMedians(cpuSamples),
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
    const switchMainThread = mainThreadSamples();
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
    if (VISIT_TRACE && !ONLY_LOG) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
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
    let visitThreadTimes: ClickThreadTime[] = [];
    if (VISIT_TRACE && !ONLY_LOG) {
      const trace = await browser.stopTracing();
      await writeFile(VISIT_TRACE, trace);
      // The first card is a warm-up, as above.
      visitThreadTimes = clickThreadTimes(JSON.parse(trace.toString('utf8'))).slice(1);
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
    /** Measured filters the page answered from its recent entries (the others went to the host). */
    let answeredInPage = 0;
    if (LOG_TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    let lastEnd = await page.evaluate(() => performance.now());
    for (let i = 0; i < FILTERS + 2; i++) {
      const dim = dims[Math.floor(i / 2) % 3]!;
      const setting = i % 2 === 0;
      const value = optionValues[dim][Math.floor(i / 6) % optionValues[dim].length]!;
      note(`log filter ${i}: ${setting ? 'set' : 'clear'} ${dim}${setting ? ` = ${value}` : ''}`);
      const input = page.getByTestId(`log-filter-${dim}`);
      const payload: Record<string, unknown> = setting ? { limit: 200, locationId, [dim]: value } : { limit: 200, locationId };
      rawPayloads.push(payload);
      // Which of the two asks the host first for this payload (the second finds SQLite's pages warm).
      const rawFirst = RAW_ORDER === 'alternate' && Math.floor(i / 2) % 2 === 1;
      let pacedFirst: Awaited<ReturnType<typeof rawLogCall>> | undefined;
      if (rawFirst) {
        const now = await page.evaluate(() => performance.now());
        pacedFirst = await rawLogCall(page, payload, now + RAW_FIRST_GAP_MS);
      }
      let r: ClickTiming;
      let before: MainThreadTime | undefined;
      const beforePress = async () => void (before = await mainThreadTime(counters));
      const doneCheck = `(a) => {
        const rows = [...document.querySelectorAll('[data-testid="log-row"]')];
        if (rows.length === 0) return false;
        return rows.every((row) => row.getAttribute('data-' + a.dim) === a.shown);
      }`;
      // Unfiltered, the newest 200 may happen to match too: a clear is done when the screen shows an answer newer than
      // the one before the press (its data-answer counts them), to no filters, and the input is empty.
      const clearedCheck = `(a) => {
        const screen = document.querySelector('[data-testid="delivery-log"]');
        return Number(screen.getAttribute('data-answer')) > a.answerBefore && screen.getAttribute('data-answered-filters') === ''
          && document.querySelector('[data-testid="log-filter-' + a.dim + '"]').value === '';
      }`;
      const answerBefore = await page.evaluate(() => Number(document.querySelector('[data-testid="delivery-log"]')!.getAttribute('data-answer')));
      if (setting) {
        await input.click();
        const listbox = page.getByRole('listbox');
        await listbox.waitFor();
        const optionIndex = await listbox.getByRole('option').evaluateAll((options, v) => options.findIndex((o) => o.getAttribute('value') === v), value);
        const option = listbox.getByRole('option').nth(optionIndex);
        await page.evaluate(() => document.querySelectorAll('[data-bench-target]').forEach((el) => el.removeAttribute('data-bench-target')));
        await option.evaluate((el) => el.setAttribute('data-bench-target', '1'));
        r = await pressAndTime(page, `() => document.querySelector('[data-bench-target="1"]')`, doneCheck, { dim, setting, shown: value }, beforePress);
        await page.getByRole('listbox').waitFor({ state: 'detached' }).catch(() => undefined);
      } else {
        r = await pressAndTime(
          page,
          `(a) => document.querySelector('[data-testid="log-filter-' + a.dim + '"]')?.closest('.mantine-InputWrapper-root')?.querySelector('button')`,
          clearedCheck,
          { dim, setting, answerBefore },
          beforePress,
        );
      }
      const after = await mainThreadTime(counters);
      const answeredBy = await page.evaluate(() => document.querySelector('[data-testid="delivery-log"]')!.getAttribute('data-answered-by'));
      await page.mouse.move(5, VIEWPORT.height - 5);
      const paced = pacedFirst ?? (await rawLogCall(page, payload, r.to + (r.from - lastEnd)));
      lastEnd = Math.max(paced.to, r.to);
      // The first two filters warm up code paths (lazy chunks, JIT, the host's statements); not counted.
      if (i >= 2) {
        filterDom.push(r.domMs);
        filterFrame.push(r.frameMs);
        filterMainThread.push(after.task - before!.task);
        filterWindows.push(r);
        rawPaced.push(paced.ms);
        if (answeredBy === 'page') answeredInPage++;
      }
    }
    /** UI_BENCH_RAW_ORDER=alternate: p50 of each side when it asked first and when it asked second (same payload). */
    const orderSplit = (filter: readonly number[], raw: readonly number[], what: string): [string, number][] => {
      if (RAW_ORDER !== 'alternate' || filter.length !== raw.length) return [];
      const rawWentFirst = (k: number) => Math.floor((k + 2) / 2) % 2 === 1;
      const pick = (values: readonly number[], first: boolean) => values.filter((_, k) => rawWentFirst(k) === first);
      return [
        [`filter_${what}_asked_first_p50_ms`, round(quantile(pick(filter, false), 0.5))],
        [`filter_${what}_asked_second_p50_ms`, round(quantile(pick(filter, true), 0.5))],
        [`raw_${what}_asked_first_p50_ms`, round(quantile(pick(raw, true), 0.5))],
        [`raw_${what}_asked_second_p50_ms`, round(quantile(pick(raw, false), 0.5))],
      ];
    };
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
      extra: partMedians(switchMainThread),
    });
    if (!ONLY_LOG && switchThreadTimes.length > 0) report({
      name: 'day_switch_thread_time',
      samples: switchThreadTimes.map((t) => t.task),
      how: "UI_BENCH_SWITCH_TRACE: thread time of the page's main-thread tasks in a day switch's window (click to frame), from a Chromium trace; beside it the p50 of script, style, layout and paint (with pre-paint and layerize) and of the elements whose style was recalculated",
      extra: threadTimeParts(switchThreadTimes),
    });
    if (!ONLY_LOG) report({
      name: 'visit_card_open',
      samples: visitFrame,
      target_ms: 60,
      how: 'in page: a block pressed with the mouse, from the pointerdown event\'s time → drawer shows the client name and the messages section (jobs, or "No messages") → next frame',
      baseline: { name: 'empty frame (rAF + task, no work)', samples: floor },
      extra: { dom_settled_p50_ms: round(quantile(visitDom, 0.5)), dom_settled_p95_ms: round(quantile(visitDom, 0.95)), ...pressToClick(visitWindows) },
    });
    if (!ONLY_LOG && visitThreadTimes.length > 0) report({
      name: 'visit_card_thread_time',
      samples: visitThreadTimes.map((t) => t.task),
      how: "UI_BENCH_VISIT_TRACE: thread time of the page's main-thread tasks in a visit card's window (press to frame), from a Chromium trace; beside it the p50 of script, style, layout and paint (with pre-paint and layerize) and of the elements whose style was recalculated",
      extra: threadTimeParts(visitThreadTimes),
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
      how: 'in page: press a type/channel/status option (or its clear button) with the mouse, alternately → every row shows the chosen value (clear: the screen shows a new answer to no filters) → next frame, timed from the pointerdown event; 100k entries; answered_in_page: how many the page answered from its recent entries (the newest 5,000, kept current by the host\'s events) instead of the host',
      baseline: { name: RAW_PACED, samples: rawPaced },
      extra: {
        answered_in_page: answeredInPage, answered_by_host: filterFrame.length - answeredInPage,
        dom_settled_p50_ms: round(quantile(filterDom, 0.5)), dom_settled_p95_ms: round(quantile(filterDom, 0.95)), ...pressToClick(filterWindows), row_toggle_floor_p50_ms: round(quantile(toggle, 0.5)),
        raw_back_to_back_p50_ms: round(quantile(rawBackToBack, 0.5)), raw_back_to_back_p95_ms: round(quantile(rawBackToBack, 0.95)),
        ratio_p95_vs_raw_back_to_back: Math.round((quantile(filterFrame, 0.95) / quantile(rawBackToBack, 0.95)) * 100) / 100,
      },
    });
    report({
      name: 'log_filter_split',
      samples: filterSplit.answerToFrame,
      how: "in page, for the filters the host answered (none when the page's recent entries answered them all): a filter's answer began to be handled → next frame (the part of log_filter after the answer); beside it, p50/p95 of press → request sent (clickToSent), the request on the wire as the browser saw it (host included; raw: the same for log_list_raw's paced calls, and for the back-to-back ones), the answer waiting for the page's thread, and answer → DOM settled",
      extra: Object.fromEntries([
        ...(['clickToSent', 'wire', 'answerWait', 'answerToDom'] as const).flatMap((part) => [[`${part}_p50_ms`, round(quantile(filterSplit[part], 0.5))], [`${part}_p95_ms`, round(quantile(filterSplit[part], 0.95))]]),
        ['raw_wire_p50_ms', round(quantile(rawWire, 0.5))], ['raw_wire_p95_ms', round(quantile(rawWire, 0.95))],
        ['raw_back_to_back_wire_p50_ms', round(quantile(rawBackToBackWire, 0.5))], ['raw_back_to_back_wire_p95_ms', round(quantile(rawBackToBackWire, 0.95))],
        ...orderSplit(filterSplit.wire, rawWire, 'wire'),
        ...orderSplit(filterFrame, rawPaced, 'total'),
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
      extra: threadTimeParts(filterThreadTimes),
    });
    reportLongTasks('long_tasks_log_filter', filterWindows, filterLongTasks, 'Long Tasks API in the page: tasks overlapping a measured log filter (option press → next frame)');
    report({
      name: 'log_list_raw',
      samples: rawPaced,
      how: `in page: ${RAW_PACED}: WebSocket send → result`,
      baseline: { name: 'the same calls back to back after all the filters (the baseline until the pacing)', samples: rawBackToBack },
    });
    await context.close();
    await host?.stop();
    host = undefined;
    // 5. Client search over 20,000 clients: its own book and host (ui-bench-search.ts).
    if (!ONLY_LOG) await measureClientSearch(browser);
  } finally {
    await host?.stop();
    await browser.close();
    if (process.env.UI_BENCH_KEEP === '1' || reuse) note(`kept ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
