/**
 * Whether the page ever showed something, however briefly: a transitional state (a name not loaded yet, a row that is
 * replaced a moment later) lasts a render or two, too short for a test to read it, but a MutationObserver sees every
 * DOM state React commits.
 */
import type { Page } from 'playwright-core';

let watches = 0;

/**
 * Starts watching for an element matching `selector` whose text matches `text` (any text when not given); answers a
 * function that tells whether one was on the page at any moment since.
 */
export async function watchEverShown(page: Page, selector: string, text?: RegExp): Promise<() => Promise<boolean>> {
  const key = `watch${++watches}`;
  await page.evaluate(
    ({ key, selector, source, flags }) => {
      const pattern = source === undefined ? undefined : new RegExp(source, flags);
      const matches = () => [...document.querySelectorAll(selector)].some((element) => !pattern || pattern.test(element.textContent ?? ''));
      const seen = ((window as unknown as { __everShown?: Record<string, boolean> }).__everShown ??= {});
      seen[key] = matches();
      const observer = new MutationObserver(() => {
        if (!seen[key] && matches()) {
          seen[key] = true;
          observer.disconnect();
        }
      });
      if (!seen[key]) observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    { key, selector, source: text?.source, flags: text?.flags },
  );
  return () => page.evaluate((key) => (window as unknown as { __everShown: Record<string, boolean> }).__everShown[key] === true, key);
}
