/**
 * Where one of the visit card's edit forms (Move, Change length, Re-assign, Change services) opens: the drawer scrolls to
 * the whole form and focus goes to its first field as it opens, so the receptionist sees it and types the new date or
 * time at once instead of tabbing into the form; Escape in it closes the form, not the card (asking first when something
 * was changed); and when the form goes — Escape, its button pressed again, or a saved change — focus goes back to the
 * button that opened it, not to the page.
 * Enter in a field saves, as in any form: the forms' Save buttons are its submit buttons.
 */
import { useEffect, useRef, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ESCAPE_PART, useEscapeClosesPart } from '../../app/escape-topmost.ts';

/** A field before any button: the services' first "field" in document order is a chosen service's remove button. */
const FIRST_FIELD = 'input:not([type="hidden"]):not(:disabled), textarea:not(:disabled)';
const FIRST_BUTTON = 'button:not(:disabled)';

/** The Save button's own click saves; the submission itself must not load a page. */
const preventNavigation = (event: FormEvent) => event.preventDefault();

export function EditPanel({ opener, onClose, children }: { opener: RefObject<HTMLElement | null>; onClose(): void; children: ReactNode }) {
  const panel = useRef<HTMLFormElement>(null);
  useEscapeClosesPart(panel, onClose);
  useEffect(() => {
    const element = panel.current;
    (element?.querySelector<HTMLElement>(FIRST_FIELD) ?? element?.querySelector<HTMLElement>(FIRST_BUTTON))?.focus({ preventScroll: true });
    // The form opens under the card's buttons, often at the drawer's bottom edge: the whole of it comes into sight
    // (focus alone would scroll just the field, leaving the hint and the room for a refusal under the edge).
    element?.scrollIntoView({ block: 'nearest' });
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
