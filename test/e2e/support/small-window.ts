/**
 * The desk on a cheap laptop: 1366×768 at Windows' 150 % scaling is a CSS viewport of about 911×512 (at 125 %,
 * 1093×614). What a receptionist needs there: every control in the window or in a scroller that reaches it, and no
 * page wider than the window.
 */
import type { Locator, Page } from 'playwright-core';

export const LAPTOP_150 = { viewport: { width: 911, height: 512 }, deviceScaleFactor: 1.5 } as const;

/** Whether the whole of the element is inside the window (not only scrolled to: the window itself). */
export async function withinWindow(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = locator.page().viewportSize();
  if (!box || !size) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 0.5 && box.y + box.height <= size.height + 0.5;
}

/** How far the page reaches past the window's right edge (0 when it needs no horizontal scroll). */
export function pageOverflowX(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Whether the element's text is cut off (it is wider than its box). */
export function textClipped(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.scrollWidth > element.clientWidth + 1);
}

/** Whether a click at the element's centre lands on it (nothing sticky or overlaid covers it there). */
export function onTopAtCentre(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && element.contains(hit);
  });
}
