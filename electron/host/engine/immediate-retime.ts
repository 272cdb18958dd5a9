/**
 * Where this desk sends, a planned immediate message (immediate.ts) is never left waiting for a clock ahead of this
 * desk's: a client message due later than it could be by this desk's clock is planned again, which brings its due time
 * down to this desk's now; a team message (new booking, reschedule, cancellation: always sent at once) is made due now.
 * Another desk whose clock runs ahead timed it and its version reached this desk after the visit did (or won a sync
 * conflict), this desk's clock was set back after it planned it, or this desk took over the lease.
 */
import type { Job } from '../../../shared/domain/job.ts';
import { IMMEDIATE_MAX_WAIT_MS, isImmediate } from '../../../shared/engine/immediate.ts';
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
}

export class ImmediateRetime {
  readonly #deps: ImmediateRetimeDeps;
  /** Subjects queued already: a burst of job writes queues each once. */
  readonly #queued = new Set<string>();

  constructor(deps: ImmediateRetimeDeps) {
    this.#deps = deps;
  }

  /** A job was written (here or by sync): re-timed if it is an immediate message timed ahead of this desk. */
  written(job: Job): void {
    if (job.state !== 'planned' || !(job.subjectKind === 'teamEvent' || (job.channel === 'cascade' && isImmediate(job.type)))) return;
    if (job.dueAt > this.#deps.clock.now() + IMMEDIATE_MAX_WAIT_MS) this.#queue(job);
  }

  /** The clock was set back or the lease taken over: every such message this desk holds. */
  async all(): Promise<void> {
    for (const job of await this.#deps.store.plannedImmediateAfter(this.#deps.clock.now() + IMMEDIATE_MAX_WAIT_MS)) this.#queue(job);
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
