/**
 * Unsaved-changes guard. A form with edits registers itself (`useUnsavedChanges`); anything that would take it off
 * the screen — another screen, another client or notification type, another settings tab — goes through
 * `confirmDiscard()`, which asks the person (UnsavedPrompt) and answers whether to go on. Closing the window with
 * unsaved edits asks the browser's own question. Forms with nothing unsaved cost nothing.
 */
import { useEffect, useId, useSyncExternalStore } from 'react';

const dirtyForms = new Set<string>();
/** The question on screen: who waits for the answer, and the event that asked it. */
let asking: { answer(discard: boolean): void; promise: Promise<boolean>; askedBy: Event | undefined } | undefined;
/** The last answer and the event that gave it. */
let answered: { discard: boolean; by: Event | undefined } | undefined;
const listeners = new Set<() => void>();

/**
 * The event being dispatched, if any. One Escape reaches every open dialog's window listener — the prompt's and the
 * card's or form's behind it — in the order they were mounted, so the prompt must not take the Escape that opened it
 * as its answer, and the dialog behind must not ask again because of the Escape that answered it.
 */
function currentEvent(): Event | undefined {
  // `window.event` is deprecated for handlers, which get their event; here it is the only way to tell one dispatch from the next.
  return typeof window === 'undefined' ? undefined : window.event;
}

function emit(): void {
  for (const listener of listeners) listener();
}

function beforeUnload(event: BeforeUnloadEvent): void {
  if (dirtyForms.size === 0) return;
  event.preventDefault();
}

/** Registers the calling form while `dirty`. */
export function useUnsavedChanges(dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return;
    dirtyForms.add(id);
    if (dirtyForms.size === 1) window.addEventListener('beforeunload', beforeUnload);
    return () => {
      dirtyForms.delete(id);
      if (dirtyForms.size === 0) window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [dirty, id]);
}

export function hasUnsavedChanges(): boolean {
  return dirtyForms.size > 0;
}

/** True at once when nothing is unsaved; else asks, and answers true when the person chose to discard the edits. */
export function confirmDiscard(): Promise<boolean> {
  if (dirtyForms.size === 0) return Promise.resolve(true);
  // Asked again while the question is open (the dialog behind the prompt heard the same key): the same question.
  if (asking) return asking.promise;
  const event = currentEvent();
  // The event that just answered the question, heard now by the dialog behind the prompt: that answer stands.
  if (event !== undefined && answered?.by === event) return Promise.resolve(answered.discard);
  let resolve!: (discard: boolean) => void;
  const promise = new Promise<boolean>((done) => (resolve = done));
  asking = {
    promise,
    askedBy: event,
    answer(discard) {
      asking = undefined;
      answered = { discard, by: currentEvent() };
      emit();
      resolve(discard);
    },
  };
  emit();
  return promise;
}

/** For UnsavedPrompt: whether a question is open, how to answer it, and how to dismiss it (Escape, the close button). */
export function useDiscardQuestion(): { open: boolean; answer(discard: boolean): void; dismiss(): void } {
  const open = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => asking !== undefined,
  );
  return {
    open,
    answer: (discard) => asking?.answer(discard),
    // Dismissed means "keep editing", unless it is the very Escape that asked the question.
    dismiss: () => {
      const event = currentEvent();
      if (asking && (event === undefined || event !== asking.askedBy)) asking.answer(false);
    },
  };
}
