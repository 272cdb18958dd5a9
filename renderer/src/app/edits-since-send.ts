/**
 * For an "add another" form that empties its fields once a save is answered: which fields were edited after the values
 * were sent. The saved item reaches its list over the storage channel, which can come before the command's answer (a
 * separate channel), so the person may already be typing the next item when the answer arrives; only the fields they
 * have not touched since are emptied.
 */
import { useState } from 'react';

export interface EditsSinceSend<Field extends string> {
  /** The form's values are being sent: no field counts as edited from here on. */
  sending(): void;
  edited(field: Field): void;
  /** Not edited since the last `sending()`: it still shows what was sent, and may be emptied. */
  untouched(field: Field): boolean;
}

export function editsSinceSend<Field extends string>(): EditsSinceSend<Field> {
  const edited = new Set<Field>();
  return {
    sending: () => edited.clear(),
    edited: (field) => void edited.add(field),
    untouched: (field) => !edited.has(field),
  };
}

/** One tracker for the component's lifetime, kept in state that is never set: nothing renders from it. */
export function useEditsSinceSend<Field extends string>(): EditsSinceSend<Field> {
  const [edits] = useState(() => editsSinceSend<Field>());
  return edits;
}
