/**
 * A moment by both of a desk's clocks: the wall clock, which the user or NTP can set and which runs on while the
 * computer sleeps, and the monotonic one the timers follow, which cannot be set and stands still in sleep. A span
 * measured by both, the shorter, can be neither stretched by a clock set back nor skipped by one set forward.
 */
export interface Instant {
  wall: number;
  monotonic: number;
}

/** How long from `from` to `to` as far as both clocks agree: the shorter of the two spans. */
export function elapsed(from: Instant, to: Instant): number {
  return Math.min(to.wall - from.wall, to.monotonic - from.monotonic);
}
