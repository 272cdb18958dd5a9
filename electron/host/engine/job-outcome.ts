/**
 * What a job's steps add up to: the job's state once they rest (finish), and what a crash mid-send leaves of it
 * (recoverInterrupted). Pure functions of the job, its steps and the time.
 */
import type { DeliveryLogEntry, DeliveryStatus } from '../../../shared/domain/delivery-log.ts';
import type { CascadeStep, Job, JobState } from '../../../shared/domain/job.ts';
import { stepWakeAt } from '../../../shared/engine/delivery-step.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import { CASCADE_ORDER } from '../../../shared/notifications/cascade.ts';
import { plainReason, type ReasonFields } from '../../../shared/notifications/reasons.ts';
import { logEntry } from './step-runner.ts';

/** The reason of a step, job or readiness answer, without anything else it carries. */
export function reasonOnly(fields: ReasonFields): ReasonFields {
  return {
    ...(fields.reason ? { reason: fields.reason } : {}),
    ...(fields.reasonCode ? { reasonCode: fields.reasonCode } : {}),
    ...(fields.reasonParams ? { reasonParams: fields.reasonParams } : {}),
  };
}

/** The job's state once its steps rest: waiting (for a retry, a report, a window, an earlier channel), or final. */
export function finish(job: Job, steps: CascadeStep[], cascadeWait: number | undefined, at: number, stale?: { state: JobState } & ReasonFields): Job {
  const stamp = new Date(at).toISOString();
  const cascade = steps.map((s) => ({ ...s })).sort((a, b) => CASCADE_ORDER.indexOf(a.channel) - CASCADE_ORDER.indexOf(b.channel));
  const wakes = [cascadeWait, ...steps.map(stepWakeAt)].filter((t): t is number => t !== undefined);
  if (wakes.length > 0) return { ...job, cascade, state: 'sent', dueAt: Math.max(Math.min(...wakes), at), updatedAt: stamp };
  const states = new Set(steps.map((s) => s.state));
  const final: JobState = states.has('uncertain')
    ? 'uncertain'
    : states.has('delivered') || states.has('sent')
      ? 'delivered'
      : states.has('sandboxed')
        ? 'sandboxed'
        : stale
          ? stale.state
          : states.has('failed')
            ? 'failed'
            : 'skipped';
  const { reason: _r, reasonCode: _c, reasonParams: _p, ...rest } = job;
  if (final === 'skipped') {
    const reason = `no channel could reach the recipient: ${steps.map((s) => `${s.channel} — ${s.reason ?? s.state}`).join('; ') || 'every channel is off'}`;
    return { ...rest, cascade, state: final, ...plainReason('cascade.noChannel'), reason, updatedAt: stamp };
  }
  // A failed job says why through its first failed step, an uncertain one through its uncertain step (the desk must
  // learn why it may have gone out); a stale one through what made it stale.
  const why = final === 'failed'
    ? steps.find((s) => s.state === 'failed')
    : final === 'uncertain'
      ? (steps.find((s) => s.state === 'uncertain' && s.reasonCode !== undefined) ?? job)
      : stale && final === stale.state ? stale : job;
  return { ...rest, cascade, state: final, ...(why ? reasonOnly(why) : {}), updatedAt: stamp };
}

const VERDICT_LOG_STATUS: Partial<Record<JobState, DeliveryStatus>> = { delivered: 'delivered', sent: 'sent', failed: 'failed' };

/**
 * After a crash, for a job found in `sending`: a step still `sending` may or may not have reached its provider. Where
 * the provider drops a repeated request with the same idempotency key, the step is simply sent again; otherwise it
 * becomes `uncertain` and is never resent. Verdicts the job recorded but the log may have missed are written again
 * (same ids, so nothing is duplicated). The cascade then goes on from what is known.
 */
export function recoverInterrupted(job: Job, at: number, idempotent: (channel: Channel) => boolean = () => false): { job: Job; logs: DeliveryLogEntry[] } {
  const logs: DeliveryLogEntry[] = [];
  const interruptedReason = plainReason('send.interrupted');
  const resend = plainReason('send.resent');
  const text = job.rendered ? { ...(job.rendered.subject ? { subject: job.rendered.subject } : {}), body: job.rendered.body } : {};
  let interrupted = false;
  let resent = false;
  const cascade = (job.cascade ?? []).map((step): CascadeStep => {
    const status = VERDICT_LOG_STATUS[step.state];
    if (status && step.at) logs.push(logEntry(job, step.channel, status, Date.parse(step.at), { ...text, ...(step.route ? { route: step.route } : {}), ...reasonOnly(step) }));
    if (step.state !== 'sending') return step;
    if (idempotent(step.channel)) {
      resent = true;
      logs.push(logEntry(job, step.channel, 'retrying', at, { ...resend, basis: 'recovery', retryAt: at }));
      return { ...step, state: 'planned', retryAt: at, ...resend };
    }
    interrupted = true;
    logs.push(logEntry(job, step.channel, 'uncertain', at, { ...interruptedReason, basis: 'recovery' }));
    return { ...step, state: 'uncertain', ...interruptedReason };
  });
  const stamp = new Date(at).toISOString();
  if (job.channel !== 'cascade' && !resent && (job.cascade ?? []).length === 0) {
    // A staff job written before its steps existed (older data): the job itself was caught sending.
    logs.push(logEntry(job, job.channel, 'uncertain', at, { ...interruptedReason, basis: 'recovery' }));
    return { job: { ...job, state: 'uncertain', ...interruptedReason, updatedAt: stamp }, logs };
  }
  // An uncertain step counts as delivered in the cascade, so no fallback can reach the client twice.
  // The dispatcher picks the job up at once (due now) and goes on from what is known.
  const state: JobState = resent || job.channel === 'cascade' ? 'sent' : 'uncertain';
  return { job: { ...job, cascade, state, ...(interrupted ? interruptedReason : {}), ...(state === 'sent' ? { dueAt: Math.min(job.dueAt, at) } : {}), updatedAt: stamp }, logs };
}
