/**
 * The engine's one dispatch timer: it sleeps until the next due job this desk may send — no polling — and is armed
 * again whenever the outbox changes. After a pass that could not send everything due, it holds back for a pause
 * instead of waking in a loop.
 */
import type { Clock, TimerHandle, Timers } from '../../../shared/time/clock.ts';
import type { DispatchPassOutcome } from './dispatch-pass.ts';
import type { DispatchScope, EngineStore } from './engine-store.ts';

/** How soon a job waiting for its subject is looked at again. */
const SUBJECT_RECHECK_MS = 1_000;

/** The longest pause before a blocked hand-off or a superseded job is looked at again (see afterPass). */
const RETRY_PAUSE_MS = 5_000;

export interface DispatchTimerDeps {
  store: EngineStore;
  clock: Clock;
  timers: Timers;
  /** The timer went off: a dispatch pass is due (the engine queues one). */
  wake: () => void;
}

export class DispatchTimer {
  readonly #deps: DispatchTimerDeps;
  #timer: TimerHandle | undefined;
  /** When the armed timer goes off, by the wall clock; undefined when none is armed. */
  #at: number | undefined;
  /** Refused hand-offs back off instead of retrying in a loop. */
  #retryAfter = 0;

  constructor(deps: DispatchTimerDeps) {
    this.#deps = deps;
  }

  /** A job due at `dueAt` would be sent late by the timer as armed: it goes off after that, or not at all. */
  wakesAfter(dueAt: number): boolean {
    return this.#at === undefined || dueAt < this.#at;
  }

  /** Sleeps until the next job due in `scope` (undefined: everything), held back by a pause after a pass. */
  async arm(scope: DispatchScope | undefined): Promise<void> {
    const { store, clock, timers } = this.#deps;
    const found = await store.nextDueAt(scope);
    // Refused hand-offs and jobs waiting for their subject hold back what the lease gates, not this desk's own toasts.
    // A clock set back must not turn a pause of seconds into hours.
    this.#retryAfter = Math.min(this.#retryAfter, clock.now() + RETRY_PAUSE_MS);
    const next = found === undefined ? undefined : scope?.onlyDeskToasts ? found : Math.max(found, this.#retryAfter);
    if (next === this.#at && this.#timer) return;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#at = next;
    if (next === undefined) return;
    const delay = Math.max(0, next - clock.now());
    this.#timer = timers.after(delay, () => {
      this.#timer = undefined;
      this.#at = undefined;
      this.#deps.wake();
    });
  }

  /** No timer until the next arm (nothing this desk may send, the engine stops, or the wall clock moved). */
  disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#at = undefined;
  }

  /** What a pass could not send decides how long the next arm holds back the jobs the lease gates. */
  afterPass({ blocked, deferred, superseded }: DispatchPassOutcome): void {
    const now = this.#deps.clock.now();
    // A superseded job still due (a merged version waiting for its retry, say) is looked at again a second later, not
    // in a loop.
    this.#retryAfter = blocked ? now + RETRY_PAUSE_MS : deferred ? now + SUBJECT_RECHECK_MS : superseded ? now + 1_000 : 0;
  }

  /** The dispatch permit changed: whatever was held back may be sendable now. */
  resume(): void {
    this.#retryAfter = 0;
  }
}
