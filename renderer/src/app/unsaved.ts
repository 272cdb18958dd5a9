/**
 * Unsaved-changes guard. A form with edits registers itself (`useUnsavedChanges`); anything that would take it off
 * the screen — another screen, another client or notification type, another settings tab — goes through
 * `confirmDiscard()`, which asks the person (UnsavedPrompt) and answers whether to go on. Closing the window with
 * unsaved edits asks the browser's own question. Forms with nothing unsaved cost nothing.
 */
import { useEffect, useId, useSyncExternalStore } from 'react';

const dirtyForms = new Set<string>();
/** The question on screen, and who waits for the answer. */
let asking: ((discard: boolean) => void) | undefined;
const listeners = new Set<() => void>();

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
  asking?.(false);
  return new Promise((resolve) => {
    asking = (discard) => {
      asking = undefined;
      emit();
      resolve(discard);
    };
    emit();
  });
}

/** For UnsavedPrompt: whether a question is open, and how to answer it. */
export function useDiscardQuestion(): { open: boolean; answer(discard: boolean): void } {
  const open = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => asking !== undefined,
  );
  return { open, answer: (discard) => asking?.(discard) };
}
