/**
 * Crash test (DESIGN §4.1): the host's salon runtime — node:sqlite files in a data folder, the notification engine on
 * the real clock, the REAL email provider — runs in a child process that is SIGKILLed at random moments while it
 * dispatches, then restarted, FRONTDESK_CRASH_KILLS times (default 20). Most kills land right after the child announced
 * a provider call (so inside the SMTP exchange or the writes around it); the others at a random instant after spawn
 * (start-up, recovery, re-planning, idle). Kills go on at least until the last reminder fell due (so both waves of
 * reminders are dispatched under fire; about 50–60 kills in ~90 s). A last child then runs until every job is terminal.
 *
 * Afterwards: the SMTP sink received every message at most once per job; a delivered job arrived exactly once; a job
 * interrupted inside its provider call is `uncertain` (0 or 1 arrivals, never resent); no job was handed to the
 * provider twice. FRONTDESK_CRASH_SEED sets the random seed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../../../../electron/host/channels/providers/smtp.ts';
import type { DeliveryLogEntry } from '../../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../../shared/domain/job.ts';
import { CLIENTS, REJECTED_CLIENTS, REMINDER_OFFSETS_MINUTES, SPACING_MS, rejectedAddress } from './support/crash-plan.ts';
import { runScript, type ChildOutcome } from './support/child-run.ts';
import { startCrashSink, type CrashSink } from './support/crash-sink.ts';

const KILLS = envInt('FRONTDESK_CRASH_KILLS', 20);
const SEED = envInt('FRONTDESK_CRASH_SEED', Date.now() % 100_000);
const APPOINTMENTS = 72;
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** mulberry32: a seeded generator so a failing run can be replayed with FRONTDESK_CRASH_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface ChildRun extends ChildOutcome {
  /** Jobs whose provider call started in this child and never returned. */
  interrupted: string[];
}

type KillPlan =
  | { kind: 'afterSend' | 'afterSent'; sends: number; delayMs: number }
  | { kind: 'atTime'; ms: number }
  | { kind: 'none'; timeoutMs: number };

async function runChild(args: string[], plan: KillPlan): Promise<ChildRun> {
  let sends = 0;
  const guardMs =
    plan.kind === 'atTime'
      ? plan.ms
      : plan.kind === 'none'
        ? plan.timeoutMs
        : // A child that never reaches a send (nothing due) is killed anyway, at a random idle moment.
          2_500 + plan.delayMs * 50;
  const outcome = await runScript(childScript, args, {
    guardMs,
    onLine: (line, child) => {
      if (plan.kind !== 'afterSend' && plan.kind !== 'afterSent') return;
      if (line.startsWith(plan.kind === 'afterSend' ? 'send ' : 'sent ') && ++sends === plan.sends) child.killIn(plan.delayMs);
    },
  });
  const open = new Set<string>();
  for (const line of outcome.lines) {
    if (line.startsWith('send ')) open.add(line.slice(5));
    if (line.startsWith('sent ')) open.delete(line.slice(5, line.lastIndexOf(' ')));
  }
  return { ...outcome, interrupted: [...open] };
}

let sink: CrashSink;
let dataDir: string;

beforeAll(async () => {
  // The kills after a `send` line come 0-11 ms after this process read it. With a 25 ms answer most land inside the
  // call, but at load ~17 reading the line took longer than the whole call: 19 kills, none inside one. Every fourth
  // message answered after 300 ms keeps some inside a call at any load, without slowing every send.
  sink = await startCrashSink(REJECTED_CLIENTS.map(rejectedAddress), { answerDelayMs: (nth) => (nth % 4 === 0 ? 300 : 25) });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-engine-crash-'));
});

afterAll(async () => {
  await sink?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('notification engine crash test (SIGKILL while dispatching)', () => {
  it(`never delivers a message twice across ≥ ${KILLS} SIGKILLs; interrupted sends end uncertain`, { timeout: 150_000 + KILLS * 4_000 }, async () => {
    const rnd = prng(SEED);
    const started = Date.now();
    const seeded = await runChild(['seed', dataDir, String(sink.port), String(APPOINTMENTS)], { kind: 'none', timeoutMs: 30_000 });
    expect(seeded.code, seeded.stderr).toBe(0);
    const seededAt = Number(seeded.lines.find((line) => line.startsWith('seeded '))?.slice(7));
    // The last reminder falls due then: keep killing at least until it has (more kills, same wall time).
    const lastDueAt = seededAt + 2 * 60_000 + 3_000 + (APPOINTMENTS - 1) * SPACING_MS - Math.min(...REMINDER_OFFSETS_MINUTES) * 60_000;

    const runs: ChildRun[] = [];
    const kinds = { afterSend: 0, afterSent: 0, atTime: 0 };
    while (runs.length < KILLS || Date.now() < lastDueAt) {
      const dice = rnd();
      const plan: KillPlan =
        dice < 0.5
          ? { kind: 'afterSend', sends: 1 + Math.floor(rnd() * 3), delayMs: Math.floor(rnd() * 12) }
          : dice < 0.75
            ? // Right after the provider answered: inside the writes that record the outcome.
              { kind: 'afterSent', sends: 1 + Math.floor(rnd() * 3), delayMs: Math.floor(rnd() * 5) }
            : { kind: 'atTime', ms: 50 + Math.floor(rnd() * 1_450) };
      kinds[plan.kind] += 1;
      const run = await runChild(['run', dataDir, String(sink.port)], plan);
      // It must have died by our SIGKILL, not by an error of its own.
      expect(run.signal, `child exited by itself (code ${run.code}):\n${run.stderr}`).toBe('SIGKILL');
      runs.push(run);
    }
    const killedAt = Date.now();

    const dumpFile = path.join(dataDir, 'final.json');
    const last = await runChild(['final', dataDir, String(sink.port), dumpFile], { kind: 'none', timeoutMs: 120_000 });
    expect(last.code, `final child: ${last.signal ?? ''}\n${last.stderr}`).toBe(0);
    // Late arrivals (a DATA phase that was in progress) have had the final child's whole run to land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { jobs, log } = JSON.parse(await readFile(dumpFile, 'utf8')) as { jobs: Job[]; log: DeliveryLogEntry[] };

    // --- What the sink saw --------------------------------------------------------------------------------------------
    const arrivals = new Map<string, number>();
    for (const mail of sink.received) {
      const jobId = String(mail.headers.get('x-frontdesk-job') ?? '');
      expect(jobId, `a message without X-FrontDesk-Job: ${mail.messageId}`).not.toBe('');
      expect(mail.messageId).toBe(messageIdFor(`${jobId}#email`));
      arrivals.set(jobId, (arrivals.get(jobId) ?? 0) + 1);
    }
    // The summary first, so a failing run still lists what it saw.
    const interrupted = runs.flatMap((run) => run.interrupted);
    const uncertain = jobs.filter((job) => job.state === 'uncertain');
    const summary = {
      seed: SEED,
      kills: runs.length,
      killPlans: kinds,
      killsInsideProviderCall: interrupted.length,
      jobs: jobs.length,
      delivered: jobs.filter((j) => j.state === 'delivered').length,
      failed: jobs.filter((j) => j.state === 'failed').length,
      uncertain: uncertain.length,
      expired: jobs.filter((j) => j.state === 'expired').length,
      uncertainArrived: uncertain.filter((j) => arrivals.has(j.id)).length,
      received: sink.received.length,
      connectionResets: sink.connectionErrors.length,
      killPhaseSeconds: Math.round((killedAt - started) / 1000),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`engine crash test: ${JSON.stringify(summary)}`);
    for (const job of uncertain) console.log(`  uncertain: ${job.id} (arrivals: ${arrivals.get(job.id) ?? 0})`);

    const duplicates = [...arrivals].filter(([, n]) => n > 1);
    expect(duplicates, 'messages received more than once').toEqual([]);
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(sink.received.length);

    // --- Provider calls: at most one per job over every child --------------------------------------------------------
    const calls = new Map<string, number>();
    for (const run of [...runs, last]) for (const line of run.lines) if (line.startsWith('send ')) calls.set(line.slice(5), (calls.get(line.slice(5)) ?? 0) + 1);
    expect([...calls].filter(([, n]) => n > 1), 'jobs handed to the email provider more than once').toEqual([]);

    // --- Every job terminal, and consistent with the arrivals --------------------------------------------------------
    const byId = new Map(jobs.map((job) => [job.id, job]));
    expect(jobs).toHaveLength(APPOINTMENTS * (1 + REMINDER_OFFSETS_MINUTES.length));
    const rejectedClient = (job: Job) => REJECTED_CLIENTS.includes(`c${Number(job.subjectId.slice(1)) % CLIENTS}`);
    const problems: string[] = [];
    for (const job of jobs) {
      const n = arrivals.get(job.id) ?? 0;
      const ok =
        (job.state === 'delivered' && n === 1 && !rejectedClient(job)) ||
        (job.state === 'failed' && n === 0 && rejectedClient(job)) ||
        (job.state === 'uncertain' && n <= 1) ||
        // A confirmation the restarts held back until its visit began is dropped, never sent late (DESIGN: never
        // stale); seen on a machine loaded far beyond CI's, where the kill phase outlasted the 2 min to the first visit.
        (job.state === 'expired' && n === 0 && job.reasonCode === 'appointment.started');
      if (!ok) problems.push(`${job.id}: ${job.state} with ${n} arrival(s) — ${job.reason ?? ''} ${JSON.stringify(job.cascade ?? [])}`);
    }
    for (const jobId of arrivals.keys()) if (!byId.has(jobId)) problems.push(`arrival for unknown job ${jobId}`);
    expect(problems).toEqual([]);

    // --- Interrupted sends: each is uncertain, logged as such, and was never called again ----------------------------
    for (const jobId of interrupted) {
      expect(byId.get(jobId)?.state, `${jobId} was interrupted inside its provider call`).toBe('uncertain');
      expect(log.some((e) => e.jobId === jobId && e.status === 'uncertain')).toBe(true);
      expect(calls.get(jobId)).toBe(1);
    }

    expect(runs.length).toBeGreaterThanOrEqual(KILLS);
    // The kills did hit dispatching: some landed inside a provider call.
    expect(interrupted.length).toBeGreaterThan(0);
    expect(summary.delivered).toBeGreaterThan(0);

    // --- DESIGN §3: every attempt and verdict is in the delivery log, crash or not ---------------------------------
    // A provider's verdict is written on the job first and its entries after it (StepRunner's commit); a kill in between
    // (the `afterSent` kills land there) leaves the verdict on the job, and recovery writes its entries again. Recovery
    // must not stamp a job that then finishes `delivered` with the "may or may not have been sent" reason either.
    const missingVerdicts: string[] = [];
    for (const job of jobs) {
      const email = job.cascade?.find((step) => step.channel === 'email');
      if (!email || !['delivered', 'failed', 'uncertain'].includes(email.state)) continue;
      const entries = log.filter((e) => e.jobId === job.id && e.channel === 'email').map((e) => e.status);
      // An uncertain step needs its `uncertain` entry; `attempted` may be missing when the kill came before it (and before the call).
      const needed = email.state === 'uncertain' ? ['uncertain'] : ['attempted', email.state];
      if (!needed.every((status) => entries.includes(status as DeliveryLogEntry['status']))) {
        missingVerdicts.push(`${job.id}: email step ${email.state}, log has [${entries.join(', ')}]`);
      }
    }
    // A delivered message must not carry the "may or may not have been sent" text of an interrupted send.
    const misleading = jobs.filter((job) => job.state === 'delivered' && /may or may not have been sent/.test(job.reason ?? '')).map((job) => `${job.id}: ${job.reason}`);
    expect({ missingVerdicts, misleading }, 'delivery log and job reasons after crashes').toEqual({ missingVerdicts: [], misleading: [] });
  });
});
