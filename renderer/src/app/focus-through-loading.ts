/**
 * A Mantine Button that is `loading` is disabled, and the browser takes focus off a disabled element (to the page): a
 * receptionist who pressed Enter on the client card's Save was left on nothing, and a screen reader said nothing about
 * where she was. This gives such a button its focus back when it is enabled again, if focus is still nowhere (nothing
 * else took it meanwhile) and the button is still on the page — for every button at once, so no save needs its own.
 */
export function keepFocusThroughLoading(doc: Document): () => void {
  let watching: MutationObserver | undefined;
  const stopWatching = () => {
    watching?.disconnect();
    watching = undefined;
  };
  const focusIsNowhere = () => doc.activeElement === null || doc.activeElement === doc.body;
  const onFocusOut = (event: FocusEvent) => {
    const button = event.target;
    if (!(button instanceof HTMLButtonElement) || event.relatedTarget !== null) return;
    // Mantine sets `disabled` and `data-loading` in one commit; the focus may leave between the two attributes.
    queueMicrotask(() => {
      if (!button.disabled || !button.hasAttribute('data-loading') || !focusIsNowhere()) return;
      stopWatching();
      const observer = new MutationObserver(() => {
        if (button.disabled) return;
        stopWatching();
        if (button.isConnected && focusIsNowhere()) button.focus({ preventScroll: true });
      });
      observer.observe(button, { attributes: true, attributeFilter: ['disabled'] });
      watching = observer;
    });
  };
  doc.addEventListener('focusout', onFocusOut);
  return () => {
    doc.removeEventListener('focusout', onFocusOut);
    stopWatching();
  };
}
