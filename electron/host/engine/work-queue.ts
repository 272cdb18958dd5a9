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

/**
 * While the disk keeps refusing a piece of work, the log says so at these refusals (the 12th is a minute in at one
 * retry every 5 s), then every REFUSALS_LOGGED_EVERY-th (an hour): a stack every 5 s filled the log — on a full disk.
 */
const REFUSALS_LOGGED = new Set([1, 2, 12, 120]);
const REFUSALS_LOGGED_EVERY = 720;

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
  /** Pieces that plan a change of the book, queued and not yet started (see `planningWaits`). */
  #planningWaiting = 0;
  /** Since the queue last gave the event loop a turn. */
  readonly #slice = new TimeSlice();
  /** Work the disk refused, waiting to be tried again. */
  readonly #storageRetries = new Set<TimerHandle>();
  /** By the work's name, how often the disk refused it since it last went through: how much the log says. */
  readonly #refusals = new Map<string, number>();

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /**
   * `what` names the work in the log. `plansChange`: the piece plans a change of the book (an edit, a setting), which
   * long work running before it lets through first (`planningWaits`).
   */
  enqueue(what: string, work: () => Promise<void>, options: { plansChange?: boolean } = {}): void {
    this.#run(what, work, false, options.plansChange === true);
  }

  /**
   * A change of the book waits behind the piece running now. A dispatch pass over a backlog ends early when one does
   * and queues the rest behind it: the change's jobs are planned within a job's send, not after the whole backlog,
   * and nothing goes out on the plan the change replaces.
   */
  planningWaits(): boolean {
    return this.#planningWaiting > 0;
  }

  #run(what: string, work: () => Promise<void>, retried: boolean, plansChange: boolean): void {
    // Work that finds the queue empty comes after the event loop's own turns: it starts a fresh slice, and a single
    // edit is planned without waiting for one more turn.
    if (this.#queued++ === 0) this.#slice.restart();
    if (plansChange) this.#planningWaiting++;
    this.#tail = this.#tail.then(async () => {
      if (plansChange) this.#planningWaiting--;
      try {
        if (this.#options.stopped()) return;
        // Queued pieces follow each other in microtasks: a burst of them (the edits made during a whole-book plan,
        // each a few durable commits) would otherwise hold the event loop for seconds.
        await this.#slice.breathe();
        await work();
        const refused = retried ? this.#refusals.get(what) : undefined;
        if (refused !== undefined) {
          this.#refusals.delete(what);
          this.#options.log?.(`engine: ${what} went through, the disk takes writes again (refused ${refused} times before)`);
        }
      } catch (error) {
        const problem = storageWriteProblem(error);
        if (problem) {
          this.#refused(what, problem, error);
          this.#retryAfterStorageFailure(what, work, plansChange);
        } else this.#options.log?.(`engine: ${what} failed: ${describe(error)}`);
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
    this.#refusals.clear();
  }

  #retryAfterStorageFailure(what: string, work: () => Promise<void>, plansChange: boolean): void {
    if (!this.#options.retrying()) return;
    const retry = this.#options.timers.after(STORAGE_RETRY_MS, () => {
      this.#storageRetries.delete(retry);
      this.#run(what, work, true, plansChange);
    });
    this.#storageRetries.add(retry);
  }

  #refused(what: string, problem: string, error: unknown): void {
    const count = (this.#refusals.get(what) ?? 0) + 1;
    this.#refusals.set(what, count);
    if (count === 1) this.#options.log?.(`engine: ${what} failed, the disk refused the write (${problem}); it is tried again every ${STORAGE_RETRY_MS / 1000} s: ${describe(error)}`);
    else if (REFUSALS_LOGGED.has(count) || count % REFUSALS_LOGGED_EVERY === 0) this.#options.log?.(`engine: ${what} still refused by the disk (${problem}), ${count} times so far`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
