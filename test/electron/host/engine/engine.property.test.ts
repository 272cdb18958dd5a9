/**
 * Property test of the notification engine (issue 4, "Must show"): random interleavings of bookings, moves,
 * re-assignments, length changes, cancellations, completions, no-shows, settings changes, provider outcome changes and
 * clock advances, run against the real engine on RxDB's memory storage with a manual clock. After each run the
 * invariants of DESIGN §4.1–§4.3 (and "a length change is no schedule change") are checked from what the providers
 * received, the outbox and the delivery log.
 *
 * FRONTDESK_PROPERTY_RUNS raises the number of runs (default 100); FRONTDESK_PROPERTY_SEED replays a given seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TERMINAL_JOB_STATES } from '../../../../shared/domain/job.ts';
import { DAY, EngineHarness } from './support/harness.ts';
import { clientsArb, commandArb, openWorld, type World } from './support/commands.ts';

const envInt = (name: string, fallback: number): number => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};
const RUNS = envInt('FRONTDESK_PROPERTY_RUNS', 100);
const SEED = envInt('FRONTDESK_PROPERTY_SEED', 20_261_123);
/** Past every due time a run can create: repeat-visit invitations come 42 days after a visit, win-backs 3 days after. */
const FINAL_ADVANCE = 50 * DAY;

/** Messages that may still reach a client after their appointment was cancelled. */
const AFTER_CANCELLATION = new Set(['cancellationNotice', 'winBack', 'cancellation']);

async function violations(world: World): Promise<string[]> {
  const found: string[] = [];
  // (a) nothing for a cancelled appointment after its cancellation but the notice, the win-back and the staff toast.
  for (const r of world.received) {
    if (r.cancelledBefore && !AFTER_CANCELLATION.has(r.type)) found.push(`(a) ${r.channel} ${r.jobId} sent at step #${r.step} after its appointment was cancelled`);
  }
  // (b) no reminder at or after the start the appointment had when it went out, and none for a start it no longer has.
  for (const r of world.received.filter((m) => m.type === 'reminder')) {
    if (r.startAtSend === undefined) {
      found.push(`(b) reminder ${r.jobId} without a known appointment`);
      continue;
    }
    if (r.at >= r.startAtSend) found.push(`(b) reminder ${r.jobId} over ${r.channel} sent at ${new Date(r.at).toISOString()}, start was ${new Date(r.startAtSend).toISOString()}`);
    const occasionStart = Number(/@(\d+)\|/.exec(r.jobId)?.[1]);
    if (occasionStart !== r.startAtSend) found.push(`(b) stale reminder ${r.jobId} sent while the start was ${new Date(r.startAtSend).toISOString()}`);
  }
  // (c) at most one message per (type, subject, occasion, channel): per job id and channel, from the providers…
  const perKey = new Map<string, number>();
  for (const r of world.received) perKey.set(`${r.jobId} via ${r.channel}`, (perKey.get(`${r.jobId} via ${r.channel}`) ?? 0) + 1);
  for (const [key, count] of perKey) if (count > 1) found.push(`(c) ${key} received ${count} times`);
  // …and the delivery log holds exactly one attempt for each client hand-off.
  const log = await world.h.log();
  const attempts = new Map<string, number>();
  for (const e of log.filter((x) => x.status === 'attempted')) attempts.set(`${e.jobId} via ${e.channel}`, (attempts.get(`${e.jobId} via ${e.channel}`) ?? 0) + 1);
  for (const [key, count] of perKey) {
    if (key.includes('|cascade via') && attempts.get(key) !== count) found.push(`(c) ${key}: ${count} hand-off(s) but ${attempts.get(key) ?? 0} 'attempted' log entries`);
  }
  for (const [key, count] of attempts) if (!perKey.has(key)) found.push(`(c) ${key}: ${count} 'attempted' log entries but no hand-off`);
  // (e) a change alert only for a visit that was moved or re-assigned: a length change alone tells the client nothing.
  for (const r of world.received.filter((m) => m.type === 'changeAlert')) {
    const model = world.appointments.find((a) => a.id === r.appointmentId);
    if (!model || model.scheduleEdits === 0) found.push(`(e) change alert ${r.jobId} for a visit that was only resized`);
  }
  // (d) after a clock advance past every due time, every job is in a terminal state.
  for (const job of await world.h.jobs()) {
    if (!TERMINAL_JOB_STATES.includes(job.state)) found.push(`(d) ${job.id} left in '${job.state}' (due ${new Date(job.dueAt).toISOString()})`);
  }
  return found;
}

describe('notification engine properties', () => {
  it(
    `random interleavings keep the outbox invariants (${RUNS} runs, seed ${SEED})`,
    async () => {
      let runs = 0;
      let messages = 0;
      await fc.assert(
        fc.asyncProperty(clientsArb, fc.array(commandArb, { minLength: 1, maxLength: 30 }), async (clients, commands) => {
          const world = await openWorld((list) => EngineHarness.create({ clients: list, planningPageSize: 2 }), clients);
          try {
            for (const [i, command] of commands.entries()) await world.apply(command, i);
            await world.apply({ kind: 'advance', ms: FINAL_ADVANCE }, commands.length);
            const found = await violations(world);
            runs++;
            messages += world.received.length;
            if (found.length > 0) throw new Error(`${found.join('\n')}\n--- trace ---\n${world.trace.join('\n')}`);
          } finally {
            await world.h.close();
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FRONTDESK_PROPERTY_SHRINK === '0' },
      );
      // The runs exercised the engine: messages went out, so the invariants were checked against something.
      expect(runs).toBeGreaterThanOrEqual(RUNS);
      expect(messages).toBeGreaterThan(RUNS);
    },
    Math.max(120_000, RUNS * 1_500),
  );
});
