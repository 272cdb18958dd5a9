/**
 * Keyboard-only walking for the e2e tests: presses Tab (or Shift+Tab) until the focused element is the one asked
 * for, and tells what has focus, so a test proves a flow can be done without the mouse.
 */
import type { Page } from 'playwright-core';

export interface Focused {
  testId: string | null;
  tag: string;
  text: string;
  /** The focus indicator as drawn: an outline of some width, or a box shadow; '' when nothing marks the focus. */
  indicator: string;
}

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { testId: null, tag: 'body', text: '', indicator: '' };
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : '';
    return {
      testId: element.getAttribute('data-testid'),
      tag: element.tagName.toLowerCase(),
      text: (element.getAttribute('aria-label') ?? element.innerText ?? '').slice(0, 80),
      indicator: outline || (style.boxShadow !== 'none' ? style.boxShadow : ''),
    };
  });
}

/**
 * Presses Tab until the focused element's data-testid is `testId` (or matches it); throws with the path walked when it
 * is not reached within `max` presses, which is what a keyboard user who cannot get there meets.
 */
export async function tabTo(page: Page, testId: string | RegExp, { max = 60, backwards = false } = {}): Promise<Focused> {
  const walked: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now.testId !== null && (typeof testId === 'string' ? now.testId === testId : testId.test(now.testId))) return now;
    walked.push(now.testId ?? `${now.tag}:${now.text}`);
  }
  throw new Error(`Tab did not reach ${String(testId)} within ${max} presses; it went through: ${walked.join(' → ')}`);
}

/** Waits until focus is inside `selector` (a dialog takes focus a moment after it shows). */
export async function focusMovedInto(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((inside) => document.activeElement?.closest(inside) != null, selector);
}

/** Opens the booking form with N, as the desk does on the calendar, and waits for focus in its client search. */
export async function newBookingByKeyboard(page: Page): Promise<void> {
  await page.keyboard.press('n');
  await page.locator('.mantine-Modal-content').waitFor();
  await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'client-select');
}

/**
 * In the booking form, from its client search (focused): the client found by `clientName`, the first specialist and
 * that specialist's first service, by keyboard only — each list opened with ArrowDown once Tab reached it (not on the
 * focus), the services' list closed with Escape. Leaves focus on the services field.
 */
export async function chooseBookingByKeyboard(page: Page, clientName: string): Promise<void> {
  await page.keyboard.type(clientName);
  await page.getByRole('option', { name: new RegExp(clientName) }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await tabTo(page, 'staff-select', { max: 1 });
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await tabTo(page, 'services-select', { max: 1 });
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

