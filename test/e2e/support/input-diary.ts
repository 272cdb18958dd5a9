/**
 * What the page received of the pointer and the keyboard, for a failed test's report. A click that "did nothing" in CI
 * (a Save whose form stayed as it was) could be a click the page never got, one that landed on something else, or one
 * on a disabled button: the diary tells them apart. Installed before the app's scripts run; costs a few entries a test.
 */
import type { Page } from 'playwright-core';

const DIARY_SIZE = 40;

export async function keepInputDiary(page: Page): Promise<void> {
  await page.addInitScript((size: number) => {
    const diary: string[] = [];
    const describe = (target: EventTarget | null): string => {
      if (!(target instanceof Element)) return String(target);
      const owner = target.closest('[data-testid]');
      const button = target.closest('button');
      const name = owner ? `[${owner.getAttribute('data-testid')}]` : target.tagName.toLowerCase();
      return `${name}${owner !== target ? ` > ${target.tagName.toLowerCase()}` : ''}${button?.disabled ? ' (disabled)' : ''}${button?.hasAttribute('data-loading') ? ' (loading)' : ''}`;
    };
    const note = (event: Event) => {
      const point = event instanceof MouseEvent ? ` at ${Math.round(event.clientX)},${Math.round(event.clientY)}` : '';
      const key = event instanceof KeyboardEvent ? ` ${event.key}` : '';
      diary.push(`${Math.round(performance.now())} ms ${event.type}${key}${point} → ${describe(event.target)}${event.isTrusted ? '' : ' (synthetic)'}`);
      if (diary.length > size) diary.shift();
    };
    for (const type of ['pointerdown', 'pointerup', 'click', 'keydown', 'focusin']) window.addEventListener(type, note, { capture: true, passive: true });
    Object.defineProperty(window, '__fdInputDiary', { value: diary });
  }, DIARY_SIZE);
}

/** The diary's entries, newest last. */
export function readInputDiary(page: Page): Promise<string[]> {
  return page.evaluate(() => ((window as unknown as { __fdInputDiary?: string[] }).__fdInputDiary ?? []).slice());
}
