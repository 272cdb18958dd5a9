/**
 * node:sqlite is synchronous, so the engine's storage calls never wait on anything: a whole-book plan or a dispatch
 * pass over a backlog would otherwise run as one uninterrupted task, and nothing else — the UI's commands and
 * queries, timers, RxDB's own deferred bookkeeping — would run until it ends. Long engine work gives the event loop
 * a turn whenever it has worked a slice's length without one.
 */

/** A turn of the event loop: timers, I/O (the UI's requests) and everything queued meanwhile run before it resolves. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * How long engine work runs without giving the event loop a turn, so that a request of the UI waits at most about
 * this long (plus the storage call under way, which cannot be cut: see PLANNING_WRITE_BATCH in book-planner.ts).
 */
export const ENGINE_SLICE_MS = 20;

/** Time since engine work last let the event loop run; `breathe` yields once the slice is spent. */
export class TimeSlice {
  #since = performance.now();

  /** Answers whether it yielded (others may have written meanwhile). */
  async breathe(): Promise<boolean> {
    if (performance.now() - this.#since < ENGINE_SLICE_MS) return false;
    await this.yield();
    return true;
  }

  /** Starts a fresh slice without yielding: the event loop has just had its turns (work resumes after idling). */
  restart(): void {
    this.#since = performance.now();
  }

  /** Yields now and starts a fresh slice (before a task that cannot be cut, such as a write transaction). */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.#since = performance.now();
  }
}
