/**
 * While the window's requests keep coming, the host's background work (a backlog of due messages after the desk was
 * closed for hours, say) makes way for them (electron/host/engine/time-slice.ts). Many gestures send nothing: a day
 * switch to a day the page has read, a card's drawer, a menu. Their frames still need the same cores as the host's
 * work, so a click or a key tells the host too ('app.gesture'), in its capture phase, before the page handles it.
 */

/** The gestures that count: a press starts one, a click or key (an arrow held down repeats) is one. */
const GESTURE_EVENTS = ['pointerdown', 'click', 'keydown'] as const;

/** One note per this many ms at most: a held key or a double click is one gesture for the host. */
export const GESTURE_NOTE_GAP_MS = 30;

/** Listens on `target` until the returned function is called; `tell` must not throw (its failures are the caller's). */
export function reportGestures(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, tell: () => void, now: () => number = () => performance.now()): () => void {
  let last = Number.NEGATIVE_INFINITY;
  const onGesture = () => {
    const at = now();
    if (at - last < GESTURE_NOTE_GAP_MS) return;
    last = at;
    tell();
  };
  const options = { capture: true, passive: true };
  for (const type of GESTURE_EVENTS) target.addEventListener(type, onGesture, options);
  return () => {
    for (const type of GESTURE_EVENTS) target.removeEventListener(type, onGesture, options);
  };
}
