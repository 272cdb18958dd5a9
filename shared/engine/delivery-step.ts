/**
 * One channel step of a job as a pure state machine: what a provider's answer, a delivery report or the passing of
 * time does to the step, and what the delivery log must say about it. The host calls providers and writes; every
 * decision about retries, routes, reports and assumed verdicts is made here, with `now` and `random` passed in.
 *
 *   send → delivered                        (final)
 *        → accepted → sent, reports polled   → delivered / failed by report, or the verdict assumed at the window's end
 *        → failed (temporary) → planned + retryAt, never past the deadline; then failed with the reason
 *        → failed (permanent) / notTried     → the next route of the channel if there is one, else final
 *        → uncertain                         (final: it reached the provider, whose verdict never came back)
 */
import type { DeliveryStatus, VerdictBasis } from '../domain/delivery-log.ts';
import type { CascadeStep } from '../domain/job.ts';
import { verdictAfterWindow } from '../notifications/cascade.ts';
import { plainReason, reasonFields, type ReasonFields, type ReasonFormat } from '../notifications/reasons.ts';
import { formatLocalTime, formattingLocale } from '../notifications/zoned-time.ts';
import type { CodedReason, MessageCost, ReportOutcome, SendOutcome } from './provider.ts';
import { nextReportAt, nextRetry, type RetryPolicy } from './retry-policy.ts';

export interface StepContext {
  now: number;
  /** Nothing is sent, retried or waited for at or after this instant (for a reminder: the appointment start). */
  deadline: number;
  /** How long the cascade waits for a delivery report of this channel. */
  verdictWindowMs: number;
  /** The provider can be asked for delivery reports. */
  reports: boolean;
  random: () => number;
  policy?: RetryPolicy;
  /** The salon's zone and locale, for the English texts of reasons. */
  format: ReasonFormat;
}

/** What the log gets for one transition; the host adds the job's fields (type, recipient, text). */
export interface StepLog extends ReasonFields {
  status: DeliveryStatus;
  basis?: VerdictBasis;
  route?: string;
  providerStatus?: string;
  providerMessageId?: string;
  retryAt?: number;
  cost?: MessageCost;
}

export interface StepTransition {
  step: CascadeStep;
  log: StepLog[];
  /** Device tokens the provider found unregistered: the host drops them from the recipient. */
  staleTokens?: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A provider's reason: its own code when it gives one, else its words quoted under a general code. */
export function providerReason(outcome: { reason: string } & CodedReason, fallback: 'provider.failed' | 'provider.notTried'): ReasonFields {
  if (outcome.reasonCode) return { reason: outcome.reason, reasonCode: outcome.reasonCode, ...(outcome.reasonParams ? { reasonParams: outcome.reasonParams } : {}) };
  return { ...plainReason(fallback, { detail: outcome.reason }), reason: outcome.reason };
}

function withoutReason(step: CascadeStep): CascadeStep {
  const { reason: _r, reasonCode: _c, reasonParams: _p, ...rest } = step;
  return rest;
}

function withoutWaits(step: CascadeStep): CascadeStep {
  const { retryAt: _r, reportAt: _p, verdictAt: _v, polls: _n, ...rest } = withoutReason(step);
  return rest;
}

/** The step after a route was used up: on to the next route now, or nothing left. */
function nextRouteOrFinal(step: CascadeStep, route: string | undefined, now: number, more: boolean, final: CascadeStep): CascadeStep {
  if (!more) return final;
  const skip = [...new Set([...(step.skipRoutes ?? []), ...(route ? [route] : [])])];
  return { ...withoutWaits(step), state: 'planned', skipRoutes: skip, tries: 0, retryAt: now, at: iso(now), ...(route ? { route } : {}) };
}

/** The reason of a delivered or accepted step: the provider's words as they came, or FrontDesk's code when it has one. */
function detailFields(outcome: { detail?: string } & CodedReason): ReasonFields {
  if (!outcome.detail) return {};
  return { reason: outcome.detail, ...(outcome.reasonCode ? { reasonCode: outcome.reasonCode } : {}), ...(outcome.reasonParams ? { reasonParams: outcome.reasonParams } : {}) };
}

function costFields(cost: MessageCost | undefined): Pick<StepLog, 'cost'> {
  return cost ? { cost } : {};
}

export function applySendOutcome(step: CascadeStep, outcome: SendOutcome, ctx: StepContext): StepTransition {
  const { now } = ctx;
  const route = outcome.route ?? step.route;
  const base = { ...withoutWaits(step), at: iso(now), ...(route ? { route } : {}) };
  const common = { ...(route ? { route } : {}), ...(outcome.providerStatus ? { providerStatus: outcome.providerStatus } : {}) };
  const stale = 'staleTokens' in outcome && outcome.staleTokens && outcome.staleTokens.length > 0 ? { staleTokens: outcome.staleTokens } : {};
  switch (outcome.status) {
    case 'delivered': {
      const id = outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {};
      const next: CascadeStep = { ...base, state: 'delivered', tries: 0, ...id, ...detailFields(outcome), ...(outcome.providerStatus ? { providerStatus: outcome.providerStatus } : {}) };
      // A provider's free-text detail ("Accepted by smtp.example:587: 250 OK") stays as it came: no code.
      return { step: next, log: [{ status: 'delivered', basis: 'provider', ...common, ...id, ...detailFields(outcome), ...costFields(outcome.cost) }], ...stale };
    }
    case 'accepted': {
      const verdictAt = Math.max(now, Math.min(now + ctx.verdictWindowMs, ctx.deadline));
      const id = outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {};
      // A zero window decides at once: nothing to poll for.
      const reportAt = ctx.reports && outcome.providerMessageId && verdictAt > now ? { reportAt: nextReportAt(now, 0, verdictAt), polls: 0 } : {};
      const next: CascadeStep = {
        ...base, state: 'sent', tries: 0, ...id, verdictAt, ...reportAt,
        ...detailFields(outcome), ...(outcome.providerStatus ? { providerStatus: outcome.providerStatus } : {}),
      };
      return { step: next, log: [{ status: 'sent', basis: 'provider', ...common, ...id, ...detailFields(outcome), ...costFields(outcome.cost) }], ...stale };
    }
    case 'uncertain': {
      const why = providerReason(outcome, 'provider.failed');
      return { step: { ...base, state: 'uncertain', ...why }, log: [{ status: 'uncertain', basis: 'provider', ...why, ...common }] };
    }
    case 'notTried': {
      const why = providerReason(outcome, 'provider.notTried');
      const final: CascadeStep = { ...base, state: 'skipped', ...why };
      const next = nextRouteOrFinal(step, route, now, outcome.nextRoute === true && now < ctx.deadline, final);
      return { step: next, log: [{ status: 'notTried', ...why, ...common }], ...stale };
    }
    case 'failed': {
      const why = providerReason(outcome, 'provider.failed');
      if (!outcome.permanent) {
        const tries = (step.tries ?? 0) + (outcome.notSent ? 0 : 1);
        const decision = nextRetry({
          now, tries: Math.max(tries, 1), deadline: ctx.deadline, random: ctx.random,
          ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
          ...(ctx.policy ? { policy: ctx.policy } : {}),
        });
        if (decision.retry) {
          const next: CascadeStep = { ...base, state: 'planned', tries, retryAt: decision.at, ...why };
          // The code stays the provider's; the English text and `retryAt` say when the next try is.
          const when = formatLocalTime(decision.at, { locale: formattingLocale('en', ctx.format.locale), timeZone: ctx.format.timeZone });
          return { step: next, log: [{ status: 'retrying', ...why, reason: `${outcome.reason}; trying again at ${when}`, retryAt: decision.at, ...common }] };
        }
        const given = decision.why === 'noTimeLeft'
          ? reasonFields('send.noTimeLeft', { detail: outcome.reason }, ctx.format)
          : reasonFields('send.gaveUp', { detail: outcome.reason, tries }, ctx.format);
        const final: CascadeStep = { ...base, state: 'failed', tries, ...given };
        const next = nextRouteOrFinal(step, route, now, outcome.nextRoute === true && now < ctx.deadline, final);
        return { step: next, log: [{ status: 'failed', basis: 'provider', ...given, ...common }] };
      }
      const final: CascadeStep = { ...base, state: 'failed', ...why };
      const next = nextRouteOrFinal(step, route, now, outcome.nextRoute === true && now < ctx.deadline, final);
      return { step: next, log: [{ status: 'failed', basis: 'provider', ...why, ...common }] };
    }
  }
}

/** A delivery report for a step in `sent`. Unchanged news writes nothing to the log. */
export function applyReport(step: CascadeStep, report: ReportOutcome, ctx: StepContext): StepTransition {
  const { now } = ctx;
  const polls = (step.polls ?? 0) + 1;
  const verdictAt = step.verdictAt ?? now;
  if (report.status === 'unknown') {
    return { step: { ...step, polls, reportAt: nextReportAt(now, polls, verdictAt, report.retryAfterMs) }, log: [] };
  }
  const route = report.route ?? step.route;
  const common = { basis: 'report' as const, ...(route ? { route } : {}), ...(report.providerStatus ? { providerStatus: report.providerStatus } : {}), ...(step.providerMessageId ? { providerMessageId: step.providerMessageId } : {}), ...costFields(report.cost) };
  const status = report.providerStatus ? { providerStatus: report.providerStatus } : {};
  switch (report.status) {
    case 'delivered': {
      const next: CascadeStep = { ...withoutWaits(step), state: 'delivered', at: iso(now), ...status, ...(report.detail ? { reason: report.detail } : {}) };
      return { step: next, log: [{ status: 'delivered', ...common, ...(report.detail ? { reason: report.detail } : {}) }] };
    }
    case 'failed': {
      const why = providerReason(report, 'provider.failed');
      const final: CascadeStep = { ...withoutWaits(step), state: 'failed', at: iso(now), ...why, ...status };
      const next = nextRouteOrFinal({ ...step, ...status }, route, now, report.nextRoute === true && now < ctx.deadline, final);
      return { step: next, log: [{ status: 'failed', ...why, ...common }] };
    }
    case 'inFlight': {
      const changed = report.providerStatus !== undefined && report.providerStatus !== step.providerStatus;
      const next: CascadeStep = { ...step, ...status, polls, reportAt: nextReportAt(now, polls, verdictAt) };
      return { step: next, log: changed || report.cost ? [{ status: 'sent', ...common, ...plainReason('report.status', { detail: report.providerStatus ?? 'in flight' }) }] : [] };
    }
  }
}

/**
 * A step in `sent` whose verdict window ended (or whose deadline came) without a final report: the verdict is
 * assumed from the last known status, and the log says so. Returns undefined while the step still waits.
 */
export function settleWindow(step: CascadeStep, ctx: StepContext, windowMinutes: number): StepTransition | undefined {
  if (step.state !== 'sent') return undefined;
  const verdictAt = step.verdictAt ?? ctx.now;
  const byDeadline = ctx.now >= ctx.deadline && ctx.now < verdictAt;
  if (ctx.now < verdictAt && !byDeadline) return undefined;
  const lastKnown = step.providerStatus ?? 'accepted';
  const verdict = verdictAfterWindow(step.channel, 'inFlight');
  const why = byDeadline
    ? plainReason('report.assumedAtDeadline', { detail: lastKnown })
    : windowMinutes === 0
      ? plainReason('report.noWait')
      : plainReason('report.assumed', { detail: lastKnown, minutes: windowMinutes });
  const next: CascadeStep = { ...withoutWaits(step), state: verdict, at: iso(ctx.now), ...why };
  return {
    step: next,
    log: [{ status: verdict, basis: byDeadline ? 'deadline' : 'windowElapsed', ...why, ...(step.route ? { route: step.route } : {}), providerStatus: lastKnown, ...(step.providerMessageId ? { providerMessageId: step.providerMessageId } : {}) }],
  };
}

/** The earliest instant the step needs the engine again, if it waits at all. */
export function stepWakeAt(step: CascadeStep): number | undefined {
  if (step.state === 'planned') return step.retryAt;
  if (step.state !== 'sent') return undefined;
  const times = [step.reportAt, step.verdictAt].filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}
