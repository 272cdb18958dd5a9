/**
 * Dragging a visit's bottom edge in the day view: the end follows the mouse in 15-minute steps (at least one step
 * long), and nothing is written until the receptionist confirms a dialog that shows the visit before and after. It is
 * a length change, not a move: the history says "length changed", the visit keeps its start, and the notification
 * center row says the length changed (no "Rescheduled"). Escape abandons; a visit changed at another desk meanwhile is
 * refused with the reason. Screenshots of the dialog, light and dark, with no WCAG A/AA violation (axe).
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, minutesToHhmm, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { axeViolations } from './support/axe.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** The next Tuesday (within the demo's visits), when Sophie works. */
function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('day view drag to resize (demo salon, web mode)', () => {
  it('asks before changing the length, records a length change (not a move), refuses a stale visit, and Escape abandons', { timeout: 120_000 }, async () => {
    const { host, page, shell } = await sessions.open();
    const calendar = new CalendarPage(page);
    const date = futureTuesday();
    await calendar.open(host.openUrl, 'day', date);
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const block = sophie.locator('[data-testid="appointment-block"][data-draggable]').first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    const startMin = Number(await block.getAttribute('data-start-min'));
    const endMin = Number(await block.getAttribute('data-end-min'));
    const dialog = page.getByTestId('resize-confirm-body');
    // A demo visit may come with a move in its history already (about 1 in 12).
    await calendar.block(id).click();
    const card = new VisitCardPage(page);
    await card.waitOpen();
    const movedBefore = await card.historyCount('moved');
    const lengthChangesBefore = await card.historyCount('durationChanged');
    await card.close();

    // Escape mid-resize: the block gets its height back, nothing is asked, and the release opens no visit card.
    const height = await calendar.block(id).evaluate((el) => (el as HTMLElement).style.height);
    await calendar.resizeBlock(id, { minutes: 45, escape: true });
    await page.waitForTimeout(300);
    expect(await dialog.count()).toBe(0);
    expect(page.url()).not.toContain('visit=');
    expect(await calendar.block(id).evaluate((el) => (el as HTMLElement).style.height)).toBe(height);

    // Pulled up past the start: it stays one step long, and the dialog says so before and after.
    await calendar.resizeBlock(id, { minutes: -(endMin - startMin) - 60 });
    await dialog.waitFor();
    expect(await page.getByTestId('resize-after').textContent()).toContain(`${minutesToHhmm(startMin)}–${minutesToHhmm(startMin + 15)}`);
    await page.keyboard.press('Escape');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await calendar.block(id).getAttribute('data-end-min')).toBe(String(endMin));

    // Screenshots of the dialog, light and dark (30 minutes longer).
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await calendar.resizeBlock(id, { minutes: 30 });
      await dialog.waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: await screenshotPath(`calendar-resize-confirm-${scheme}`) });
      // WCAG A/AA, contrast included, on the dialog with its overlap warning.
      expect(await axeViolations(page, '.mantine-Modal-content')).toEqual([]);
      await page.getByTestId('resize-cancel').click();
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    }
    await shell.setColorScheme('light');

    // Another desk changes the visit while this dialog is open: the host refuses, the dialog says why, nothing written.
    await calendar.resizeBlock(id, { minutes: 30 });
    await dialog.waitFor();
    expect(await page.getByTestId('resize-before').textContent()).toContain(`${minutesToHhmm(startMin)}–${minutesToHhmm(endMin)}`);
    expect(await page.getByTestId('resize-after').textContent()).toContain(`${minutesToHhmm(startMin)}–${minutesToHhmm(endMin + 30)}`);
    const otherDesk = await page.context().browser()!.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const other = new CalendarPage(otherDesk);
      await other.open(host.openUrl, 'day', date);
      await other.resizeBlock(id, { minutes: 15 });
      await otherDesk.getByTestId('resize-ok').click();
      await otherDesk.locator('[role="dialog"]').waitFor({ state: 'detached' });
    } finally {
      await otherDesk.close();
    }
    await expect.poll(() => calendar.block(id).getAttribute('data-end-min')).toBe(String(endMin + 15));
    await page.getByTestId('resize-ok').click();
    await expect.poll(() => page.getByTestId('resize-refused').textContent()).toMatch(/changed/i);
    await page.getByTestId('resize-cancel').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await calendar.block(id).getAttribute('data-end-min')).toBe(String(endMin + 15));

    // 30 minutes longer, confirmed: the same start, the new end, and a length change in the history.
    await calendar.resizeBlock(id, { minutes: 30 });
    await dialog.waitFor();
    expect(await page.getByTestId('resize-after').textContent()).toContain(`${minutesToHhmm(startMin)}–${minutesToHhmm(endMin + 45)}`);
    await page.getByTestId('resize-ok').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => calendar.block(id).getAttribute('data-end-min')).toBe(String(endMin + 45));
    expect(await calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin));
    await calendar.block(id).click();
    await card.waitOpen();
    await expect.poll(() => page.locator('[data-testid="history-entry"][data-kind="durationChanged"]').count()).toBe(lengthChangesBefore + 2);
    expect(await page.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(movedBefore);
    expect(await page.locator('[data-testid="history-entry"][data-kind="durationChanged"]').first().textContent()).toContain('Length changed');
    await card.close();

    // The notification center tells the length change as one, never as a reschedule.
    await page.evaluate(() => (window.location.hash = '#/notifications'));
    const rows = page.locator('[data-testid="team-event-row"]', { hasText: 'Visit length changed: ' });
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain(`now ends at ${minutesToHhmm(endMin + 45)} (was ${minutesToHhmm(endMin + 15)})`);
    expect(await rows.first().textContent()).not.toMatch(/Rescheduled/);
  });

  it('the visit card changes the length without dragging, and refuses an end before the start', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const block = sophie.locator('[data-testid="appointment-block"][data-draggable]').first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    const startMin = Number(await block.getAttribute('data-start-min'));
    const card = new VisitCardPage(page);
    await block.click();
    await card.waitOpen();
    await page.getByTestId('visit-length').click();
    await page.getByTestId('length-end').fill(minutesToHhmm(startMin - 15).replace(':', ''));
    await page.getByTestId('length-save').click();
    await expect.poll(() => page.locator('.mantine-InputWrapper-root', { has: page.getByTestId('length-end') }).textContent()).toContain('The visit must end after it starts.');
    await page.getByTestId('length-end').fill(minutesToHhmm(startMin + 75));
    await page.getByTestId('length-save').click();
    await page.getByTestId('length-save').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="history-entry"][data-kind="durationChanged"]').count()).toBe(1);
    expect(await page.locator('[data-testid="history-entry"][data-kind="durationChanged"]').textContent()).toContain(`→ ${minutesToHhmm(startMin + 75)}`);
    await card.close();
    await expect.poll(() => calendar.block(id).getAttribute('data-end-min')).toBe(String(startMin + 75));
    expect(await calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin));
  });
});
