/**
 * Where one of the visit card's edit forms (Move, Change length, Re-assign, Change services) opens: focus goes to its
 * first field as it opens, so the receptionist types the new date or time at once instead of tabbing into the form;
 * Escape in it closes the form, not the card (asking first when something was changed); and when the form goes —
 * Escape, its button pressed again, or a saved change — focus goes back to the button that opened it, not to the page.
 * Enter in a field saves, as in any form: the forms' Save buttons are its submit buttons.
 */
import { useEffect, useRef, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ESCAPE_PART, useEscapeClosesPart } from '../../app/escape-topmost.ts';

const FIRST_FIELD = 'input:not([type="hidden"]):not(:disabled), textarea:not(:disabled), button:not(:disabled)';

/** The Save button's own click saves; the submission itself must not load a page. */
const preventNavigation = (event: FormEvent) => event.preventDefault();

export function EditPanel({ opener, onClose, children }: { opener: RefObject<HTMLElement | null>; onClose(): void; children: ReactNode }) {
  const panel = useRef<HTMLFormElement>(null);
  useEscapeClosesPart(panel, onClose);
  useEffect(() => {
    const element = panel.current;
    element?.querySelector<HTMLElement>(FIRST_FIELD)?.focus();
    const card = element?.closest('[role="dialog"]');
    const button = opener.current;
    return () => {
      // Focus fell to the page with the form, or sits in the question that discarded it (which would give it back to
      // the form's field, gone by then). The card itself closing takes the opener with it.
      const active = document.activeElement;
      const lost = active === null || active === document.body || !card?.contains(active);
      if (lost && button?.isConnected) button.focus();
    };
  }, [opener]);
  return (
    <form ref={panel} onSubmit={preventNavigation} {...ESCAPE_PART}>
      {children}
    </form>
  );
}
