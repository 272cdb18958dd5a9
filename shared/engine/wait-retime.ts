/**
 * A message already handed to a provider may still wait: for a retry after a temporary failure (or the channel's next
 * route), for its next delivery-report poll, for its verdict window to end. Those waits are stored as instants by the
 * clock of the desk that sent it. When that clock was ahead of the dispatching desk's — its own clock set back after
 * the send, or the lease taken over from a desk whose clock runs fast — every wait would last that much longer: a
 * clock set back 3 h held a retry for 3 h. The step's own stamp (`at`, written with the waits) tells: a step stamped
 * ahead of this desk's now was timed by a clock ahead, and its waits count again from now, each as long as it was.
 *
 * Waits only come earlier, so a verdict window never passes the deadline it was cut to (a reminder's start). Nothing is
 * sent by this: a re-timed retry is the retry the step waited for, a re-timed poll only asks the provider for a report.
 */
import type { CascadeStep, Job } from '../domain/job.ts';
import { MINUTE_MS } from '../notifications/zoned-time.ts';
import { stepWakeAt } from './delivery-step.ts';
import { REPORT_MAX_INTERVAL_MS } from './retry-policy.ts';

/** Desks a little apart (a minute, NTP not yet caught up) wait a little longer rather than rewrite their jobs. */
export const STAMP_AHEAD_MS = MINUTE_MS;

/** Whether a step waits by times its stamp says a clock ahead of `now` set. */
function timedAhead(step: CascadeStep, now: number): boolean {
  if (step.state !== 'planned' && step.state !== 'sent') return false;
  const at = step.at === undefined ? Number.NaN : Date.parse(step.at);
  return at > now + STAMP_AHEAD_MS;
}

/** Whether a waiting job has a step timed by a clock ahead of `now` (cheap: for every job write). */
export function waitsTimedAhead(job: Job, now: number): boolean {
  return job.state === 'sent' && (job.cascade ?? []).some((step) => timedAhead(step, now));
}

function retimeStep(step: CascadeStep, now: number): CascadeStep {
  if (!timedAhead(step, now)) return step;
  const shift = Date.parse(step.at!) - now;
  const earlier = (at: number) => Math.max(now, at - shift);
  const next: CascadeStep = { ...step, at: new Date(now).toISOString() };
  if (step.retryAt !== undefined) next.retryAt = earlier(step.retryAt);
  if (step.verdictAt !== undefined) next.verdictAt = earlier(step.verdictAt);
  // A poll was set after the send it is stamped with: at most the longest interval from now, never after the verdict.
  if (step.reportAt !== undefined) next.reportAt = Math.min(earlier(step.reportAt), now + REPORT_MAX_INTERVAL_MS, next.verdictAt ?? Number.POSITIVE_INFINITY);
  return next;
}

/**
 * The job with the waits of its steps timed ahead counted from `now`, and due by the earliest of them; undefined when
 * nothing waits by a clock ahead.
 */
export function retimeWaits(job: Job, now: number): Job | undefined {
  if (!waitsTimedAhead(job, now)) return undefined;
  const cascade = job.cascade!.map((step) => retimeStep(step, now));
  const wakes = cascade.map(stepWakeAt).filter((at): at is number => at !== undefined);
  const dueAt = Math.max(now, Math.min(job.dueAt, ...wakes));
  return { ...job, cascade, dueAt, updatedAt: new Date(now).toISOString() };
}
