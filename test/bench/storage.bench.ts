/**
 * Storage benchmark: `node test/bench/storage.bench.ts` prints one JSON object per line.
 * Sizes: BENCH_N (default 100000), BENCH_BIG (default 1000000); baselines above BENCH_DEXIE_MAX (default 100000)
 * or BENCH_MEMORY_MAX (default 1000000) documents are skipped with a reason. Quick run:
 *   BENCH_N=10000 BENCH_BIG=50000 node test/bench/storage.bench.ts
 * `--rss <contender> <n>` is the child mode measuring the resident set after loading n documents.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dayOf, dexieContender, LOCATIONS, makeDoc, memoryContender, oursContender, PER_LOCATION_DAY, RAW_BASELINE, RAW_JSON_ONLY_BASELINE, rawContender } from './storage-bench-support.ts';
import type { Contender, ContenderName, Doc } from './storage-bench-support.ts';

const envInt = (name: string, fallback: number) => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
const N = envInt('BENCH_N', 100_000);
const BIG = envInt('BENCH_BIG', 1_000_000);
const DEXIE_MAX = envInt('BENCH_DEXIE_MAX', 100_000);
const MEMORY_MAX = envInt('BENCH_MEMORY_MAX', 1_000_000);
const BATCH = 10_000;
const QUERY_RUNS = 60;
const UPDATE_RUNS = 200;
const COUNT_RUNS = 60;
const ALL: ContenderName[] = ['ours', 'memory', 'dexie', 'raw'];
const LWT0 = 1_700_000_000_000;

// RSS children share the parent's folder so that a second child can reopen what the first one loaded.
const ownDir = !process.env.BENCH_DIR;
const dir = process.env.BENCH_DIR ?? mkdtempSync(path.join(tmpdir(), 'frontdesk-bench-'));
let dbCounter = 0;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}
function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function skipReason(name: ContenderName, size: number): string | undefined {
  if (name === 'dexie' && size > DEXIE_MAX) return `dexie over fake-indexeddb skipped above BENCH_DEXIE_MAX=${DEXIE_MAX} documents (too slow)`;
  if (name === 'memory' && size > MEMORY_MAX) return `memory skipped above BENCH_MEMORY_MAX=${MEMORY_MAX} documents`;
  return undefined;
}

async function make(name: ContenderName, dbName = `bench${++dbCounter}`): Promise<Contender> {
  switch (name) {
    case 'ours': return oursContender(dir, dbName);
    case 'memory': return memoryContender(dbName);
    case 'dexie': return dexieContender(dbName);
    case 'raw': return rawContender(path.join(dir, `${dbName}-raw.sqlite`));
  }
}

function batchOf(from: number, size: number, lwt: number): Doc[] {
  const docs = [];
  for (let i = from; i < Math.min(size, from + BATCH); i++) docs.push(makeDoc(i, lwt + i * 0.01));
  return docs;
}

/** Loads one contender (the RSS children). */
async function load(c: Contender, size: number): Promise<number> {
  return time(async () => {
    for (let from = 0; from < size; from += BATCH) await c.insert(batchOf(from, size, LWT0));
  });
}

type LoadFigures = { ms: number; cpuMs: number };
/**
 * Loads every contender batch by batch in turn, each timed on its own (wall and this process's CPU): on a shared
 * machine the load and the disk's traffic change by the minute, and contenders loaded one after the other would meet
 * different minutes; in turn, they meet the same ones.
 */
async function loadInTurn(contenders: Contender[], size: number): Promise<LoadFigures[]> {
  const figures = contenders.map(() => ({ ms: 0, cpuMs: 0 }));
  for (let from = 0; from < size; from += BATCH) {
    for (const [n, c] of contenders.entries()) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await c.insert(batchOf(from, size, LWT0));
      figures[n]!.ms += performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      figures[n]!.cpuMs += (cpu.user + cpu.system) / 1000;
    }
  }
  return figures;
}

function dayArgs(size: number, run: number): [string, string] {
  const days = Math.max(1, Math.floor(size / (LOCATIONS * PER_LOCATION_DAY)));
  return [`loc${run % LOCATIONS}`, dayOf((run * 7919) % days)];
}

/** Targets as ratios to raw node:sqlite in the same run (issue 13): bulk insert at most 3x, count at most 3x. */
const INSERT_TARGET = 3;
const COUNT_TARGET = 3;
function target(figures: Partial<Record<ContenderName, number>>, maxRatio: number): Record<string, unknown> {
  const { ours, raw } = figures;
  return { target_ratio_vs_raw: maxRatio, meets_target: ours !== undefined && raw !== undefined && raw > 0 ? ours / raw <= maxRatio : null };
}

type Row = Record<string, unknown> & { name: string };
function emit(row: Row, figures: Partial<Record<ContenderName, number>>, reasons: Partial<Record<ContenderName, string>>, unit: string): void {
  const out: Record<string, unknown> = { name: row.name, unit };
  for (const name of ALL) {
    out[name] = figures[name] === undefined ? null : round(figures[name]);
    if (reasons[name]) out[`${name}_skipped`] = reasons[name];
  }
  const ours = figures.ours;
  const raw = figures.raw;
  out.ratio_vs_raw = ours !== undefined && raw ? round(ours / raw) : null;
  Object.assign(out, row);
  if ('target_ratio_vs_raw' in row) out.raw_baseline = RAW_BASELINE;
  // The 1-minute load average: on a shared machine it says how far a figure can be trusted.
  out.load1 = Math.round(loadavg()[0]! * 10) / 10;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function suite(size: number, label: string, full: boolean): Promise<void> {
  const figures: Record<string, Partial<Record<ContenderName, number>>> = {};
  const reasons: Partial<Record<ContenderName, string>> = {};
  const put = (key: string, name: ContenderName, v: number) => ((figures[key] ??= {})[name] = v);
  let docsPerDay = 0;
  let rangeCount = 0;
  const contenders: Contender[] = [];
  for (const name of ALL) {
    const reason = skipReason(name, size);
    if (reason) reasons[name] = reason;
    else contenders.push(await make(name));
  }
  // The older floor, for reference beside the target: the same inserts into an (id, data) table without indexes.
  const jsonOnly = rawContender(path.join(dir, `bench${++dbCounter}-raw-json.sqlite`), true);
  let jsonOnlyMs: number;
  try {
    const loaded = await loadInTurn([...contenders, jsonOnly], size);
    for (const [n, c] of contenders.entries()) {
      put('insert', c.name, loaded[n]!.ms);
      put('insert_cpu', c.name, loaded[n]!.cpuMs);
    }
    jsonOnlyMs = loaded[contenders.length]!.ms;
  } finally {
    await jsonOnly.dispose();
  }
  /** Times fn for every contender, run by run in turn (as loadInTurn does, for the same reason): p50 and p99 each. */
  const inTurn = async (key: string, runs: number, fn: (c: Contender, run: number) => Promise<unknown>, among = contenders) => {
    const samples = among.map(() => [] as number[]);
    for (let run = 0; run < runs; run++) {
      for (const [n, c] of among.entries()) samples[n]!.push(await time(() => fn(c, run)));
    }
    for (const [n, c] of among.entries()) {
      put(`${key}_p50`, c.name, percentile(samples[n]!, 50));
      put(`${key}_p99`, c.name, percentile(samples[n]!, 99));
    }
  };
  try {
    // Warm-up: statements prepared and first pages read outside the timings.
    for (const c of contenders) await c.dayQuery(...dayArgs(size, 0));
    await inTurn('day', QUERY_RUNS, async (c, run) => (docsPerDay = await c.dayQuery(...dayArgs(size, run + 1))));
    await inTurn('count_all', COUNT_RUNS, (c) => c.countAll());
    await inTurn('count_table', COUNT_RUNS, (c) => c.countTable!(), contenders.filter((c) => c.countTable));
    await inTurn('count_range', COUNT_RUNS, async (c, run) => (rangeCount = await c.countRange(`loc${run % LOCATIONS}`)));
    if (full) {
      await inTurn('update', UPDATE_RUNS, (c, run) => c.update(`appt${String((run * 104729) % size).padStart(9, '0')}`, 50 + run));
      for (const c of contenders) {
        if (c.reopenAndQuery) {
          const reopen = c.reopenAndQuery;
          put('reopen', c.name, await time(() => reopen(...dayArgs(size, 3))));
        }
      }
    }
  } finally {
    for (const c of contenders) await c.dispose();
  }
  const { ours: oursCpu, raw: rawCpu } = figures.insert_cpu ?? {};
  const cpuFigures = oursCpu !== undefined && rawCpu ? { ours_cpu_ms: round(oursCpu), raw_cpu_ms: round(rawCpu), cpu_ratio_vs_raw: round(oursCpu / rawCpu) } : {};
  const reference = { ...cpuFigures, raw_json_only: round(jsonOnlyMs), ratio_vs_raw_json_only: round(figures.insert!.ours! / jsonOnlyMs), raw_json_only_baseline: RAW_JSON_ONLY_BASELINE };
  emit({ name: `bulk_insert_${label}`, documents: size, ...target(figures.insert!, INSERT_TARGET), ...reference }, figures.insert!, reasons, 'ms');
  emit({ name: `day_query_p50_${label}`, documents: size, result_documents: docsPerDay }, figures.day_p50!, reasons, 'ms');
  emit({ name: `day_query_p99_${label}`, documents: size }, figures.day_p99!, reasons, 'ms');
  // For reference: raw's COUNT(*) of the whole table, which needs no index range (and counts deleted rows too).
  const tableCount = figures.count_table_p50?.raw;
  const countAllReference = tableCount === undefined ? {} : { raw_whole_table: round(tableCount), ratio_vs_raw_whole_table: round(figures.count_all_p50!.ours! / tableCount) };
  emit({ name: `count_all_${label}`, documents: size, ...target(figures.count_all_p50!, COUNT_TARGET), ...countAllReference }, figures.count_all_p50!, reasons, 'ms');
  emit({ name: `count_range_${label}`, documents: size, result_documents: rangeCount, ...target(figures.count_range_p50!, COUNT_TARGET) }, figures.count_range_p50!, reasons, 'ms');
  if (full) {
    emit({ name: `durable_update_p50_${label}`, documents: size }, figures.update_p50!, reasons, 'ms');
    emit({ name: `durable_update_p99_${label}`, documents: size }, figures.update_p99!, reasons, 'ms');
    emit({ name: `reopen_to_first_query_${label}`, documents: size }, figures.reopen!, { ...reasons, memory: 'memory storage does not persist' }, 'ms');
  }
}

function rssChild(mode: 'load' | 'open', name: ContenderName, size: number): number | string {
  const args = ['--no-warnings', '--expose-gc', fileURLToPath(import.meta.url), `--rss-${mode}`, name, String(size)];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, BENCH_DIR: dir } });
  const mb = Number.parseFloat(res.stdout.trim().split('\n').at(-1) ?? '');
  return Number.isFinite(mb) ? mb : `child failed: ${res.stderr.slice(-300)}`;
}

/** Child: load n documents (kept on disk for the 'open' child), or open them in a fresh process and query. */
async function rssMode(mode: string, name: ContenderName, size: number): Promise<void> {
  const c = await make(name, `rss-${name}`);
  if (mode === '--rss-load') {
    await load(c, size);
  }
  for (let run = 0; run < QUERY_RUNS; run++) await c.dayQuery(...dayArgs(size, run));
  await c.countAll();
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${round(process.memoryUsage().rss / 2 ** 20)}\n`);
  if (mode === '--rss-open' || !c.reopenAndQuery) await c.dispose();
}

async function main(): Promise<void> {
  if (process.argv[2]?.startsWith('--rss-')) {
    await rssMode(process.argv[2], process.argv[3] as ContenderName, Number(process.argv[4]));
    return;
  }
  const label = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
  await suite(N, label(N), true);
  await suite(BIG, label(BIG), false);
  for (const size of [N, BIG]) {
    const loaded: Partial<Record<ContenderName, number>> = {};
    const opened: Partial<Record<ContenderName, number>> = {};
    const loadReasons: Partial<Record<ContenderName, string>> = {};
    const openReasons: Partial<Record<ContenderName, string>> = {};
    for (const name of ALL) {
      const reason = skipReason(name, size);
      const mb = reason ?? rssChild('load', name, size);
      if (typeof mb === 'number') loaded[name] = mb;
      else loadReasons[name] = mb;
      if (name === 'memory' || name === 'dexie') {
        openReasons[name] = 'not persisted across processes';
        continue;
      }
      const reopened = reason ?? rssChild('open', name, size);
      if (typeof reopened === 'number') opened[name] = reopened;
      else openReasons[name] = reopened;
    }
    emit({ name: `rss_after_load_${label(size)}`, documents: size }, loaded, loadReasons, 'MiB');
    emit({ name: `rss_reopened_and_queried_${label(size)}`, documents: size }, opened, openReasons, 'MiB');
  }
}

// stdout carries only the JSON lines: library banners (Dexie's open-core notice) go to stderr.
console.log = (...args: unknown[]) => console.error(...args);
try {
  await main();
} finally {
  if (ownDir) rmSync(dir, { recursive: true, force: true });
}
