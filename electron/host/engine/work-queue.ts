/**
 * The engine's one queue: every piece of work (a plan, a dispatch pass, a re-arm of the timer) starts when the one
 * before it has ended, so planning and sending never interleave on the same job. A piece that fails is logged and the
 * queue goes on; one the disk refused is queued again a little later.
 */
import type { TimerHandle, Timers } from '../../../shared/time/clock.ts';
import { storageWriteProblem } from '../storage/storage-failure.ts';
import { TimeSlice } from './time-slice.ts';

/**
 * How soon work the disk refused (full, or an I/O error) is tried again. Nothing of it was written; without a retry a
 * failed dispatch pass left no timer armed, and the due messages waited for the next edit or start.
 */
export const STORAGE_RETRY_MS = 5_000;

export interface WorkQueueOptions {
  timers: Timers;
  log?: (line: string) => void;
  /** Work whose turn comes after this answers true is dropped (the engine has stopped). */
  stopped: () => boolean;
  /** Refused work is tried again only while this answers true (the engine runs: not while it stops). */
  retrying: () => boolean;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  #tail: Promise<void> = Promise.resolve();
  /** Pieces of work queued and not yet done. */
  #queued = 0;
  /** Since the queue last gave the event loop a turn. */
  readonly #slice = new TimeSlice();
  /** Work the disk refused, waiting to be tried again. */
  readonly #storageRetries = new Set<TimerHandle>();

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /** `what` names the work in the log. */
  enqueue(what: string, work: () => Promise<void>): void {
    // Work that finds the queue empty comes after the event loop's own turns: it starts a fresh slice, and a single
    // edit is planned without waiting for one more turn.
    if (this.#queued++ === 0) this.#slice.restart();
    this.#tail = this.#tail.then(async () => {
      try {
        if (this.#options.stopped()) return;
        // Queued pieces follow each other in microtasks: a burst of them (the edits made during a whole-book plan,
        // each a few durable commits) would otherwise hold the event loop for seconds.
        await this.#slice.breathe();
        await work();
      } catch (error) {
        this.#options.log?.(`engine: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (storageWriteProblem(error)) this.#retryAfterStorageFailure(what, work);
      } finally {
        this.#queued--;
      }
    });
  }

  /** Resolves when every piece queued so far is done (a retry still waiting for its timer is not queued yet). */
  idle(): Promise<void> {
    return this.#tail;
  }

  /** Refused work still waiting for its retry is given up: the engine stops. */
  cancelRetries(): void {
    for (const retry of this.#storageRetries) retry.cancel();
    this.#storageRetries.clear();
  }

  #retryAfterStorageFailure(what: string, work: () => Promise<void>): void {
    if (!this.#options.retrying()) return;
    const retry = this.#options.timers.after(STORAGE_RETRY_MS, () => {
      this.#storageRetries.delete(retry);
      this.enqueue(what, work);
    });
    this.#storageRetries.add(retry);
  }
}
