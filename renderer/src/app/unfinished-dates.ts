/**
 * A date field's value is the last whole date typed in it: "15.12" typed over "12.12.2026" leaves the value on the
 * 12th. A form that saved then would book the day the field no longer shows. Each DateField inside a form's
 * UnfinishedDatesContext tells the form whether its text is its value; the form asks `allFinished()` before it saves,
 * and the first field that is not says what to finish and takes focus.
 */
import { createContext, useState } from 'react';

export interface DateFieldHandle {
  input: HTMLInputElement | null;
  /** The text shown is not the field's value (partly typed, or no date). */
  unfinished(): boolean;
  /** Shows what to finish. */
  tell(): void;
}

export class UnfinishedDates {
  readonly #fields = new Set<DateFieldHandle>();

  add(field: DateFieldHandle): () => void {
    this.#fields.add(field);
    return () => void this.#fields.delete(field);
  }

  /** True when every date field shows its value; else the first one on the page that does not says so and takes focus. */
  allFinished(): boolean {
    const unfinished = [...this.#fields].filter((field) => field.unfinished());
    if (unfinished.length === 0) return true;
    const [first] = unfinished.sort((a, b) => (a.input && b.input && a.input.compareDocumentPosition(b.input) & Node.DOCUMENT_POSITION_PRECEDING ? 1 : -1));
    for (const field of unfinished) field.tell();
    first?.input?.focus();
    return false;
  }
}

export const UnfinishedDatesContext = createContext<UnfinishedDates | null>(null);

/** One per form: give it to UnfinishedDatesContext around the form's fields, ask it in the form's save. */
export function useUnfinishedDates(): UnfinishedDates {
  return useState(() => new UnfinishedDates())[0];
}
