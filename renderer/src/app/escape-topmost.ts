/**
 * Escape closes the dialog it was pressed in, not the ones beneath, and an open dropdown before its dialog. Mantine's
 * modals and drawers each close on any Escape while open, so one pressed in a question over the visit card ("Cancel
 * the visit?", a payment) closed the card too, and one in a date field's calendar closed the form around it: a keyboard
 * user backing out lost the card or the form and their place. A dialog with others over it closes
 * through this instead (with its own closeOnEscape off): only when the key was not pressed inside another dialog nor
 * while a dropdown is open.
 */
import { useEffect, useEffectEvent, type RefObject } from 'react';

/**
 * Marks a part of a dialog that Escape closes before the dialog (a form opened inside the visit card): the dialog's
 * Escape skips keys pressed in it, and the part's own useEscapeClosesPart takes them.
 */
export const ESCAPE_PART = { 'data-escape-part': '' } as const;

export function useEscapeClosesTopmost(opened: boolean, dialogClass: string, close: () => void): void {
  const closeNow = useEffectEvent(close);
  useEffect(() => {
    if (!opened) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      // Pressed in a question over the card whose own handler came first and closed it: its field is gone from the
      // page, and the Escape was that question's ("Cancel the visit?" closed the card too when pressed in its reason).
      if (target?.isConnected === false) return;
      if (takenByDropdown(target)) return;
      const dialog = target?.closest('[role="dialog"]');
      if (dialog && !dialog.classList.contains(dialogClass)) return;
      if (target?.closest('[data-escape-part]')) return;
      closeNow();
    };
    // Captured at the window when the dialog opens, so before what opens later handles the key: a select closes its list
    // in its own handler, and the list would look closed here already.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [opened, dialogClass]);
}

/** Escape pressed inside `part` (marked with ESCAPE_PART) closes it, after any dropdown open in it. */
export function useEscapeClosesPart(part: RefObject<HTMLElement | null>, close: () => void): void {
  const closeNow = useEffectEvent(close);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.isComposing) return;
      const target = event.target instanceof Node ? event.target : null;
      if (!target || !part.current?.contains(target) || takenByDropdown(target instanceof Element ? target : null)) return;
      closeNow();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [part]);
}

/**
 * An open dropdown (a select's list, a date field's calendar) takes the Escape for itself. Mantine's own check, the
 * attribute, is set by selects only: Escape in the Move form's date picker closed the whole card.
 */
function takenByDropdown(target: Element | null): boolean {
  return target?.getAttribute('data-mantine-stop-propagation') === 'true' || dropdownShown();
}

/**
 * Selects keep their closed dropdowns in the page, hidden: only one shown counts. A dropdown with an exit transition
 * counts until it is gone, so those in dialogs close at once (selects do; the date field's calendar: fields.tsx).
 */
function dropdownShown(): boolean {
  return [...document.querySelectorAll<HTMLElement>('.mantine-Popover-dropdown')].some((dropdown) => dropdown.checkVisibility());
}
