/**
 * The host never blocks while it plans: `node test/bench/host.bench.ts` prints one JSON object per line.
 * The bench:ui book (the demo salon scaled to 30 specialists and BENCH_HOST_PER_DAY visits a day over the 4 days before
 * and BENCH_HOST_DAYS_AFTER days from today, 3,000 clients, 100k delivery-log entries) opened by a real FrontDeskHost
 * in a fresh process, as the app's entries start it: after the window's head start (WINDOW_HEAD_START_MS) the engine
 * plans the whole book, then dispatches the backlog it leaves due (past visits' review requests, fresh bookings'
 * news), then plans the edits made meanwhile. Throughout, every
 * BENCH_HOST_INTERVAL_MS, the window's calls through the host's API: a command (a visit moved, a client's notes saved,
 * in turn) and a query (log.list's newest 200, and the day view's appointments query on the storage channel, in
 * turn). A call's latency counts from the moment it was due, so a call held back by a long task counts it whole.
 * A page is connected to the storage channel throughout (every collection, as the renderer opens them), so every
 * document the host writes is serialized for it as the web socket does (page_frames, page_mib, page_serialize_ms).
 * Baseline: the same calls on the same schedule once the engine is idle, in the same process.
 * Target (issue 13, "a host that never blocks"): p95 < 200 ms or at most 3× the idle p95, whichever is larger.
 * Environment: BENCH_HOST_PER_DAY (600), BENCH_HOST_DAYS_AFTER (5), BENCH_HOST_INTERVAL_MS (100),
 * BENCH_HOST_IDLE_MS (5000: how long the baseline samples), BENCH_DIR (keep the data folders there).
 * Internal: `--child <data folder>` runs the measured host.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { FrontDeskHost, WINDOW_HEAD_START_MS } from '../../electron/host/host.ts';
import { createRemoteStorageHub, databaseSource } from '../../electron/host/remote-storage/hub.ts';
import { planPeerQuery } from '../../electron/host/remote-storage/query-check.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import { addDaysToLocalDate, utcToWallClock, wallClockToUtc } from '../../shared/domain/zoned-time.ts';
import { emit, envInt, mib, percentile, round } from './engine-bench-support.ts';
import { prepareUiBenchData } from './ui-bench-data.ts';

const PER_DAY = envInt('BENCH_HOST_PER_DAY', 600);
const DAYS_AFTER = envInt('BENCH_HOST_DAYS_AFTER', 5);
const INTERVAL_MS = envInt('BENCH_HOST_INTERVAL_MS', 100);
const IDLE_MS = envInt('BENCH_HOST_IDLE_MS', 5000);
const TARGET_FLOOR_MS = 200;
const TARGET_MAX_RATIO = 3;

type Call = () => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Calls on a fixed schedule, in turn; each latency runs from the moment the call was due. A call held back past later
 * slots stands for them: the next one is due at the next slot still ahead.
 */
function scheduledCalls(calls: readonly Call[], intervalMs: number): { stop: () => Promise<number[][]> } {
  const latencies: number[][] = calls.map(() => []);
  let stopped = false;
  let turn = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let due = performance.now() + intervalMs;
  const callDue = async () => {
    const which = turn++ % calls.length;
    await calls[which]!();
    latencies[which]!.push(performance.now() - due);
    do due += intervalMs;
    while (due <= performance.now());
  };
  const tick = () => {
    timer = undefined;
    running = callDue().then(() => {
      if (!stopped) timer = setTimeout(tick, Math.max(0, due - performance.now()));
    });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      // A call that fell due while one long task held the loop, up to the stop, has not run yet: it waited all along.
      if (timer !== undefined && due <= performance.now()) await callDue();
      return latencies;
    },
  };
}

/**
 * The longest wall-clock stretch between turns of a 1 ms timer: the longest task the event loop could not break
 * (up to the stop, which may come at the end of such a task).
 */
function turnGaps(): { stop: () => number } {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

/**
 * The window on the storage channel, as the page opens it: every collection, so every document the host writes —
 * each planned job, each log entry — reaches it as a change event, serialized as the web socket does.
 */
function connectPage(db: FrontDeskDatabase): { stop: () => { frames: number; bytes: number; serializeMs: number } } {
  const hub = createRemoteStorageHub({ source: () => databaseSource(db), log: (line) => console.error(line) });
  let frames = 0;
  let bytes = 0;
  let serializeMs = 0;
  const peer = hub.connect((message) => {
    const t0 = performance.now();
    bytes += Buffer.byteLength(JSON.stringify(message));
    serializeMs += performance.now() - t0;
    frames++;
  });
  let n = 0;
  for (const [name, collection] of Object.entries(db.collections)) {
    // The page sends its schema as JSON: what arrives is plain data, compared with the host's own.
    const schema: unknown = JSON.parse(JSON.stringify(collection.schema.jsonSchema));
    peer.receive({ connectionId: `page-${name}`, requestId: `create-${n++}`, method: 'create', version: RXDB_VERSION, params: { databaseName: db.name, collectionName: name, schema } });
  }
  return {
    stop: () => {
      peer.close();
      hub.close();
      return { frames, bytes, serializeMs };
    },
  };
}

async function child(dataDir: string): Promise<void> {
  const keyDir = mkdtempSync(path.join(tmpdir(), 'frontdesk-host-bench-keys-'));
  // As the app's entries start it: the engine plans the book once the window had its head start.
  const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'bench', startPlanDelayMs: WINDOW_HEAD_START_MS, log: (line) => console.error(line) });
  await host.start();
  const planAt = performance.now() + WINDOW_HEAD_START_MS;
  const { db, engine } = host.runtime;
  const page = connectPage(db);
  const location = (await db.locations.find().exec())[0]!;
  const tz = location.timeZone;
  const call = async (channel: string, payload: unknown) => {
    const result = await host.api.call(channel, payload);
    if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error).slice(0, 300)}`);
    return result.value as { revision: string };
  };
  // Commands: visits of the coming days moved to 10:00 of their day (11:00 if they are at 10:00), one visit after
  // another (a visit keeps at most 500 changes); clients' notes saved.
  const visitDocs = await db.appointments.find({ selector: { startMs: { $gt: Date.now() + 2 * 86_400_000 }, status: 'booked' }, limit: 500 }).exec();
  const clientDocs = await db.clients.find({ limit: 500 }).exec();
  const visits = visitDocs.map((d) => d.toMutableJSON());
  const clients = clientDocs.map((d) => d.toMutableJSON());
  const visitRevision = new Map(visitDocs.map((d) => [d.id, d.revision]));
  const clientRevision = new Map(clientDocs.map((d) => [d.id, d.revision]));
  let moves = 0;
  let saves = 0;
  const move: Call = async () => {
    const visit = visits[moves++ % visits.length]!;
    const { date, time: now } = utcToWallClock(visit.startMs, tz);
    // Moving a visit to the time it has already is refused.
    const time = now === '10:00' ? '11:00' : '10:00';
    const answer = await call('appointments.move', { appointmentId: visit.id, expectedRevision: visitRevision.get(visit.id), start: { date, time } });
    visitRevision.set(visit.id, answer.revision);
    visit.startMs = wallClockToUtc(date, time, tz);
  };
  const saveClient: Call = async () => {
    const client = clients[saves % clients.length]!;
    const answer = await call('clients.save', { locationId: location.id, clientId: client.id, expectedRevision: clientRevision.get(client.id), notes: `bench note ${saves++}` });
    clientRevision.set(client.id, answer.revision);
  };
  // Queries: the delivery log's newest page, and a day of the calendar as the renderer asks for it on the storage channel.
  const logList: Call = async () => {
    await call('log.list', { locationId: location.id, limit: 200 });
  };
  const today = utcToWallClock(Date.now(), tz).date;
  const instance = db.appointments.internalStorageInstance;
  let days = 0;
  const dayView: Call = async () => {
    const date = addDaysToLocalDate(today, (days++ % (4 + DAYS_AFTER)) - 4);
    const fromMs = wallClockToUtc(date, '00:00', tz);
    const toMs = wallClockToUtc(addDaysToLocalDate(date, 1), '00:00', tz);
    const query = { selector: { _deleted: { $eq: false }, locationId: location.id, startMs: { $gte: fromMs, $lt: toMs } }, sort: [{ startMs: 'asc' }] };
    await instance.query(planPeerQuery(db.appointments.schema.jsonSchema as never, query) as never);
  };
  // Commands and queries take turns: [move, log, save, day] → a command and a query every two slots.
  const calls: Call[] = [move, logList, saveClient, dayView];
  const kindOf = ['command', 'query', 'command', 'query'] as const;
  // The calls begin just before the start-up plan does, and go on until the engine is idle again: the plan, the
  // dispatch pass after it, and the edits the calls made meanwhile, which are planned behind them.
  await sleep(planAt - 100 - performance.now());
  const gaps = turnGaps();
  const during = scheduledCalls(calls, INTERVAL_MS);
  const t0 = performance.now();
  await sleep(planAt + 100 - performance.now());
  await engine.idle();
  await engine.idle();
  const planMs = performance.now() - t0;
  const longestDuring = gaps.stop();
  const busy = await during.stop();
  const idleGaps = turnGaps();
  const idle = scheduledCalls(calls, INTERVAL_MS);
  await sleep(IDLE_MS);
  const quiet = await idle.stop();
  await engine.idle();
  const longestIdle = idleGaps.stop();
  const jobs = await db.jobs.count().exec();
  const toPage = page.stop();
  for (const kind of ['command', 'query'] as const) {
    const pick = (all: number[][]) => all.filter((_, i) => kindOf[i] === kind).flat();
    const samples = pick(busy);
    const baseline = pick(quiet);
    const p95 = percentile(samples, 95);
    const baselineP95 = percentile(baseline, 95);
    const target = Math.max(TARGET_FLOOR_MS, TARGET_MAX_RATIO * baselineP95);
    emit({
      name: `start_plan_${kind}`, calls: kind === 'command' ? 'appointments.move, clients.save' : 'log.list, day view query', appointments: await db.appointments.count().exec(), jobs,
      engine_busy_ms: round(planMs), samples: samples.length, interval_ms: INTERVAL_MS, p50_ms: percentile(samples, 50), p95_ms: p95, max_ms: percentile(samples, 100),
      longest_turn_gap_ms: round(longestDuring),
      baseline: 'the same calls, engine idle', baseline_samples: baseline.length, baseline_p50_ms: percentile(baseline, 50), baseline_p95_ms: baselineP95, baseline_max_ms: percentile(baseline, 100),
      baseline_longest_turn_gap_ms: round(longestIdle), page_frames: toPage.frames, page_mib: mib(toPage.bytes), page_serialize_ms: round(toPage.serializeMs), ratio_p95_vs_baseline: round(p95 / Math.max(0.001, baselineP95)),
      target: `p95 < max(${TARGET_FLOOR_MS} ms, ${TARGET_MAX_RATIO}x baseline p95)`, target_p95_ms: round(target), meets_target: p95 < target, unit: 'ms',
    });
  }
  await host.stop();
  rmSync(keyDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!);
  const dir = process.env.BENCH_DIR ?? mkdtempSync(path.join(tmpdir(), 'frontdesk-host-bench-'));
  try {
    // A book prepared in BENCH_DIR by an earlier run (the same size, the same day) is used again.
    const master = path.join(dir, `book-${PER_DAY}x${DAYS_AFTER}-${new Date().toISOString().slice(0, 10)}`);
    if (!existsSync(master)) {
      const summary = await prepareUiBenchData({ dataDir: `${master}.part`, now: Date.now(), appointmentsPerDay: PER_DAY, daysAfter: DAYS_AFTER });
      renameSync(`${master}.part`, master);
      emit({ name: 'book', appointments: summary.appointments, clients: summary.clients, delivery_log: summary.deliveryLog, prepare_ms: summary.ms, unit: 'none' });
    }
    emit({ name: 'config', per_day: PER_DAY, days_after: DAYS_AFTER, interval_ms: INTERVAL_MS, idle_ms: IDLE_MS, node: process.version, unit: 'none' });
    // The measured host opens a copy: the book as prepared, nothing planned yet.
    const dataDir = path.join(dir, 'host');
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(master, dataDir, { recursive: true });
    const result = spawnSync(process.execPath, ['--no-warnings', fileURLToPath(import.meta.url), '--child', dataDir], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
    if (result.status !== 0) emit({ name: 'host_child_failed', status: result.status, signal: result.signal, unit: 'none' });
  } finally {
    if (!process.env.BENCH_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
