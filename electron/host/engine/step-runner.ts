/**
 * Runs the channel steps of one job against their providers: sends (persisted as `sending` first), retries that fell
 * due, delivery-report polls and verdict windows. Decisions come from shared/engine/delivery-step.ts; this class does
 * the I/O and writes every transition to the outbox and the delivery log at once, so a crash loses no verdict.
 */
import type { DeliveryLogEntry, DeliveryStatus } from '../../../shared/domain/delivery-log.ts';
import type { CascadeStep, Job, SendFence } from '../../../shared/domain/job.ts';
import type { Scenario } from '../../../shared/notifications/catalog.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import { applyReport, applySendOutcome, settleWindow, type StepContext, type StepLog, type StepTransition } from '../../../shared/engine/delivery-step.ts';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../../shared/engine/provider.ts';
import type { RetryPolicy } from '../../../shared/engine/retry-policy.ts';
import { plainReason, type ReasonFields, type ReasonFormat } from '../../../shared/notifications/reasons.ts';
import type { DispatchGate } from '../../../shared/engine/dispatch-gate.ts';
import { loggedSend, loggedSendBeforeRetry } from '../../../shared/engine/logged-send.ts';
import type { EngineStore } from './engine-store.ts';
import { storageWriteProblem } from '../storage/storage-failure.ts';

/** Route fall-backs inside one channel handled in one pass (Telegram → WhatsApp → SMS is three). */
const MAX_ROUTES_PER_PASS = 5;

export interface RunnerDeps {
  store: EngineStore;
  provider: (channel: Channel) => ChannelProvider;
  now: () => number;
  random: () => number;
  retryPolicy?: RetryPolicy;
  /** With sync: the dispatch lease (DESIGN §4.6). Absent: this desk is the location's only dispatcher. */
  gate?: DispatchGate;
}

/** Thrown inside a pass when the dispatch lease forbids a send: the job is put back as it was, nothing is sent. */
export class SendRefused extends Error {
  /**
   * The job now holds a version merged in from another desk (its send or verdict), not this desk's: the job is that
   * desk's, and nothing is wrong with this desk's lease or its link to the endpoint.
   */
  readonly superseded: boolean;
  constructor(superseded = false) {
    super('This desk may not send this job now (no dispatch lease, or the hand-off did not complete).');
    this.name = 'SendRefused';
    this.superseded = superseded;
  }
}

export interface RunnerSetup {
  /** Nothing is sent, retried or waited for at or after this instant. */
  deadline: number;
  verdictWindowMinutes: (channel: Channel) => number;
  /** The salon's zone and locale, for the English texts of reasons. */
  format: ReasonFormat;
  /** The message for a channel, without the skip list (the runner adds it from the step). */
  message: (channel: Channel) => Omit<OutgoingMessage, 'skipRoutes'>;
  /** Fields every log entry of this channel carries: recipient, client, text. */
  logFields: (channel: Channel) => Partial<DeliveryLogEntry>;
  /** Device tokens a provider found unregistered: drop them from whoever holds them. */
  dropTokens?: (channel: Channel, tokens: readonly string[]) => Promise<void>;
}

export function logEntry(job: Job, channel: Channel, status: DeliveryStatus, at: number, extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  // Route and attempt keep two entries of one millisecond apart (a route fall-back on a fast provider).
  const route = extra.route ? `#${extra.route}` : '';
  const attempt = extra.attempt !== undefined ? `#${extra.attempt}` : '';
  return {
    id: `${job.id}#${channel}${route}#${status}#${at}${attempt}`,
    locationId: job.locationId,
    jobId: job.id,
    type: job.type,
    channel,
    recipient: extra.recipient ?? job.recipient ?? '',
    status,
    ...(job.subjectKind === 'appointment' ? { appointmentId: job.subjectId } : {}),
    at: new Date(at).toISOString(),
    atMs: at,
    ...extra,
  };
}

function stepLogFields(log: StepLog): Partial<DeliveryLogEntry> {
  const { cost, status: _status, ...rest } = log;
  const fields: Partial<DeliveryLogEntry> = { ...rest };
  if (cost) {
    fields.costMicros = Math.round(cost.micros);
    fields.costCurrency = cost.currency;
    fields.costEstimated = cost.estimated;
    if (cost.segments !== undefined) fields.segments = cost.segments;
  }
  return fields;
}

export class StepRunner {
  job: Job;
  readonly #deps: RunnerDeps;
  readonly #setup: RunnerSetup;

  constructor(deps: RunnerDeps, job: Job, setup: RunnerSetup) {
    this.#deps = deps;
    this.job = { ...job, cascade: (job.cascade ?? []).map((s) => ({ ...s })) };
    this.#setup = setup;
  }

  get steps(): CascadeStep[] {
    return this.job.cascade ?? [];
  }

  step(channel: Channel): CascadeStep | undefined {
    return this.steps.find((s) => s.channel === channel);
  }

  #context(now: number, channel: Channel): StepContext {
    const provider = this.#deps.provider(channel);
    return {
      now,
      deadline: this.#setup.deadline,
      verdictWindowMs: this.#setup.verdictWindowMinutes(channel) * 60_000,
      reports: typeof provider.report === 'function',
      random: this.#deps.random,
      ...(this.#deps.retryPolicy ? { policy: this.#deps.retryPolicy } : {}),
      format: this.#setup.format,
    };
  }

  #replace(step: CascadeStep): void {
    const steps = this.steps.filter((s) => s.channel !== step.channel);
    this.job = { ...this.job, cascade: [...steps, step] };
  }

  #entries(channel: Channel, logs: readonly StepLog[], at: number): DeliveryLogEntry[] {
    return logs.map((log) => logEntry(this.job, channel, log.status, at, { ...this.#setup.logFields(channel), ...stepLogFields(log) }));
  }

  /**
   * Log entries of skipped channels not written yet. A skip changes the job only in memory, so its entry need not be
   * durable before the job's next write; written then, in one commit (writeJob), a cascade's several skips cost one
   * fsync instead of one each (a backlog caught up at start is thousands of jobs, each commit holding the event loop).
   */
  #pendingSkips: DeliveryLogEntry[] = [];

  /**
   * Writes the entries of the skips made since the job's last write, then `job`, then `entries`. Not as one transaction
   * (storage/write-group.ts): writeJobs goes through RxDB's write queue of the jobs collection, which a write waiting
   * for a group could be holding; and a verdict's job must be written before its entries anyway (see #commit).
   */
  async writeJob(job: Job, entries: readonly DeliveryLogEntry[] = []): Promise<void> {
    const skips = this.#pendingSkips;
    this.#pendingSkips = [];
    if (skips.length > 0) await this.#deps.store.appendLog(skips);
    await this.#deps.store.writeJobs([job]);
    if (entries.length > 0) await this.#deps.store.appendLog(entries);
  }

  /**
   * One transition: the step and the job first (with earlier skips' entries), then the transition's log entries. The
   * job is the record: a crash between the two leaves it `sending` with the verdict in its step, and recovery writes
   * the verdict's entries again (recoverInterrupted, same ids). Rolled back with its entries (one transaction), the
   * same crash would lose the verdict, and a message known to be delivered would end `uncertain` (verdict-crash.test.ts).
   */
  async #commit(channel: Channel, transition: StepTransition, at: number): Promise<void> {
    this.#replace(transition.step);
    this.job = { ...this.job, updatedAt: new Date(at).toISOString() };
    const skips = this.#pendingSkips;
    const entries = this.#entries(channel, transition.log, at);
    try {
      await this.writeJob(this.job);
      await this.#deps.store.appendLog(entries);
    } catch (error) {
      if (storageWriteProblem(error)) this.#deps.store.keepUnwritten(this.job, [...skips, ...entries]);
      throw error;
    }
    if (transition.staleTokens && transition.staleTokens.length > 0) await this.#setup.dropTokens?.(channel, transition.staleTokens);
  }

  /** Records a channel that is not used (off, unreachable, an earlier one delivered), once; logged with the job's next write. */
  async skip(channel: Channel, scenario: Scenario, status: 'notTried' | 'skipped', reason: ReasonFields): Promise<void> {
    if (this.step(channel)) return;
    const at = this.#deps.now();
    this.#replace({ channel, scenario, state: 'skipped', ...reason, at: new Date(at).toISOString() });
    this.#pendingSkips.push(logEntry(this.job, channel, status, at, { ...this.#setup.logFields(channel), ...reason }));
  }

  /** Delivery reports that fell due, and verdict windows that ended. */
  async settle(): Promise<void> {
    for (const step of [...this.steps]) {
      if (step.state !== 'sent') continue;
      const provider = this.#deps.provider(step.channel);
      let current = step;
      const now = this.#deps.now();
      const reportDue = current.reportAt !== undefined && current.reportAt <= now;
      if (reportDue && provider.report && current.providerMessageId) {
        const report = await provider
          .report({ locationId: this.job.locationId, channel: step.channel, providerMessageId: current.providerMessageId, ...(current.route ? { route: current.route } : {}) })
          .catch((error: unknown) => ({ status: 'unknown' as const, reason: error instanceof Error ? error.message : String(error) }));
        const at = this.#deps.now();
        const transition = applyReport(current, report, this.#context(at, step.channel));
        await this.#commit(step.channel, transition, at);
        current = transition.step;
        // A report that failed one route leaves the next route due now: `retryDue` sends it.
      }
      const at = this.#deps.now();
      const settled = settleWindow(current, this.#context(at, step.channel), this.#setup.verdictWindowMinutes(step.channel));
      if (settled) await this.#commit(step.channel, settled, at);
    }
  }

  /** Steps waiting for a retry or their channel's next route whose time came. */
  async retryDue(): Promise<void> {
    for (const step of [...this.steps]) {
      if (step.state !== 'planned' || step.retryAt === undefined || step.retryAt > this.#deps.now()) continue;
      await this.send(step.channel, step.scenario);
    }
  }

  /** The message became stale while a retry waited: the retry is not made, and the log says why. */
  async dropRetries(why: string): Promise<void> {
    const reason = plainReason('retry.notNeeded', { detail: why });
    for (const step of [...this.steps]) {
      if (step.state !== 'planned') continue;
      const at = this.#deps.now();
      const { retryAt: _r, reason: _old, reasonCode: _code, reasonParams: _params, ...rest } = step;
      await this.#commit(step.channel, { step: { ...rest, state: 'cancelled', ...reason, at: new Date(at).toISOString() }, log: [{ status: 'cancelled', ...reason }] }, at);
    }
  }

  /**
   * Hands the channel's message to its provider. The `sending` write comes first — it is what makes a crash during
   * the call detectable (recovery marks it `uncertain`, or resends where the provider drops duplicates).
   */
  async send(channel: Channel, scenario: Scenario): Promise<void> {
    if (await this.#takeLoggedSend(channel, scenario)) return;
    for (let route = 0; route < MAX_ROUTES_PER_PASS; route++) {
      const before = this.step(channel) ?? { channel, scenario, state: 'planned' as const };
      const at = this.#deps.now();
      await this.#markSending(channel, before, at);
      // Synchronous, and nothing awaited between it and the provider call below.
      if (this.#deps.gate && !this.#deps.gate.stillValid(this.job.locationId, this.#fence)) await this.#refuse(channel, true);
      const message = this.#setup.message(channel);
      const outgoing: OutgoingMessage = { ...message, ...(before.skipRoutes && before.skipRoutes.length > 0 ? { skipRoutes: before.skipRoutes } : {}) };
      const outcome = await this.#deps
        .provider(channel)
        .send(outgoing)
        .catch((error: unknown): SendOutcome => ({ status: 'failed', reason: `provider error: ${error instanceof Error ? error.message : String(error)}`, permanent: false }));
      const after = this.#deps.now();
      // From the step as written `sending` (it carries the fence of this send).
      const transition = applySendOutcome(this.step(channel) ?? before, outcome, this.#context(after, channel));
      await this.#commit(channel, transition, after);
      const next = transition.step;
      // A route used up with another route left comes back `planned` and due now: on to it in the same pass.
      if (next.state !== 'planned' || next.retryAt === undefined || next.retryAt > after) return;
    }
  }

  /**
   * A channel whose send the delivery log records while this version of the job has no step for it, or has it waiting
   * for a retry the log does not call for: the job was replayed (a peer, an old copy restored). The step takes the
   * log's outcome, and the provider is not called again.
   */
  async #takeLoggedSend(channel: Channel, scenario: Scenario): Promise<boolean> {
    const entries = await this.#deps.store.logOfJob(this.job.id);
    const logged = this.step(channel) ? loggedSendBeforeRetry(entries, channel) : loggedSend(entries, channel);
    if (!logged) return false;
    const at = this.#deps.now();
    const reason = plainReason('send.replayed');
    await this.#commit(channel, { step: { channel, scenario, state: logged, ...reason, at: new Date(at).toISOString() }, log: [{ status: 'skipped', ...reason }] }, at);
    return true;
  }

  /**
   * The one write before a provider call: the step is `sending`, the job counts the attempt. With sync it carries the
   * lease's fence and must reach the endpoint before the provider is called, so a desk that takes over sees it and
   * never sends the message again.
   */
  async #markSending(channel: Channel, step: CascadeStep, at: number): Promise<void> {
    const gate = this.#deps.gate;
    if (gate) {
      const permit = gate.permit(this.job.locationId);
      if (!permit.ok) throw new SendRefused();
      this.#fence = permit.fence;
    }
    this.#beforeSending = this.job;
    const { retryAt: _r, reason: _old, reasonCode: _code, reasonParams: _params, fence: _fence, ...rest } = step;
    this.#replace({ ...rest, state: 'sending', at: new Date(at).toISOString(), ...(this.#fence ? { fence: this.#fence } : {}) });
    this.job = { ...this.job, state: 'sending', attempts: this.job.attempts + 1, updatedAt: new Date(at).toISOString() };
    // The skips before this channel, then the durable `sending` mark.
    await this.writeJob(this.job);
    if (gate && !(await this.#handedOff(gate, channel))) await this.#refuse(channel, false);
    await this.#deps.store.appendLog([logEntry(this.job, channel, 'attempted', at, { ...this.#setup.logFields(channel), attempt: this.job.attempts })]);
  }

  #fence: SendFence | undefined;
  #beforeSending: Job | undefined;

  /** The `sending` state is on the endpoint, and the job is still this send's (no merge moved it meanwhile). */
  async #handedOff(gate: DispatchGate, channel: Channel): Promise<boolean> {
    if (!(await gate.handOff(this.job))) return false;
    const current = await this.#deps.store.job(this.job.id);
    return current !== undefined && this.#isThisSend(current, channel);
  }

  /** The stored job is the `sending` version this send wrote (its step, stamped with the send's start). */
  #isThisSend(stored: Job, channel: Channel): boolean {
    const stamp = this.step(channel)?.at;
    return stored.state === 'sending' && stored.cascade?.some((s) => s.state === 'sending' && s.channel === channel && s.at === stamp) === true;
  }

  /**
   * Puts the job back as it was before this send and ends the pass; a lost lease is logged. Only this send's own
   * `sending` version is put back: one merged in meanwhile — another desk's send of the same job, met when the hand-off
   * pushed this one — knows more, and the older copy written over it would move the job back here and on the endpoint,
   * where the next pass would find it planned and send it again.
   */
  async #refuse(channel: Channel, leaseLost: boolean): Promise<never> {
    const before = this.#beforeSending ?? this.job;
    const now = this.#deps.now();
    const putBack = await this.#deps.store.replaceOwnJob({ ...before, updatedAt: new Date(now).toISOString() }, (stored) => this.#isThisSend(stored, channel));
    if (leaseLost) await this.#deps.store.appendLog([logEntry(this.job, channel, 'notTried', now, { ...this.#setup.logFields(channel), ...plainReason('send.leaseLost') })]);
    this.job = before;
    throw new SendRefused(!putBack && !leaseLost);
  }
}
