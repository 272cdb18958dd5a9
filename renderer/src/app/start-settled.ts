/**
 * The page's start has settled once the first screen has shown its data: the calendar's first day painted
 * (`day_ready`, then its frame and a moment with nothing else to do), or SETTLE_CAP_MS after this module ran on
 * another screen. Parts of the shell that nobody uses in the first second — tooltips, the toasts' container — mount
 * then: at start, their first render (floating-ui's hooks, compiled for the first time, portals) ran in the same
 * tasks as the answers the calendar waited for. Not while a pointer button or a key is held: a tooltip's control is
 * a new element once wrapped, and a click pressed on the old one and released on the new one would be lost.
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
  const settleUnlessHeld = settleWhenInputReleased(window, settle);
  void whenStartMarked('day_ready', SETTLE_CAP_MS).then(() => afterNextPaint(() => whenIdle(settleUnlessHeld, SETTLE_IDLE_MS)));
}

/**
 * Answers what calls `done` at once, or, while a pointer button or a key is held on `target`, in a task after it is
 * released (its click has then been dispatched). Listens on `target` until then.
 */
export function settleWhenInputReleased(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, done: () => void): () => void {
  let pointerHeld = false;
  const keysHeld = new Set<string>();
  let waiting = false;
  const options = { capture: true, passive: true };
  const listeners: [string, (event: Event) => void][] = [
    ['pointerdown', () => (pointerHeld = true)],
    ['pointerup', () => released(() => (pointerHeld = false))],
    ['pointercancel', () => released(() => (pointerHeld = false))],
    ['keydown', (event) => keysHeld.add((event as KeyboardEvent).code)],
    ['keyup', (event) => released(() => keysHeld.delete((event as KeyboardEvent).code))],
    // The window lost the focus (released elsewhere): nothing is held any more. An element's blur reaches this capture
    // listener too, and says nothing about the buttons (a press moves the focus before its release).
    ['blur', (event) => event.target === target && released(() => ((pointerHeld = false), keysHeld.clear()))],
  ];
  for (const [type, listener] of listeners) target.addEventListener(type, listener, options);
  const stop = () => {
    for (const [type, listener] of listeners) target.removeEventListener(type, listener, options);
  };
  const held = () => pointerHeld || keysHeld.size > 0;
  function released(update: () => void): void {
    update();
    if (waiting && !held()) {
      waiting = false;
      setTimeout(finish, 0);
    }
  }
  function finish(): void {
    stop();
    done();
  }
  return () => {
    if (held()) waiting = true;
    else finish();
  };
}

function subscribe(listener: () => void): () => void {
  watch();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isStartSettled(): boolean {
  watch();
  return settled;
}

/** False until the start has settled, then true for the life of the page. */
export function useStartSettled(): boolean {
  return useSyncExternalStore(subscribe, isStartSettled, () => true);
}
