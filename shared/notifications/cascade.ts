/**
 * The channel cascade of DESIGN.md §3 as a pure decision: given the scenarios of one notification, who can be
 * reached, what was attempted so far and the current time, say what to do next. The engine calls it again whenever
 * something changes (an attempt result, a delivery report, a timer at `nextCheckAt`) until `complete`.
 *
 * Rule: `off` never sends; `always` sends whenever the recipient is reachable on that channel; `ifPreviousFailed`
 * sends iff NO earlier channel of the cascade has been delivered — every earlier channel that was tried failed or
 * could not be tried (unreachable, opted out, provider not configured). Channels set to `off` or skipped do not count
 * as delivered. Hence an `ifPreviousFailed` channel waits until every earlier attempted channel has a final verdict.
 *
 * Verdicts: a report or a synchronous rejection decides at once; a pending attempt whose verdict window elapsed is
 * decided by `verdictAfterWindow`. The window never pushes the message past `deadline` (for a reminder the engine
 * passes the appointment start, or a little before it): at the deadline pending attempts are decided from their last
 * known status exactly as if their window had elapsed. `notAfter` (e.g. the appointment start) forbids any new send at
 * or after it — a fallback that becomes due that late is skipped as `tooLate` rather than sent stale (§2, §4.2).
 */
import { CHANNELS, SCENARIOS, SCENARIOS_BY_CHANNEL, isScenarioAllowed } from './catalog.ts';
import type { Channel, Scenario } from './catalog.ts';

/** Cascade order is fixed by the spec (§3): email, the free apps, the branded app, SMS last; desktop is staff-only. */
export const CASCADE_ORDER: readonly Channel[] = CHANNELS;

export type ScenarioMap = Readonly<Partial<Record<Channel, Scenario>>>;

export type NotTriedReason =
  | 'noEmailAddress'
  | 'appNotInstalled'
  | 'noPushToken'
  | 'noPhone'
  | 'optedOut'
  | 'providerNotConfigured'
  /** The recipient kind has no such channel (e.g. desktop for a client), or reachability was not given. */
  | 'notApplicable';

export type Reachability =
  | { readonly reachable: true }
  | { readonly reachable: false; readonly reason: NotTriedReason; readonly detail?: string };

/**
 * What a provider last said about a message still awaiting its verdict. `inFlight` covers accepted, queued, sent and
 * "no report yet": the message left our hands and may still arrive.
 */
export type LastKnownStatus = 'delivered' | 'failed' | 'inFlight';

export type Attempt =
  | { readonly status: 'pending'; readonly verdictDeadline: number; readonly lastKnown?: LastKnownStatus }
  | { readonly status: 'delivered' }
  | { readonly status: 'failed'; readonly reason?: string }
  | { readonly status: 'notTried'; readonly reason: string };

export interface CascadeInput {
  readonly scenarios: ScenarioMap;
  /** Per channel; a channel with a scenario other than `off` and no entry here counts as `notApplicable`. */
  readonly reach: Readonly<Partial<Record<Channel, Reachability>>>;
  readonly attempts: Readonly<Partial<Record<Channel, Attempt>>>;
  readonly now: number;
  /** Verdict windows are cut short here: pending attempts are decided from their last known status. */
  readonly deadline?: number;
  /** No new send at or after this instant. */
  readonly notAfter?: number;
}

export type EffectiveVerdict = 'delivered' | 'failed' | 'notTried' | 'pending';

export type ChannelDecision =
  | { readonly channel: Channel; readonly action: 'send' }
  | {
      readonly channel: Channel;
      readonly action: 'wait';
      /** Earlier channels still without a verdict. */
      readonly waitingFor: readonly Channel[];
      /** When time alone will settle at least one of them; absent while an earlier channel is only now being sent. */
      readonly until?: number;
    }
  | {
      readonly channel: Channel;
      readonly action: 'skip';
      readonly reason: 'off' | 'unreachable' | 'earlierDelivered' | 'tooLate';
      readonly detail?: string;
    }
  | {
      readonly channel: Channel;
      readonly action: 'attempted';
      readonly verdict: EffectiveVerdict;
      /** How the verdict was reached; `windowElapsed`/`deadline` mean the engine should log the assumed verdict. */
      readonly basis: 'report' | 'windowElapsed' | 'deadline' | 'awaiting';
    };

export interface CascadeDecision {
  /** One entry per channel of CASCADE_ORDER that has a scenario, in cascade order. */
  readonly channels: readonly ChannelDecision[];
  readonly send: readonly Channel[];
  readonly waiting: readonly Channel[];
  /** Nothing to send now and nothing waiting: the cascade will not send anything more. */
  readonly complete: boolean;
  /** Re-evaluate at this instant at the latest (a verdict window or the deadline ends). */
  readonly nextCheckAt?: number;
  /** Some channel counts as delivered so far. */
  readonly delivered: boolean;
}

/**
 * The verdict of an attempt whose window elapsed without a final report: email counts as delivered (SMTP accepted it)
 * unless a bounce said otherwise; other channels take the provider's last known status, and a message still in flight
 * counts as delivered — a fallback on top of it could reach the client twice, which §3 forbids.
 */
export function verdictAfterWindow(channel: Channel, lastKnown: LastKnownStatus | undefined): 'delivered' | 'failed' {
  // Email and the other channels coincide today; the channel stays in the signature because the rule is per channel.
  void channel;
  return lastKnown === 'failed' ? 'failed' : 'delivered';
}

export function decideCascade(input: CascadeInput): CascadeDecision {
  const { scenarios, reach, attempts, now, deadline, notAfter } = input;
  const tooLate = notAfter !== undefined && now >= notAfter;
  const channels: ChannelDecision[] = [];
  const send: Channel[] = [];
  const waiting: Channel[] = [];
  let nextCheckAt: number | undefined;
  let delivered = false;
  // Earlier channels without a final verdict, and the earliest instant at which time alone settles one of them.
  const undecided: Channel[] = [];
  let undecidedUntil: number | undefined;
  let undecidedWithoutTimer = false;

  for (const channel of CASCADE_ORDER) {
    const scenario = scenarios[channel];
    if (scenario === undefined) continue;
    if (scenario === 'off') {
      channels.push({ channel, action: 'skip', reason: 'off' });
      continue;
    }
    const attempt = attempts[channel];
    if (attempt !== undefined) {
      const { verdict, basis, until } = settle(channel, attempt, now, deadline);
      channels.push({ channel, action: 'attempted', verdict, basis });
      if (verdict === 'delivered') delivered = true;
      if (verdict === 'pending') {
        undecided.push(channel);
        undecidedUntil = minDefined(undecidedUntil, until);
      }
      continue;
    }
    if (scenario === 'ifPreviousFailed') {
      if (delivered) {
        channels.push({ channel, action: 'skip', reason: 'earlierDelivered' });
        continue;
      }
      if (undecided.length > 0) {
        const until = undecidedWithoutTimer ? undefined : undecidedUntil;
        channels.push(until === undefined ? { channel, action: 'wait', waitingFor: [...undecided] } : { channel, action: 'wait', waitingFor: [...undecided], until });
        waiting.push(channel);
        nextCheckAt = minDefined(nextCheckAt, until);
        // A waiting fallback is itself undecided for the channels after it: never two fallbacks at once.
        undecided.push(channel);
        continue;
      }
    }
    const r = reach[channel] ?? { reachable: false, reason: 'notApplicable' };
    if (!r.reachable) {
      channels.push(r.detail === undefined ? { channel, action: 'skip', reason: 'unreachable', detail: r.reason } : { channel, action: 'skip', reason: 'unreachable', detail: `${r.reason}: ${r.detail}` });
      continue;
    }
    if (tooLate) {
      channels.push({ channel, action: 'skip', reason: 'tooLate' });
      continue;
    }
    channels.push({ channel, action: 'send' });
    send.push(channel);
    undecided.push(channel);
    undecidedWithoutTimer = true;
  }

  const complete = send.length === 0 && waiting.length === 0;
  const base = { channels, send, waiting, complete, delivered };
  return nextCheckAt === undefined ? base : { ...base, nextCheckAt };
}

function settle(
  channel: Channel,
  attempt: Attempt,
  now: number,
  deadline: number | undefined,
): { verdict: EffectiveVerdict; basis: 'report' | 'windowElapsed' | 'deadline' | 'awaiting'; until?: number } {
  switch (attempt.status) {
    case 'delivered':
    case 'failed':
    case 'notTried':
      return { verdict: attempt.status, basis: 'report' };
    case 'pending': {
      if (now >= attempt.verdictDeadline) return { verdict: verdictAfterWindow(channel, attempt.lastKnown), basis: 'windowElapsed' };
      if (deadline !== undefined && now >= deadline) return { verdict: verdictAfterWindow(channel, attempt.lastKnown), basis: 'deadline' };
      return { verdict: 'pending', basis: 'awaiting', until: minDefined(attempt.verdictDeadline, deadline) };
    }
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export interface SettingsIssue {
  /** Dotted path of the offending setting, e.g. "reminder.channels.email". */
  readonly field: string;
  /** Starts with the field, says what is wrong and what is allowed. */
  readonly message: string;
  /** Stable key the UI translates, e.g. `settings.scenario.notAllowed`, filled with `params`. */
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * Refuses scenarios the spec does not allow (§3): unknown channels, unknown scenarios, and `ifPreviousFailed` anywhere
 * but brandedPush and sms. `path` is the settings path of the map, e.g. "reminder.channels".
 */
export function validateScenarios(map: Readonly<Record<string, unknown>>, path = 'channels'): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const fallbackChannels = CHANNELS.filter((c) => isScenarioAllowed(c, 'ifPreviousFailed'));
  for (const [key, value] of Object.entries(map)) {
    const field = `${path}.${key}`;
    if (!(CHANNELS as readonly string[]).includes(key)) {
      issues.push({ field, code: 'settings.channel.unknown', params: { channel: key }, message: `${field}: unknown channel '${key}' (channels: ${CHANNELS.join(', ')})` });
      continue;
    }
    const channel = key as Channel;
    if (typeof value !== 'string' || !(SCENARIOS as readonly string[]).includes(value)) {
      issues.push({ field, code: 'settings.scenario.unknown', params: { channel }, message: `${field}: unknown scenario ${JSON.stringify(value)} (allowed for ${channel}: ${SCENARIOS_BY_CHANNEL[channel].join(', ')})` });
      continue;
    }
    if (!isScenarioAllowed(channel, value as Scenario)) {
      issues.push({
        field,
        code: 'settings.scenario.notAllowed',
        params: { channel, scenario: String(value) },
        message: `${field}: '${value}' is not allowed for ${channel} (only for ${fallbackChannels.join(' and ')})`,
      });
    }
  }
  return issues;
}
