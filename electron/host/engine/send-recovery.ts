/**
 * Sends whose outcome nobody will ever write: left `sending` by a crash of this desk, or by a dispatcher that lost the
 * lease mid-send. Their outcome is unknown — `uncertain`, never resent (DESIGN §4.1) — unless the provider deduplicates
 * (then the step is retried under the same key).
 */
import type { Job } from '../../../shared/domain/job.ts';
import { fenceOfSendingJob, inFlightFence, sameFence, type DispatchGate } from '../../../shared/engine/dispatch-gate.ts';
import type { ChannelProvider } from '../../../shared/engine/provider.ts';
import { toastDeskOf } from '../../../shared/engine/team-events.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { recoverInterrupted } from './job-outcome.ts';
import type { EngineStore } from './engine-store.ts';

export interface SendRecoveryOptions {
  store: EngineStore;
  clock: Clock;
  provider: (channel: Channel) => ChannelProvider;
  gate?: DispatchGate;
  deskId?: () => string;
  log?: (line: string) => void;
}

export class SendRecovery {
  readonly #options: SendRecoveryOptions;

  constructor(options: SendRecoveryOptions) {
    this.#options = options;
  }

  /** In flight under an older fence than the one this desk holds now: the previous dispatcher's send. */
  isStale(job: Job): boolean {
    // A desk's toasts are sent without the lease, so the lease holder has no say over them.
    if (toastDeskOf(job) !== undefined) return false;
    const flight = inFlightFence(job);
    if (!flight) return false;
    const permit = this.#options.gate?.permit(job.locationId);
    return permit?.ok === true && permit.fence !== undefined && !sameFence(flight.fence, permit.fence);
  }

  /** In flight under this desk's own current fence: a send of this desk under the lease it holds now. */
  isOwn(job: Job): boolean {
    if (toastDeskOf(job) !== undefined) return false;
    const flight = inFlightFence(job);
    const permit = this.#options.gate?.permit(job.locationId);
    return flight !== undefined && permit?.ok === true && sameFence(flight.fence, permit.fence);
  }

  /**
   * A cascade job left between two of its steps — every step has its verdict, the job is still `sending` — while this
   * desk holds the lease (checked between passes, so no run of this desk is in the middle of it): the dispatcher that
   * wrote it died or lost the lease before it went on to the next channel. Nothing is in flight, and nobody would
   * ever move it on: a fallback after a failed email was never sent (multi-desk failover, a holder killed between
   * the email's verdict and the job's).
   */
  isAbandoned(job: Job): boolean {
    if (job.state !== 'sending' || job.channel !== 'cascade' || toastDeskOf(job) !== undefined || inFlightFence(job) !== undefined) return false;
    const permit = this.#options.gate?.permit(job.locationId);
    return permit?.ok === true && permit.fence !== undefined;
  }

  /**
   * Jobs left `sending` under an older fence (the previous dispatcher died, froze or lost the network mid-send): this
   * desk now holds the lease, and the old holder can no longer send, so their outcome is unknown — `uncertain`, never
   * resent, exactly like a crash of this desk (DESIGN §4.1). Also jobs `sending` under this desk's own fence found
   * between passes (the engine runs this in its queue, never during a pass): no send of this desk is in flight, so such
   * a version came back by sync — an older copy of a send the desk refused and put back, pulled after it — or its
   * outcome was never written; nobody would ever move it on, and whether it went out is not known either.
   */
  async recoverStale(): Promise<void> {
    const { store, clock, log } = this.#options;
    const now = clock.now();
    for (const job of await store.jobsInState('sending')) {
      const own = this.isOwn(job);
      const abandoned = !own && this.isAbandoned(job);
      if (!own && !abandoned && !this.isStale(job)) continue;
      // Between steps nothing is uncertain: the job goes on from the verdicts it has (due now).
      const { job: recovered, logs } = recoverInterrupted(job, now);
      await store.appendLog(logs);
      await store.writeJobs([recovered]);
      log?.(
        abandoned
          ? `engine: job ${job.id} was left between two steps by ${job.fence?.desk ?? 'another dispatcher'}; its cascade goes on here`
          : own
            ? `engine: job ${job.id} was left sending by this desk outside any send; marked uncertain`
            : `engine: job ${job.id} was being sent by ${fenceOfSendingJob(job)?.desk ?? 'another desk'} when it lost the dispatch lease; marked uncertain`,
      );
    }
  }

  /** At start: this desk's sends a crash interrupted (other desks' toasts and fenced sends are theirs). */
  async recoverInterrupted(): Promise<void> {
    const { store, clock, log, deskId, provider } = this.#options;
    const now = clock.now();
    for (const job of await store.jobsInState('sending')) {
      const toastDesk = toastDeskOf(job);
      if (toastDesk !== undefined && toastDesk !== deskId?.()) continue;
      // A send fenced by another desk is that desk's (or, once this desk holds the lease, recovered as stale).
      const fence = fenceOfSendingJob(job);
      if (deskId && fence && fence.desk !== deskId()) continue;
      const idempotent = (channel: Channel) => provider(channel).idempotent?.(job.locationId) === true;
      const { job: recovered, logs } = recoverInterrupted(job, now, idempotent);
      await store.appendLog(logs);
      await store.writeJobs([recovered]);
      if (logs.some((entry) => entry.status === 'uncertain')) log?.(`engine: job ${job.id} was interrupted while sending; marked uncertain`);
    }
  }
}
