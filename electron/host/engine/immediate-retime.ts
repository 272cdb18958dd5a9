/**
 * Where this desk sends, a planned immediate message (immediate.ts) is never left waiting for a clock ahead of this
 * desk's: a client message due later than it could be by this desk's clock is planned again, which brings its due time
 * down to this desk's now; a team message (new booking, reschedule, cancellation: always sent at once) is made due now.
 * Another desk whose clock runs ahead timed it and its version reached this desk after the visit did (or won a sync
 * conflict), this desk's clock was set back after it planned it, or this desk took over the lease.
 *
 * The same goes for a message already sent that still waits (a retry, a report poll, a verdict window): waits timed by
 * a clock ahead count again from now (shared/engine/wait-retime.ts), and the dispatch timer is armed for them.
 */
import type { Job } from '../../../shared/domain/job.ts';
import { IMMEDIATE_MAX_WAIT_MS, isImmediate } from '../../../shared/engine/immediate.ts';
import { retimeWaits, waitsTimedAhead } from '../../../shared/engine/wait-retime.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { EngineStore } from './engine-store.ts';

export interface ImmediateRetimeDeps {
  store: EngineStore;
  clock: Clock;
  /** Whether this desk sends the job now (the dispatch lease; a desktop toast: the desk it was planned for). */
  sends: (job: Job) => boolean;
  /** Queues the subject's planning in the engine's work queue. */
  replan: (name: string, kind: Job['subjectKind'], id: string) => void;
  /** Queues work in the engine's work queue. */
  enqueue: (name: string, work: () => Promise<void>) => void;
  /** Arms the dispatch timer again (a wait came earlier). */
  rearm: () => Promise<void>;
}

export class ImmediateRetime {
  readonly #deps: ImmediateRetimeDeps;
  /** Subjects queued already: a burst of job writes queues each once. */
  readonly #queued = new Set<string>();

  constructor(deps: ImmediateRetimeDeps) {
    this.#deps = deps;
  }

  /** A job was written (here or by sync): re-timed if it is an immediate message or a wait timed ahead of this desk. */
  written(job: Job): void {
    if (job.state === 'sent') {
      if (waitsTimedAhead(job, this.#deps.clock.now())) this.#queueWaits(job.id);
      return;
    }
    if (job.state !== 'planned' || !(job.subjectKind === 'teamEvent' || (job.channel === 'cascade' && isImmediate(job.type)))) return;
    if (job.dueAt > this.#deps.clock.now() + IMMEDIATE_MAX_WAIT_MS) this.#queue(job);
  }

  /** The clock was set back or the lease taken over: every such message this desk holds. */
  async all(): Promise<void> {
    for (const job of await this.#deps.store.plannedImmediateAfter(this.#deps.clock.now() + IMMEDIATE_MAX_WAIT_MS)) this.#queue(job);
    await this.waits();
  }

  /** Every sent message this desk sends that waits by times a clock ahead set (also at start: closed, then set back). */
  async waits(): Promise<void> {
    for (const job of await this.#deps.store.waitingAfter(this.#deps.clock.now())) await this.#retimeWaits(job);
  }

  #queueWaits(id: string): void {
    const key = `waits ${id}`;
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#deps.enqueue(`retime ${key}`, async () => {
      this.#queued.delete(key);
      const job = await this.#deps.store.job(id);
      if (job && (await this.#retimeWaits(job))) await this.#deps.rearm();
    });
  }

  /** Answers whether the job was re-timed: only over the version it was read as (a send or a sync may have moved it). */
  async #retimeWaits(job: Job): Promise<boolean> {
    if (!this.#deps.sends(job)) return false;
    const retimed = retimeWaits(job, this.#deps.clock.now());
    if (!retimed) return false;
    return this.#deps.store.replaceOwnJob(retimed, (stored) => stored.state === job.state && stored.updatedAt === job.updatedAt && stored.dueAt === job.dueAt);
  }

  #queue(job: Job): void {
    if (!this.#deps.sends(job)) return;
    if (job.subjectKind === 'teamEvent') return this.#teamMessageNow(job.id);
    const key = `${job.subjectKind} ${job.subjectId}`;
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#deps.replan(`retime ${key}`, job.subjectKind, job.subjectId);
  }

  /** A team message has no plan to follow but "at once": due now, if planning may still change it. */
  #teamMessageNow(id: string): void {
    if (this.#queued.has(id)) return;
    this.#queued.add(id);
    this.#deps.enqueue(`retime ${id}`, async () => {
      this.#queued.delete(id);
      const { store, clock } = this.#deps;
      const job = await store.job(id);
      const now = clock.now();
      if (job?.state !== 'planned' || job.dueAt <= now + IMMEDIATE_MAX_WAIT_MS) return;
      await store.writePlanning([{ ...job, dueAt: now, updatedAt: new Date(now).toISOString() }]);
    });
  }

  /** The queued planning of a subject began: a later write queues it again. */
  started(kind: Job['subjectKind'], id: string): void {
    this.#queued.delete(`${kind} ${id}`);
  }
}
