/**
 * One dispatch pass: every job due now that this desk may send, in batches, each checked against the book as it is when
 * its turn comes (dispatch-job.ts). The engine runs a pass in its queue and arms its timer from what the pass reports.
 */
import type { Job } from '../../../shared/domain/job.ts';
import type { DispatchGate } from '../../../shared/engine/dispatch-gate.ts';
import type { ChannelProvider } from '../../../shared/engine/provider.ts';
import type { RetryPolicy } from '../../../shared/engine/retry-policy.ts';
import { toastDeskOf, type ToastDesk } from '../../../shared/engine/team-events.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { elapsed, type Instant } from '../../../shared/time/instant.ts';
import { dispatchClientJob, dispatchStaffJob, type DispatchDeps, type LocationContext } from './dispatch-job.ts';
import type { DispatchScope, EngineStore } from './engine-store.ts';
import { TimeSlice } from './time-slice.ts';

/** How long a due job waits for its booking, client or perk to arrive by sync before it counts as gone. */
export const SUBJECT_ARRIVAL_GRACE_MS = 5 * 60_000;

/**
 * Due jobs whose subject has not arrived by sync yet: since when (this desk's clocks), to bound the wait. The wait is
 * counted by the wall clock and the monotonic one both, the shorter: a clock set forward an hour closed every waiting
 * job as "its booking is gone" at the next pass, though the booking was still on its way.
 */
export class SubjectArrivals {
  readonly #since = new Map<string, Instant>();
  readonly #clock: Clock;
  readonly #monotonic: () => number;
  readonly #log: ((line: string) => void) | undefined;

  constructor(clock: Clock, log?: (line: string) => void, monotonic: () => number = () => performance.now()) {
    this.#clock = clock;
    this.#monotonic = monotonic;
    this.#log = log;
  }

  /** A subject replicates in soon after its job, or never will: wait a bounded time, by this desk's clock. */
  mayArrive(job: Job, gate: DispatchGate | undefined): boolean {
    if (gate?.replicates(job.locationId) !== true) return false;
    const now: Instant = { wall: this.#clock.now(), monotonic: this.#monotonic() };
    const since = this.#since.get(job.id) ?? now;
    if (!this.#since.has(job.id)) {
      this.#since.set(job.id, now);
      this.#log?.(`engine: job ${job.id} is due but what it is about has not arrived on this desk yet; waiting for sync`);
    }
    if (elapsed(since, now) < SUBJECT_ARRIVAL_GRACE_MS) return true;
    this.#since.delete(job.id);
    return false;
  }

  forget(id: string): void {
    this.#since.delete(id);
  }

  /** After a pass that saw every due job: the ones no longer waiting are forgotten. */
  keepOnly(waiting: ReadonlySet<string>): void {
    for (const id of this.#since.keys()) if (!waiting.has(id)) this.#since.delete(id);
  }
}

export interface DispatchPassOptions {
  store: EngineStore;
  clock: Clock;
  provider: (channel: Channel) => ChannelProvider;
  scope: DispatchScope | undefined;
  batchSize: number;
  arrivals: SubjectArrivals;
  toastDesk: (locationId: string) => ToastDesk | undefined;
  /** The engine is stopping: leave the rest for the next start. */
  stopping: () => boolean;
  /** A change of the book waits to be planned: end the pass after the job under way (its outcome's `carry`). */
  planningWaits?: () => boolean;
  /** The pass goes on from one cut short. */
  continues?: PassCarry;
  gate?: DispatchGate;
  random?: () => number;
  retryPolicy?: RetryPolicy;
}

export interface DispatchPassOutcome {
  /** A job was not this desk's to send now, or a hand-off was refused: look again a little later. */
  blocked: boolean;
  /** A job waits for its subject to arrive by sync. */
  deferred: boolean;
  /** Another desk's send of a job reached the endpoint first. */
  superseded: boolean;
  /** The pass ended before every due job was handled, for a change waiting to be planned: what goes on from it. */
  carry?: PassCarry;
}

/**
 * What a pass cut short hands to the pass that goes on from it: the jobs it left waiting for their subject or superseded
 * (not tried again in it: a superseded one costs a round trip to the endpoint) and that it did. Jobs it found blocked
 * are looked at again: the permit may have come meanwhile.
 */
export interface PassCarry {
  waiting: Set<string>;
  deferred: boolean;
  superseded: boolean;
}

export async function runDispatchPass(options: DispatchPassOptions): Promise<DispatchPassOutcome> {
  const { store, clock, gate, scope, batchSize: batch, arrivals } = options;
  // Verdicts the disk refused last time come first: their jobs are still `sending` in the outbox.
  await store.writeUnwritten(clock.now());
  // Settings cannot change under a pass: their change is queued behind it and re-plans afterwards.
  const contexts = new Map<string, Promise<LocationContext>>();
  const deps: DispatchDeps = {
    ...(gate ? { gate, subjectMayArrive: (job: Job) => arrivals.mayArrive(job, gate) } : {}),
    store,
    toastDesk: options.toastDesk,
    provider: options.provider,
    now: () => clock.now(),
    ...(options.random ? { random: options.random } : {}),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    locationContext: (locationId) => {
      let context = contexts.get(locationId);
      if (!context) {
        context = Promise.all([store.location(locationId), store.settingsOf(locationId)]).then(([location, settings]) => ({ location, settings }));
        contexts.set(locationId, context);
      }
      return context;
    },
  };
  // This desk's own toasts go out without the lease: no other desk ever sends them, so there is nothing to fence.
  const { gate: _gate, ...ungated } = deps;
  const thisDesk = scope?.desk;
  const carried = options.continues;
  const outcome: DispatchPassOutcome = { blocked: false, deferred: carried?.deferred ?? false, superseded: carried?.superseded ?? false };
  const waiting = carried?.waiting ?? new Set<string>();
  // A backlog (a book imported with visits already past, a desk that was closed for days) can be thousands of due
  // jobs, each a few durable commits: the pass gives the event loop a turn between jobs, so the window's commands
  // and queries are answered meanwhile. Each job is checked against the book as it is when its turn comes (load,
  // checkClientJob), so an edit answered meanwhile is never sent on from the plan it replaced.
  // A backlog is not urgent to the second; the window's requests are: the pass makes way while they keep coming.
  const slice = new TimeSlice({ makeWayForWindow: true });
  let handledInPass = 0;
  pass: for (;;) {
    const due = await store.dueJobs(clock.now(), batch, scope);
    let handled = 0;
    for (const job of due) {
      if (options.stopping()) return outcome;
      // An edit made meanwhile is planned before the next job is looked at; at least one job per pass, so a stream of
      // edits (a sync catching up) still lets the backlog move.
      if (handledInPass > 0 && options.planningWaits?.()) return { ...outcome, carry: { waiting, deferred: outcome.deferred, superseded: outcome.superseded } };
      // Between jobs, not after the last one: a pass that sends one message gives no turn of its own. After a turn
      // the rest of this batch may be outdated (written meanwhile by sync, or by a stop): it is read again.
      if (handledInPass > 0 && (await slice.breathe())) continue pass;
      const ownToast = thisDesk !== undefined && toastDeskOf(job) === thisDesk;
      // Not this desk's to send now (another desk holds the location's lease): it stays planned for the holder.
      if (!ownToast && gate && !gate.permit(job.locationId).ok) {
        outcome.blocked = true;
        continue;
      }
      if (waiting.has(job.id)) continue;
      handled++;
      const result = job.channel === 'cascade' ? await dispatchClientJob(deps, job) : await dispatchStaffJob(ownToast ? ungated : deps, job);
      if (result === 'refused') {
        outcome.blocked = true;
        break pass;
      }
      // Another desk's send of this job reached the endpoint first (a desk that took the lease over with a lagging
      // copy meets one per job the previous holder had started): the lease and the link are fine, so the pass goes
      // on instead of holding every other message back for the refusal's pause.
      if (result === 'superseded') {
        outcome.superseded = true;
        waiting.add(job.id);
        handledInPass++;
        continue;
      }
      if (result === 'deferred') {
        outcome.deferred = true;
        waiting.add(job.id);
        handled--;
      } else arrivals.forget(job.id);
      handledInPass++;
    }
    if (due.length < batch || handled === 0) break;
  }
  // Due jobs this desk may not send now must not spin the timer: look again a little later (or when the permit changes).
  if (!outcome.blocked) arrivals.keepOnly(waiting);
  return outcome;
}
