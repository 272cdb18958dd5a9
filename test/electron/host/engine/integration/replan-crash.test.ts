/**
 * A settings change re-plans the whole book; the host is SIGKILLed at moments spread over that re-plan. However the
 * kill falls, every reminder the re-plan cancelled has its delivery-log entry saying so (and no entry claims a
 * cancellation that did not happen): jobs and their entries are written in one transaction (storage/write-group.ts).
 * A restart then finishes the re-plan: every reminder cancelled, each with exactly one entry.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFrontDeskDatabase } from '../../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../../electron/host/storage/index.ts';
import { runScript, type ChildOutcome } from './support/child-run.ts';
import { allJobs, deliveryLog } from './support/salon.ts';

const APPOINTMENTS = 1_500;
const KILLS = 6;
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replan-crash-child.ts');

interface ChildRun extends ChildOutcome {
  /** Milliseconds from `saved` to `replanned` (when the child got that far). */
  replanMs?: number;
}

/** Runs the child until it says `stopAfter`; with `killAfterSavedMs` it is SIGKILLed that long after it said `saved`. */
async function runChild(args: string[], stopAfter: 'planned' | 'replanned', killAfterSavedMs?: number): Promise<ChildRun> {
  let savedAt = 0;
  let replanMs: number | undefined;
  const outcome = await runScript(childScript, args, {
    guardMs: 60_000,
    onLine: (line, child) => {
      if (line === 'saved') {
        savedAt = performance.now();
        if (killAfterSavedMs !== undefined) child.killIn(killAfterSavedMs);
      }
      if (line === 'replanned') replanMs = performance.now() - savedAt;
      if (line === 'seeded' || line.startsWith(stopAfter)) child.kill();
    },
  });
  return { ...outcome, ...(replanMs !== undefined ? { replanMs } : {}) };
}

async function readOutcome(dataDir: string) {
  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir }), name: 'frontdesk', multiInstance: false });
  try {
    const reminders = (await allJobs(db)).filter((job) => job.type === 'reminder');
    const cancelled = new Set(reminders.filter((job) => job.state === 'cancelled').map((job) => job.id));
    const entries = (await deliveryLog(db)).filter((entry) => entry.status === 'cancelled');
    const logged = new Map<string, number>();
    for (const entry of entries) logged.set(entry.jobId, (logged.get(entry.jobId) ?? 0) + 1);
    return {
      reminders: reminders.length,
      cancelled: cancelled.size,
      unlogged: [...cancelled].filter((id) => !logged.has(id)),
      loggedNotCancelled: [...logged.keys()].filter((id) => !cancelled.has(id)),
      loggedTwice: [...logged].filter(([, n]) => n > 1).map(([id]) => id),
    };
  } finally {
    await db.close();
  }
}

let root: string;
let planned: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-replan-crash-'));
  planned = path.join(root, 'planned');
  const seeded = await runChild(['seed', planned, String(APPOINTMENTS)], 'planned');
  expect(seeded.lines, seeded.stderr).toContain('seeded');
  // The start's plan, once: every kill below starts from a copy of this book.
  const first = await runChild(['run', planned, 'keep'], 'planned');
  expect(first.lines, first.stderr).toContain(`planned ${2 * APPOINTMENTS}`);
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a whole-book re-plan killed part-way', () => {
  it(`leaves no cancelled reminder without its log entry, over ${KILLS} kills spread over the re-plan; a restart finishes it`, { timeout: 240_000 }, async () => {
    const whole = path.join(root, 'whole');
    await cp(planned, whole, { recursive: true });
    const uninterrupted = await runChild(['run', whole, 'save'], 'replanned');
    expect(uninterrupted.replanMs, uninterrupted.stderr).toBeGreaterThan(0);
    expect(await readOutcome(whole)).toEqual({ reminders: 2 * APPOINTMENTS, cancelled: 2 * APPOINTMENTS, unlogged: [], loggedNotCancelled: [], loggedTwice: [] });

    const partWay: number[] = [];
    const kills: string[] = [];
    let last = '';
    // The kills are spread over the span in which the re-plan runs, first taken as the uninterrupted one's length
    // (which also ran after a cold start of the same book). A loaded machine makes each run's pace differ: a kill that
    // fell before the re-plan wrote anything moves the span's start up to it, one that fell after its end moves the
    // end down, so the later kills land inside the re-plan.
    let from = 0;
    let to = uninterrupted.replanMs!;
    for (let k = 0; k < KILLS; k++) {
      const dir = path.join(root, `kill-${k}`);
      await cp(planned, dir, { recursive: true });
      const killAfterMs = from + ((k + 0.5) / KILLS) * (to - from);
      const run = await runChild(['run', dir, 'save'], 'replanned', killAfterMs);
      expect(run.lines, run.stderr).toContain('saved');
      const outcome = await readOutcome(dir);
      expect({ k, unlogged: outcome.unlogged.length, loggedNotCancelled: outcome.loggedNotCancelled, loggedTwice: outcome.loggedTwice }).toEqual({ k, unlogged: 0, loggedNotCancelled: [], loggedTwice: [] });
      kills.push(`${Math.round(killAfterMs)} ms: ${outcome.cancelled}`);
      if (outcome.cancelled > 0 && outcome.cancelled < outcome.reminders) partWay.push(outcome.cancelled);
      else if (outcome.cancelled === 0) from = killAfterMs;
      else to = killAfterMs;
      last = dir;
    }
    // Otherwise every kill fell before or after the re-plan and nothing above was tested.
    expect(partWay.length, `kills after the save, and the reminders cancelled by then: ${kills.join('; ')}`).toBeGreaterThanOrEqual(2);

    const restarted = await runChild(['run', last, 'keep'], 'planned');
    expect(restarted.lines, restarted.stderr).toContain(`planned ${2 * APPOINTMENTS}`);
    expect(await readOutcome(last)).toEqual({ reminders: 2 * APPOINTMENTS, cancelled: 2 * APPOINTMENTS, unlogged: [], loggedNotCancelled: [], loggedTwice: [] });
  });
});
