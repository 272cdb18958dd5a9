import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { axeViolations } from './support/axe.ts';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { AppShellPage } from './support/pages/app-shell.page.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';
import { NotificationCenterPage } from './support/pages/notification-center.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { startWebHost, type WebHost } from './support/web-host.ts';

/** Switches the theme with the header toggle, then blurs it so its tooltip stays out of the screenshots. */
async function setScheme(shell: AppShellPage, scheme: 'light' | 'dark'): Promise<void> {
  await shell.setColorScheme(scheme);
  await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shell.page.waitForTimeout(200);
}

/**
 * The day blocks whose colours are not what the calendar mixes from their specialist's colour (the column header
 * avatar's --fd-c) and the scheme's body and text colours: the edge in the colour, a ring of 22% of it, the tint 18%
 * (completed 9%; cancelled and no-show striped 8% / 18%, their name struck through), the secondary text 82% text
 * colour; a status line's dot in the status's Mantine colour (shade 6). Each expected value is worked out by the
 * browser on a probe element from the same color-mix() the blocks once carried themselves.
 */
async function blockColourMismatches(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const grid = document.querySelector('[data-testid="calendar-day"]')!;
    const headers = [...grid.querySelectorAll('[data-testid="staff-column-header"]')];
    const probe = document.createElement('span');
    probe.style.position = 'absolute';
    grid.append(probe);
    const computed = (property: 'color' | 'boxShadow' | 'backgroundImage', value: string) => {
      probe.style[property] = value;
      return getComputedStyle(probe)[property];
    };
    const wrong: string[] = [];
    let checked = 0;
    grid.querySelectorAll('[data-testid="calendar-column"]').forEach((column, index) => {
      const colour = headers[index]?.querySelector<HTMLElement>('.fd-head-avatar')?.style.getPropertyValue('--fd-c');
      if (!colour) return;
      for (const block of column.querySelectorAll<HTMLElement>('[data-testid="appointment-block"]')) {
        const status = block.getAttribute('data-status');
        const striped = status === 'cancelled' || status === 'noShow';
        const tint = (percent: number) => `color-mix(in srgb, ${colour} ${percent}%, var(--mantine-color-body))`;
        const style = getComputedStyle(block);
        const dim = block.querySelector('.fd-dim');
        const statusLine = block.querySelector('.fd-status-line');
        const name = block.querySelector('.fd-name')!;
        const dotColour = { confirmed: 'indigo', arrived: 'teal', completed: 'gray', cancelled: 'red', noShow: 'orange' }[status ?? ''] ?? 'gray';
        const expected: [string, string, string][] = [
          ['edge', style.borderLeftColor, computed('color', colour)],
          ['ring', style.boxShadow, striped ? 'none' : computed('boxShadow', `inset 0 0 0 1px color-mix(in srgb, ${colour} 22%, transparent)`)],
          ['tint', style.backgroundColor, striped ? 'rgba(0, 0, 0, 0)' : computed('color', tint(status === 'completed' ? 9 : 18))],
          ['stripes', style.backgroundImage, striped ? computed('backgroundImage', `repeating-linear-gradient(135deg, ${tint(8)} 0 6px, ${tint(18)} 6px 12px)`) : 'none'],
          ['text', style.color, computed('color', 'var(--mantine-color-text)')],
          ['name', getComputedStyle(name).textDecorationLine, striped ? 'line-through' : 'none'],
          ...(dim ? [['secondary text', getComputedStyle(dim).color, computed('color', `color-mix(in srgb, var(--mantine-color-text) 82%, ${colour})`)] as [string, string, string]] : []),
          ...(statusLine ? [['status dot', getComputedStyle(statusLine, '::before').backgroundColor, computed('color', `var(--mantine-color-${dotColour}-6)`)] as [string, string, string]] : []),
        ];
        checked++;
        for (const [what, actual, want] of expected) if (actual !== want) wrong.push(`${block.getAttribute('data-appointment-id')} ${what}: ${actual}, not ${want}`);
      }
    });
    probe.remove();
    return checked > 3 ? wrong : [`only ${checked} blocks checked`];
  });
}

/**
 * Day blocks with an element inside that clips: a block's lines are its own, parted by line breaks, and the block's
 * clip ends each with an ellipsis (a clip per line was ~300 more clips to paint at a day switch).
 */
async function blocksClippingInside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const blocks = [...document.querySelectorAll<HTMLElement>('[data-testid="calendar-day"] [data-testid="appointment-block"]')];
    const wrong = blocks.flatMap((block) => {
      const style = getComputedStyle(block);
      const inner = [...block.querySelectorAll('*')].filter((el) => getComputedStyle(el).overflowX !== 'visible');
      const ellipsis = style.textOverflow === 'ellipsis' && style.overflowX === 'hidden' && style.whiteSpace === 'pre';
      return inner.length > 0 || !ellipsis ? [`${block.getAttribute('data-appointment-id')}: ${inner.length} clips inside, text-overflow ${style.textOverflow}`] : [];
    });
    return blocks.length > 3 ? wrong : [`only ${blocks.length} blocks checked`];
  });
}

let browser: Browser;
let host: WebHost | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await page?.close();
  page = undefined;
  await host?.stop();
  host = undefined;
});

/** The next Tuesday after today (within the demo's week of visits) in the demo salon's zone, when Sophie works 09:00–17:00. */
function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

async function openDemo(view: 'day' | 'week' = 'day', date?: string) {
  host = await startWebHost(['--demo']);
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const calendar = new CalendarPage(page);
  await calendar.open(host.openUrl, view, date);
  // What a test does first must not wait behind the host's start-up re-plan (see WebHost.startPlanned).
  await host.startPlanned();
  return { calendar, card: new VisitCardPage(page), shell: new AppShellPage(page) };
}

describe('calendar and visit card (demo salon, web mode)', () => {
  it('shows the day with one column per specialist and the week; screenshots in light and dark', async () => {
    const { calendar, card, shell } = await openDemo('day', futureTuesday());
    expect(await page!.getByTestId('staff-column-header').count()).toBeGreaterThanOrEqual(5);
    expect(await calendar.blocks.count()).toBeGreaterThan(3);
    // Every hour of the grid is labelled, the first one too.
    expect((await page!.getByTestId('hour-label').allInnerTexts())[0]).toMatch(/^\d\d:00$/);
    // WCAG 2 A/AA (axe-core) on the calendar, day and week, light and dark: no violations, contrast included.
    await setScheme(shell, 'light');
    expect(await axeViolations(page!, '[data-testid="calendar-screen"]')).toEqual([]);
    expect(await blockColourMismatches(page!)).toEqual([]);
    expect(await blocksClippingInside(page!)).toEqual([]);
    await page!.screenshot({ path: await screenshotPath('calendar-day-light') });
    await setScheme(shell, 'dark');
    expect(await axeViolations(page!, '[data-testid="calendar-screen"]')).toEqual([]);
    expect(await blockColourMismatches(page!)).toEqual([]);
    await page!.screenshot({ path: await screenshotPath('calendar-day-dark') });
    await calendar.switchView('week');
    await calendar.blocks.first().waitFor();
    expect(await axeViolations(page!, '[data-testid="calendar-screen"]')).toEqual([]);
    expect(await page!.getByTestId('week-day-header').count()).toBe(7);
    // One row per specialist, one cell per day, and every visit names its client in full: no initials, no "+3".
    const staffRows = await calendar.weekGrid.getByTestId('week-staff').count();
    expect(staffRows).toBeGreaterThanOrEqual(5);
    expect(await calendar.weekGrid.getByTestId('week-cell').count()).toBe(7 * staffRows);
    const names = await calendar.weekGrid.locator('.fd-week-name').allInnerTexts();
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(name).toMatch(/^\p{L}+ \p{L}/u);
    expect(await page!.getByTestId('week-more').count()).toBe(0);
    await page!.screenshot({ path: await screenshotPath('calendar-week-dark') });
    await setScheme(shell, 'light');
    expect(await axeViolations(page!, '[data-testid="calendar-screen"]')).toEqual([]);
    await page!.screenshot({ path: await screenshotPath('calendar-week-light') });
    // Hovering a block shows the details; clicking opens the visit card.
    const block = calendar.blocks.first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    await block.hover();
    await calendar.hoverCard.waitFor();
    expect(await calendar.hoverCard.textContent()).toMatch(/\d\d:\d\d–\d\d:\d\d/);
    await page!.screenshot({ path: await screenshotPath('calendar-week-hover-light') });
    await block.click();
    await card.waitOpen();
    expect(await card.visitId()).toBe(id);
    await card.close();
    await page!.mouse.move(700, 880);
    // Keyboard: next week, back to today.
    const title = await calendar.title.textContent();
    await page!.keyboard.press('ArrowRight');
    await expect.poll(() => calendar.title.textContent()).not.toBe(title);
    await page!.keyboard.press('ArrowLeft');
    await expect.poll(() => calendar.title.textContent()).toBe(title);
    await page!.keyboard.press('t');
    await expect.poll(() => calendar.screen.getAttribute('data-date')).toBe(utcToWallClock(Date.now(), 'Europe/Berlin').date);
  });

  it('books, moves, cancels — the visit card shows each message the engine plans', async () => {
    const date = futureTuesday();
    const { calendar, card, shell } = await openDemo('day', date);
    await calendar.bookNewClient({ firstName: 'Greta', lastName: 'Neumann', phone: '0151 2345 6789', email: 'greta@example.org', staff: 'Sophie Wagner', services: ["Women's haircut"], date, time: '11:00' });
    await card.waitOpen();
    // The card opens with the new visit; its client's document may reach the page a moment later ("…" meanwhile).
    await expect.poll(() => page!.getByTestId('visit-client-name').textContent()).toBe('Greta Neumann');
    // Stored as +4915123456789, shown grouped as people read it.
    await expect.poll(() => page!.getByText('+49 1512 3456789').count()).toBeGreaterThan(0);
    // Confirmation goes out sandboxed (the demo salon is in sandbox mode), with its full text on the card.
    await card.job('bookingConfirmation', 'sandboxed').waitFor({ timeout: 20_000 });
    await page!.getByTestId('sandboxed-text').first().waitFor();
    expect(await card.job('reminder', 'planned').count()).toBeGreaterThanOrEqual(1);
    await card.settled();
    await page!.screenshot({ path: await screenshotPath('visit-card-light') });
    // The drawer's overlay covers the header: close it, switch the theme as the chrome does, reopen from the grid.
    const bookedId = await card.visitId();
    await card.close();
    await setScheme(shell, 'dark');
    await calendar.block(bookedId).click();
    await card.waitOpen();
    await page!.getByTestId('sandboxed-text').first().waitFor();
    await page!.mouse.move(10, 890);
    await card.settled();
    await page!.screenshot({ path: await screenshotPath('visit-card-dark') });

    await card.move(date, '14:00');
    await card.job('changeAlert').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page!.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(1);
    // The old reminders are cancelled and new ones planned for the new time.
    await expect.poll(() => card.job('reminder', 'cancelled').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await card.job('reminder', 'planned').count()).toBeGreaterThanOrEqual(1);
    expect(await card.when.textContent()).toContain('14:00');

    // Two more moves in quick succession: still one change alert, waiting for the edits to settle (2 minutes).
    await card.move(date, '14:30');
    await card.move(date, '15:00');
    await expect.poll(() => page!.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(3);
    expect(await card.when.textContent()).toContain('15:00');
    expect(await card.job('changeAlert').count()).toBe(1);
    expect(await card.job('changeAlert', 'planned').count()).toBe(1);
    // A visit days away offers no "arrived", "completed" or "no-show".
    expect(await card.actions()).toEqual(expect.arrayContaining(['confirmed', 'cancelled']));
    for (const early of ['arrived', 'completed', 'noShow']) expect(await card.actions()).not.toContain(early);

    // Cancelling asks first (notify on by default); the change alert, not yet settled, never goes.
    await card.setStatus('cancelled');
    await card.job('cancellationNotice', 'sandboxed').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => card.job('reminder', 'planned').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => card.job('changeAlert', 'cancelled').count(), { timeout: 20_000 }).toBe(1);
    // Restoring tells the client the visit is back on: a second confirmation goes out, and reminders come back.
    await card.setStatus('booked');
    await expect.poll(() => card.job('bookingConfirmation', 'sandboxed').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => card.job('reminder', 'planned').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await card.setStatus('cancelled');
    const visitId = await card.visitId();
    await card.close();
    expect(await calendar.block(visitId).getAttribute('data-status')).toBe('cancelled');

    // The team side: new booking, three reschedules and two cancellations, each opening this visit.
    const center = new NotificationCenterPage(page!);
    await center.open();
    const teamRows = page!.locator(`[data-testid="team-event-row"][data-appointment-id="${visitId}"]`);
    await expect.poll(() => teamRows.count(), { timeout: 20_000 }).toBe(6);
    // And the delivery log has the sandboxed messages with their recipient.
    const log = new DeliveryLogPage(page!);
    await log.open();
    // Confirmation and cancellation notice; the superseded change alert was never rendered.
    const gretaSandboxed = log.rows.filter({ hasText: 'greta@example.org' }).and(page!.locator('[data-status="sandboxed"]'));
    await expect.poll(() => gretaSandboxed.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await gretaSandboxed.filter({ hasText: 'Change alert' }).count()).toBe(0);
  });

  it('cancelling with "notify client" off sends nothing; a visit that has started can be marked arrived, then completed', async () => {
    const date = futureTuesday();
    const { calendar, card } = await openDemo('day', date);
    await calendar.bookNewClient({ firstName: 'Lea', lastName: 'Brandt', phone: '+49 170 7654321', email: 'lea@example.org', staff: 'Sophie Wagner', services: ["Women's haircut"], date, time: '12:00' });
    await card.waitOpen();
    await card.job('bookingConfirmation', 'sandboxed').waitFor({ timeout: 20_000 });
    const effect = await card.cancel({ notify: false, reason: 'Booked twice' });
    expect(effect).toBe('Lea will not be told anything about this cancellation.');
    await card.job('cancellationNotice', 'skipped').waitFor({ timeout: 20_000 });
    expect(await card.job('cancellationNotice').getByTestId('message-reason').textContent()).toBe('The desk chose not to notify the client of this cancellation');
    expect(await card.job('cancellationNotice', 'sandboxed').count()).toBe(0);
    expect(await card.job('winBack').count()).toBe(0);
    await card.close();

    // A visit that started half an hour ago: arrived, then completed (which plans the review request).
    const started = utcToWallClock(Date.now() - 30 * 60_000, 'Europe/Berlin');
    const time = `${String(Math.floor(started.minutes / 60)).padStart(2, '0')}:${String(started.minutes % 60 - (started.minutes % 5)).padStart(2, '0')}`;
    await calendar.bookNewClient({ firstName: 'Jonas', lastName: 'Keller', phone: '+49 170 1234567', email: 'jonas@example.org', staff: 'Sophie Wagner', services: ["Men's haircut"], date: started.date, time });
    await card.waitOpen();
    expect(await card.actions()).toEqual(expect.arrayContaining(['arrived', 'noShow']));
    await card.setStatus('arrived');
    await card.setStatus('completed');
    await card.job('reviewRequest', 'planned').waitFor({ timeout: 20_000 });
    await expect.poll(() => page!.locator('[data-testid="history-entry"][data-kind="statusChanged"]').count()).toBe(2);
  });
});
