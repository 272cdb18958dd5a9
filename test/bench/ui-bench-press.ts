/**
 * bench:ui's measured clicks, pressed with the mouse as a person does (CDP Input events through Playwright's
 * page.mouse): pointerdown, mousedown, focus, pointerup, click, in that order, at the element's place on screen.
 * `element.click()` fired a bare click: no press, so none of what the page does on a press ran (the gesture note that
 * tells the host to make way, a visit's prefetch), and the timing started at the click. Here it starts at the press:
 * the pointerdown event's own time, so a press that waited for the page's thread is counted too.
 */
import type { Page } from 'playwright-core';

/** What one click measured: ms until `done()` held, ms until the next frame, and the page-clock window it spans. */
export interface ClickTiming {
  domMs: number;
  frameMs: number;
  /** Page clock (performance.now()) of the press and of the frame after `done()` held (for the long-task check). */
  from: number;
  to: number;
  /** Press → click event (the release came that much later; CDP round trips): part of domMs and frameMs. */
  pressToClickMs: number;
}

interface Point {
  x: number;
  y: number;
}

/**
 * The middle of the element `click` (function source, called with `arg`) picks, brought into view first if it is not;
 * refused when something else would take the press there (an overlay, a clipped element).
 */
async function pressPoint(page: Page, click: string, arg: unknown): Promise<Point> {
  return page.evaluate(
    async ({ click, arg }) => {
      const target = new Function('arg', `return (${click})(arg);`)(arg) as HTMLElement | null;
      if (!target) throw new Error(`nothing to click for ${click}`);
      const middle = () => {
        const box = target.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      };
      const landsOn = (point: { x: number; y: number }) => {
        const inView = point.x >= 0 && point.y >= 0 && point.x < innerWidth && point.y < innerHeight;
        return inView ? document.elementFromPoint(point.x, point.y) : null;
      };
      let point = middle();
      // Out of view, or hidden by its scrolling container (a long list of options) or a sticky header over it: scrolled
      // to the middle, as a person would (scrolled only to the nearest edge, a day block stayed under the staff header).
      if (!target.contains(landsOn(point))) {
        target.scrollIntoView({ block: 'center', inline: 'nearest' });
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        point = middle();
      }
      const hit = landsOn(point);
      // A control inside the element (a row's own buttons) would take the press for itself.
      const control = hit?.closest('button, a, input, select, textarea, [role="option"]');
      if (!hit || !target.contains(hit) || (control && control !== target && target.contains(control))) {
        throw new Error(`${click}: the press would land on ${hit?.outerHTML.slice(0, 120) ?? 'nothing'}`);
      }
      return point;
    },
    { click, arg },
  );
}

/**
 * Presses the element `click` picks and resolves with the ms from the press until `done(arg)` first holds after a
 * DOM change (or the click), and until the next frame after that. The pointer moves there first and the page gets a
 * frame to show the hover, outside the measured window, as a person's pointer arrives before the press. The button is
 * released right after the press (Playwright's default: no hold). `beforePress` runs after all that, right before it.
 */
export async function pressAndTime(page: Page, click: string, done: string, arg: unknown, beforePress?: () => Promise<void>): Promise<ClickTiming> {
  const point = await pressPoint(page, click, arg);
  await page.mouse.move(point.x, point.y);
  await page.evaluate(
    async ({ done, arg }) => {
      const isDone = new Function('arg', `return (${done})(arg);`) as (a: unknown) => boolean;
      const bench = window as unknown as { __benchPress?: Promise<ClickTiming> };
      bench.__benchPress = new Promise<ClickTiming>((resolve, reject) => {
        let t0: number | undefined;
        let clickedAt = Number.NaN;
        let finished = false;
        const timeout = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`timed out waiting for ${done}${t0 === undefined ? ' (the press never came)' : Number.isNaN(clickedAt) ? ' (no click came)' : ''}`));
        }, 20_000);
        const finish = () => {
          if (t0 === undefined || finished || !isDone(arg)) return;
          finished = true;
          const from = t0;
          const domMs = performance.now() - from;
          observer.disconnect();
          clearTimeout(timeout);
          removeEventListener('click', onClick, true);
          removeEventListener('click', finish);
          requestAnimationFrame(() => setTimeout(() => {
            const to = performance.now();
            performance.mark('bench-frame');
            resolve({ domMs, frameMs: to - from, from, to, pressToClickMs: clickedAt - from });
          }, 0));
        };
        const observer = new MutationObserver(finish);
        addEventListener(
          'pointerdown',
          (event) => {
            // The press's own time, from before any of its handlers ran (also the app's capture-phase ones).
            t0 = event.timeStamp;
            // What the press landed on, for a `done` that asks what became of it (a list may have moved under the
            // pointer since the element was picked): the element, and whether it was in an open one ([data-open]).
            Object.assign(window, { __benchPressed: event.target, __benchPressedInOpen: event.target instanceof Element && event.target.closest('[data-open]') !== null });
            // In a trace (UI_BENCH_SWITCH_TRACE) the marks bound each measured click.
            performance.mark('bench-click');
            observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          },
          { capture: true, once: true },
        );
        const onClick = (event: Event) => {
          if (t0 !== undefined && Number.isNaN(clickedAt)) clickedAt = event.timeStamp;
        };
        addEventListener('click', onClick, true);
        // After the click's handlers: a change they made synchronously may already be the answer.
        addEventListener('click', finish);
        // A disabled button gets no click: whether it was already done is checked once the button is up.
        (window as unknown as { __benchReleased: () => void }).__benchReleased = finish;
      });
      // A rejection is read by the wait below; unread meanwhile it must not count as unhandled.
      bench.__benchPress.catch(() => undefined);
      // The hover's frame.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    },
    { done, arg },
  );
  await beforePress?.();
  await page.mouse.down();
  await page.mouse.up();
  return page.evaluate(() => {
    const bench = window as unknown as { __benchPress: Promise<ClickTiming>; __benchReleased: () => void };
    bench.__benchReleased();
    return bench.__benchPress;
  });
}
