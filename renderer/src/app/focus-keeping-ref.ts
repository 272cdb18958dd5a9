/**
 * A callback ref for an element that React may replace with a new one of the same control (a wrapper added around it,
 * as SettledTooltip does once the start has settled): if the element had the focus as it was taken away (the focus
 * then falls to the page), the element that replaces it gets the focus back. Focus that went elsewhere stays there.
 * React detaches the old element's ref while it is still in the page, and attaches the new one's once it is in.
 */
export interface FocusableNode {
  readonly ownerDocument: { readonly activeElement: unknown; readonly body: unknown };
  focus(options?: { preventScroll?: boolean }): void;
}

export function focusKeepingRef<T extends FocusableNode>(): (node: T | null) => void {
  let current: T | null = null;
  let hadFocus = false;
  return (node) => {
    if (node === null) {
      hadFocus = current !== null && current.ownerDocument.activeElement === current;
    } else if (hadFocus) {
      hadFocus = false;
      const active = node.ownerDocument.activeElement;
      if (active === null || active === node.ownerDocument.body) node.focus({ preventScroll: true });
    }
    current = node;
  };
}
