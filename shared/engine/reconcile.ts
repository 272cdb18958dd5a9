/**
 * Turns "the jobs a subject should have" into outbox writes. Terminal jobs are never touched (a message that went
 * out stays gone out), jobs the dispatcher holds (`sending`, `sent`) are left to it, and a planned job that is no
 * longer wanted is cancelled with a reason the receptionist can read — never silently dropped.
 */
import { isTerminalJobState, jobId, type Job } from '../domain/job.ts';
import type { ReasonFields } from '../notifications/reasons.ts';
import { aheadDueTimeChanges, dueTimeChanges, planStamp } from './immediate.ts';
import type { DesiredJob } from './plan.ts';

export interface ReconcileInput {
  locationId: string;
  desired: readonly DesiredJob[];
  /** Every job of the subjects that `desired` was computed for. */
  existing: readonly Job[];
  now: number;
  /** Why a planned job is no longer wanted, e.g. "appointment moved to Tue 24 Nov 15:00", as text + code. */
  explainRemoval: (job: Job) => ReasonFields;
}

export interface ReconcileResult {
  /** Documents to upsert (new or changed). */
  writes: Job[];
  /** New jobs created already skipped, and jobs cancelled: the host logs each with its reason. */
  closed: Job[];
}

export function reconcileJobs(input: ReconcileInput): ReconcileResult {
  const { desired, existing, now, locationId } = input;
  const stamp = new Date(now).toISOString();
  const byId = new Map(existing.map((job) => [job.id, job]));
  const wanted = new Set<string>();
  const writes: Job[] = [];
  const closed: Job[] = [];

  for (const want of desired) {
    const id = jobId(want);
    wanted.add(id);
    const current = byId.get(id);
    if (!current) {
      const job = newJob(id, locationId, want, stamp);
      if (want.dueFromNow !== undefined) job.updatedAt = planStamp(now, want.dueFromNow);
      writes.push(job);
      if (job.state === 'skipped') closed.push(job);
      continue;
    }
    if (current.state === 'cancelled' && neverAttempted(current) && want.state === 'planned') {
      // Wanted again (moved back, type switched on again): planning's own cancellation is undone, nothing was sent.
      const { reason: _reason, reasonCode: _code, reasonParams: _params, ...rest } = current;
      writes.push({ ...rest, state: 'planned', dueAt: want.dueAt, updatedAt: stamp });
      continue;
    }
    if (current.state !== 'planned') continue;
    if (want.state === 'skipped') {
      const job = { ...withoutReason(current), state: 'skipped' as const, ...(want.reason ? reasonOf(want) : { reason: 'no longer applies', reasonCode: 'subject.noLongerApplies' }), updatedAt: stamp };
      writes.push(job);
      closed.push(job);
    } else if (want.dueFromNow !== undefined) {
      if (aheadDueTimeChanges(current, want.dueAt, want.dueFromNow)) writes.push({ ...current, dueAt: want.dueAt, updatedAt: planStamp(now, want.dueFromNow) });
    } else if (dueTimeChanges(want.type, current.dueAt, want.dueAt, now)) {
      writes.push({ ...current, dueAt: want.dueAt, updatedAt: stamp });
    }
  }

  for (const job of existing) {
    if (wanted.has(job.id) || job.state !== 'planned' || isTerminalJobState(job.state)) continue;
    // An overdue job is the dispatcher's: it expires or cancels it with the precise reason (catch-up, §4.3).
    if (job.dueAt <= now) continue;
    const cancelled = { ...withoutReason(job), state: 'cancelled' as const, ...reasonOf(input.explainRemoval(job)), updatedAt: stamp };
    writes.push(cancelled);
    closed.push(cancelled);
  }
  return { writes, closed };
}

/**
 * A job planned for the first time. Written field by field rather than as one literal with the reason spread into it:
 * a whole-book plan makes 200k of them, and the spread (an object for the reason, copied in, then the fields after it
 * stored one by one) cost about seven times as much. Same fields in the same order, so the same stored JSON.
 */
function newJob(id: string, locationId: string, want: DesiredJob, stamp: string): Job {
  const job: Partial<Job> = {
    id,
    locationId,
    type: want.type,
    subjectKind: want.subjectKind,
    subjectId: want.subjectId,
    occasion: want.occasion,
    channel: want.channel,
    dueAt: want.dueAt,
    state: want.state,
  };
  if (want.reason) job.reason = want.reason;
  if (want.reasonCode) job.reasonCode = want.reasonCode;
  if (want.reasonParams) job.reasonParams = want.reasonParams;
  job.attempts = 0;
  job.idempotencyKey = id;
  job.createdAt = stamp;
  job.updatedAt = stamp;
  return job as Job;
}

function neverAttempted(job: Job): boolean {
  return job.attempts === 0 && (job.cascade ?? []).length === 0;
}

function reasonOf(fields: ReasonFields): ReasonFields {
  return {
    ...(fields.reason ? { reason: fields.reason } : {}),
    ...(fields.reasonCode ? { reasonCode: fields.reasonCode } : {}),
    ...(fields.reasonParams ? { reasonParams: fields.reasonParams } : {}),
  };
}

function withoutReason(job: Job): Job {
  const { reason: _reason, reasonCode: _code, reasonParams: _params, ...rest } = job;
  return rest;
}
