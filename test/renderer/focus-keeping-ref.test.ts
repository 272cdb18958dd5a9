import { describe, expect, it } from 'vitest';
import { focusKeepingRef, type FocusableNode } from '../../renderer/src/app/focus-keeping-ref.ts';

/** A page with a body and a focus, and elements that take it when asked. */
function page() {
  const doc: { activeElement: unknown; body: unknown } = { activeElement: null, body: { name: 'body' } };
  doc.activeElement = doc.body;
  const element = (name: string): FocusableNode & { name: string; focused: number } => ({
    name,
    focused: 0,
    ownerDocument: doc,
    focus() {
      this.focused++;
      doc.activeElement = this;
    },
  });
  return { doc, element };
}

describe('focusKeepingRef', () => {
  it('gives the focus to the element that replaces the focused one', () => {
    const { doc, element } = page();
    const ref = focusKeepingRef();
    const before = element('before');
    ref(before);
    before.focus();
    ref(null);
    // Removed from the page, the element takes the focus with it.
    doc.activeElement = doc.body;
    const after = element('after');
    ref(after);
    expect(doc.activeElement).toBe(after);
    expect(after.focused).toBe(1);
  });

  it('leaves the focus alone when the replaced element did not have it, or the focus went elsewhere meanwhile', () => {
    const { doc, element } = page();
    const ref = focusKeepingRef();
    const first = element('first');
    ref(first);
    ref(null);
    const second = element('second');
    ref(second);
    expect(second.focused).toBe(0);
    expect(doc.activeElement).toBe(doc.body);

    second.focus();
    ref(null);
    const elsewhere = element('elsewhere');
    doc.activeElement = elsewhere;
    const third = element('third');
    ref(third);
    expect(third.focused).toBe(0);
    expect(doc.activeElement).toBe(elsewhere);
  });

  it('keeps the focus where it is when React attaches the same element again', () => {
    const { doc, element } = page();
    const ref = focusKeepingRef();
    const only = element('only');
    ref(only);
    only.focus();
    ref(null);
    ref(only);
    expect(doc.activeElement).toBe(only);
    expect(only.focused).toBe(1);
  });
});
