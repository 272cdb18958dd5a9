import { describe, expect, it } from 'vitest';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { demoWorkdayHash } from './support/demo-days.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';

const sessions = useDemoSessions();

describe('calendar while clients load (demo salon, web mode)', () => {
  it('never shows a visit without its client’s name: the week appears once its clients are there', async () => {
    let reads: HeldReads | undefined;
    // Held from the start: the day view asks for the clients of the days around the one it shows once painted
    // (calendar/prefetch-day.ts), so by the time a day is complete most of the week's clients may be read already.
    // A busy day: today's (a Sunday's) empty grid has no clients to wait for.
    const { page } = await sessions.open({
      hash: demoWorkdayHash(),
      beforeOpen: async (p) => {
        reads = await holdableReads(p, 'clients');
        reads.hold();
      },
    });
    const calendar = new CalendarPage(page);
    // The day's clients are held too: the day view shows its loader (see below), and the week view is a click away.
    await page.getByTestId('calendar-day-loading').waitFor();
    await calendar.switchView('week');
    // The week's visits have been read; none of their clients have.
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await calendar.screen.getByText('Loading…', { exact: true }).count()).toBe(0);
    expect(await calendar.weekGrid.getByTestId('appointment-block').count()).toBe(0);

    reads!.release();
    // A week's clients are many reads at once: on a loaded machine they take longer than the default poll.
    await expect.poll(() => calendar.weekGrid.getByTestId('appointment-block').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    const names = await calendar.weekGrid.locator('.fd-week-name').allInnerTexts();
    for (const name of names) expect(name).toMatch(/^\p{L}+ \p{L}/u);
  });

  it('shows a loader, never an empty grid, until the first day’s visits and their clients are read', async () => {
    let reads: HeldReads | undefined;
    // A busy day first: today may be a Sunday (closed) or a Saturday with ten visits in view.
    const { page } = await sessions.open({
      hash: demoWorkdayHash(),
      beforeOpen: async (p) => {
        reads = await holdableReads(p, 'appointments');
        reads.hold();
      },
    });
    const calendar = new CalendarPage(page);
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    const loader = page.getByTestId('calendar-day-loading');
    await loader.waitFor();
    // An empty grid would read as a day without bookings.
    expect(await calendar.dayGrid.count()).toBe(0);

    reads!.release();
    await expect.poll(() => calendar.dayGrid.getByTestId('appointment-block').count(), { timeout: 30_000 }).toBeGreaterThan(10);
    expect(await loader.count()).toBe(0);
  });
});
