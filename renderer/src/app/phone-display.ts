/**
 * Phone numbers as people read them ("+49 151 23456789") on the screens the start paints (the calendar's hover card,
 * the visit card). The formatter needs libphonenumber's metadata (~120 kB), which would otherwise join the start
 * bundle: it loads on its own when a number is first shown, which shows as stored (E.164) until then.
 */
import { useSyncExternalStore } from 'react';

type Format = (value: string) => string;

/** Before the formatter is there: the number as stored, and the formatter asked for (its first use loads it). */
const asStored: Format = (value) => {
  load();
  return value;
};
let format: Format | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function load(): void {
  loading ??= import('../../../shared/domain/phone.ts').then(
    (phone) => {
      format = phone.displayPhone;
      for (const listener of listeners) listener();
    },
    () => {
      // The numbers stay as stored; a later call tries again.
      loading = undefined;
    },
  );
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The formatter, once loaded (the component renders again then); numbers as stored until it is. */
export function useDisplayPhone(): Format {
  return useSyncExternalStore(subscribe, () => format ?? asStored);
}
