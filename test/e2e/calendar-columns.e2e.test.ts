/**
 * The day grid renders blocks only in the columns on screen and one beside them (column-window.ts): in a narrow
 * window the demo salon's specialists do not all fit, so the far columns start empty and fill as the grid scrolls,
 * every column still counts its visits, and a focused block keeps its column while the grid scrolls away from it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';

// 800 px: the demo salon's six columns do not all fit beside the navigation rail (App.tsx), one more than the view is mounted.
const sessions = useDemoSessions({ viewport: { width: 800, height: 800 } });

/** The next Tuesday (within the demo's visits), when most specialists work. */
function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

interface ColumnState {
  visits: number;
  mounted: boolean;
  blocks: number;
}

function columnStates(page: Page): Promise<ColumnState[]> {
  return page.getByTestId('calendar-column').evaluateAll((columns) =>
    columns.map((c) => ({ visits: Number(c.getAttribute('data-visits')), mounted: c.hasAttribute('data-mounted'), blocks: c.querySelectorAll('[data-testid="appointment-block"]').length })),
  );
}

/**
 * Scrolls the grid to its end and waits until the grid has taken the scroll (its last column mounted): the scroll
 * event comes with a frame and the columns it mounts with a render after it, later still on a busy machine.
 */
async function scrollToEnd(page: Page): Promise<void> {
  await page.getByTestId('calendar-day').evaluate((grid) => grid.scrollTo({ left: grid.scrollWidth }));
  await expect.poll(async () => (await columnStates(page)).at(-1)!.mounted).toBe(true);
}

describe('day grid columns off screen (demo salon, narrow window)', () => {
  it('mounts the blocks of the columns in view, counts every column, and fills the far ones when scrolled to', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());

    const atStart = await columnStates(page);
    expect(atStart.length).toBeGreaterThanOrEqual(5);
    // The first columns are mounted and complete; the last is too far right to be.
    expect(atStart[0]!.mounted).toBe(true);
    expect(atStart.at(-1)!.mounted).toBe(false);
    for (const column of atStart) expect(column.blocks).toBe(column.mounted ? column.visits : 0);
    const total = atStart.reduce((sum, c) => sum + c.visits, 0);
    expect(total).toBeGreaterThan(3);

    await scrollToEnd(page);
    const atEnd = await columnStates(page);
    expect(atEnd[0]!.mounted).toBe(false);
    expect(atEnd.at(-1)!.mounted).toBe(true);
    for (const column of atEnd) expect(column.blocks).toBe(column.mounted ? column.visits : 0);
    expect(atEnd.reduce((sum, c) => sum + c.visits, 0)).toBe(total);
    // A block of a column that came into view opens its visit like any other.
    const lastWithVisits = atEnd.findLastIndex((c) => c.visits > 0);
    await page.getByTestId('calendar-column').nth(lastWithVisits).getByTestId('appointment-block').first().click();
    await page.getByTestId('visit-client-name').waitFor();
  });

  it('at the start, puts blocks only in the columns in view before the first paint; the one beside them follows', async () => {
    const { host, page } = await sessions.open();
    // Every block added to the page until the frame that first shows blocks, removed or not, and the columns mounted
    // in that frame: a first render that mounts more columns than the grid shows adds (and then takes away) blocks.
    await page.addInitScript(() => {
      const seen = { added: 0, mountedAtPaint: -1, blocksAtPaint: -1 };
      (window as unknown as { __firstPaint: typeof seen }).__firstPaint = seen;
      // Elements, not records: a block added inside a subtree added in the same task is in both.
      const blocks = new Set<Element>();
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue;
            if (node.matches('[data-testid="appointment-block"]')) blocks.add(node);
            for (const block of node.querySelectorAll('[data-testid="appointment-block"]')) blocks.add(block);
          }
        }
        seen.added = blocks.size;
        if (seen.added === 0 || seen.mountedAtPaint >= 0) return;
        observer.disconnect();
        requestAnimationFrame(() => {
          seen.mountedAtPaint = document.querySelectorAll('[data-testid="calendar-column"][data-mounted]').length;
          seen.blocksAtPaint = document.querySelectorAll('[data-testid="appointment-block"]').length;
        });
      });
      observer.observe(document, { subtree: true, childList: true });
    });
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    await expect.poll(() => page.evaluate(() => (window as unknown as { __firstPaint: { mountedAtPaint: number } }).__firstPaint.mountedAtPaint)).toBeGreaterThan(0);
    const first = await page.evaluate(() => (window as unknown as { __firstPaint: { added: number; mountedAtPaint: number; blocksAtPaint: number } }).__firstPaint);
    const states = await columnStates(page);
    const inView = await page.getByTestId('calendar-day').evaluate((grid) => {
      const gridRight = grid.getBoundingClientRect().right;
      // The hour gutter (sticky, at the left) is not a column; a column in view starts left of the grid's right edge.
      return [...grid.querySelectorAll('[data-testid="calendar-column"]')].filter((c) => c.getBoundingClientRect().left < gridRight).length;
    });
    expect(inView).toBeLessThan(states.length);
    expect(first.mountedAtPaint).toBe(inView);
    expect(first.added).toBe(first.blocksAtPaint);
    // Once the page is idle, the column beside the view is mounted too (for Tab and a short scroll).
    await expect.poll(async () => (await columnStates(page)).filter((c) => c.mounted).length).toBe(inView + 1);
  });

  it('keeps the column of the focused block while the grid scrolls away from it', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    const index = (await columnStates(page)).findIndex((c) => c.visits > 0);
    expect(index).toBeGreaterThanOrEqual(0);
    const block = page.getByTestId('calendar-column').nth(index).getByTestId('appointment-block').first();
    const id = await block.getAttribute('data-appointment-id');
    await block.focus();

    await scrollToEnd(page);
    const scrolled = await columnStates(page);
    expect(scrolled[index]!.mounted).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-appointment-id'))).toBe(id);

    // Focus elsewhere: the next scroll lets the column go.
    await page.getByTestId('calendar-title').click();
    await page.getByTestId('calendar-day').evaluate((grid) => grid.scrollBy({ left: -1 }));
    await expect.poll(async () => (await columnStates(page))[index]!.mounted).toBe(false);
  });
});
