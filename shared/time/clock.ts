/** Injected time: services never read the wall clock or start timers directly, so tests can drive them. */
export interface Clock {
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Calls `fn` once after `ms`; the handle cancels it. */
  after(ms: number, fn: () => void): TimerHandle;
}
