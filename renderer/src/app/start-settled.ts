/**
 * The page's start has settled once the first screen has shown its data: the calendar's first day painted
 * (`day_ready`, then its frame and a moment with nothing else to do), or SETTLE_CAP_MS after this module ran on
 * another screen. Parts of the shell that nobody uses in the first second — tooltips, the toasts' container — mount
 * then: at start, their first render (floating-ui's hooks, compiled for the first time, portals) ran in the same
 * tasks as the answers the calendar waited for.
 */
import { useSyncExternalStore } from 'react';
import { whenStartMarked } from './start-marks.ts';
import { afterNextPaint, whenIdle } from './when-idle.ts';

/** The longest the start waits for the calendar's first day before it counts as settled anyway. */
export const SETTLE_CAP_MS = 1500;
/** After the first day's frame, at most this long for a moment with nothing else to do. */
const SETTLE_IDLE_MS = 300;

let settled = false;
const listeners = new Set<() => void>();
let started = false;

function settle(): void {
  if (settled) return;
  settled = true;
  for (const listener of [...listeners]) listener();
}

function watch(): void {
  if (started) return;
  started = true;
  if (typeof window === 'undefined') return settle();
  void whenStartMarked('day_ready', SETTLE_CAP_MS).then(() => afterNextPaint(() => whenIdle(settle, SETTLE_IDLE_MS)));
}

function subscribe(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isStartSettled(): boolean {
  watch();
  return settled;
}

/** False until the start has settled, then true for the life of the page. */
export function useStartSettled(): boolean {
  return useSyncExternalStore(subscribe, isStartSettled, () => true);
}
