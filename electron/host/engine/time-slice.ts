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

/**
 * A gesture in the window (a visit card opening, say) is several requests in a row, each sent when the previous answer
 * arrived; behind engine work that takes the event loop back after every turn, each waited for a slice of its own.
 * Work that can wait makes way while the window's requests keep coming, until they pause this long…
 */
export const WINDOW_QUIET_MS = 100;
/** …but no longer than this at a time, so a window that keeps asking does not stop the work. */
export const MAKE_WAY_MAX_MS = 250;

let lastWindowRequestAt = Number.NEGATIVE_INFINITY;

/** A request of the window (contract call or storage message) arrived. */
export function noteWindowRequest(): void {
  lastWindowRequestAt = performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether the window asked something within WINDOW_QUIET_MS: work that can wait would make way now. */
export function windowIsAsking(): boolean {
  return performance.now() - lastWindowRequestAt < WINDOW_QUIET_MS;
}

/** Waits while the window's requests keep arriving (at most MAKE_WAY_MAX_MS). */
async function makeWayForWindow(): Promise<void> {
  const started = performance.now();
  for (;;) {
    const now = performance.now();
    const quietFor = now - lastWindowRequestAt;
    const left = MAKE_WAY_MAX_MS - (now - started);
    if (quietFor >= WINDOW_QUIET_MS || left <= 0) return;
    await sleep(Math.min(WINDOW_QUIET_MS - quietFor, left));
  }
}

export interface TimeSliceOptions {
  /** The work can wait: at each turn it makes way for the window's requests while they keep coming. */
  makeWayForWindow?: boolean;
  /**
   * Asked at a turn where the window is asking, before making way: answers whether the work may stop for a while
   * here (false: it only yields). Work that holds something the window's requests may need (an open write
   * transaction) lets it go first, or declines.
   */
  readyToMakeWay?: () => boolean;
}

/** Time since engine work last let the event loop run; `breathe` yields once the slice is spent. */
export class TimeSlice {
  #since = performance.now();
  readonly #makeWay: boolean;
  readonly #readyToMakeWay: (() => boolean) | undefined;

  constructor(options: TimeSliceOptions = {}) {
    this.#makeWay = options.makeWayForWindow === true;
    this.#readyToMakeWay = options.readyToMakeWay;
  }

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
    if (this.#makeWay && windowIsAsking() && (this.#readyToMakeWay?.() ?? true)) await makeWayForWindow();
    this.#since = performance.now();
  }
}
