/**
 * Dragging a visit in the day view: the block follows the mouse in 15-minute steps, and nothing is written until the
 * receptionist confirms a dialog that shows the visit before and after, with the same checks as the move form (a
 * specialist who does not do the service is refused before anything is sent). Escape abandons a drag.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, minutesToHhmm, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** The next Tuesday (within the demo's visits), when Sophie (hair) and Mia (nails) both work. */
function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('day view drag to move, and visit edits that keep to the specialist (demo salon, web mode)', () => {
  it('asks before moving, moves on confirm, refuses a specialist who does not do the service, and Escape abandons', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const mia = await calendar.staffColumn('Mia Schneider');
    const block = sophie.locator('[data-testid="appointment-block"][data-draggable]').first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    const startMin = Number(await block.getAttribute('data-start-min'));
    const minutes = startMin <= 14 * 60 ? 60 : -60;
    const dialog = page.getByTestId('drop-confirm-body');
    // A demo visit may come with a move in its history already (about 1 in 12).
    await calendar.block(id).click();
    const card = new VisitCardPage(page);
    await card.waitOpen();
    const movedBefore = await card.historyCount('moved');
    await card.close();

    // Escape mid-drag: the block goes back, nothing is asked, and the release does not open the visit card.
    await calendar.dragBlock(id, { minutes, escape: true });
    await page.waitForTimeout(300);
    expect(await dialog.count()).toBe(0);
    expect(page.url()).not.toContain('visit=');
    expect(await calendar.block(id).getAttribute('style')).not.toContain('translate');
    // Over the next column, painted after its own, a dragged block is drawn on top: its column lets it out of its
    // stacking context (Sophie's column is the last; Mia's is followed by Olga's).
    const miaId = (await mia.locator('[data-testid="appointment-block"][data-draggable]').first().getAttribute('data-appointment-id')) ?? '';
    expect(await calendar.dragBlock(miaId, { minutes: 0, toColumn: await calendar.staffColumn('Olga Smirnova'), escape: true })).toBe(miaId);
    await page.waitForTimeout(300);
    expect(await dialog.count()).toBe(0);

    // A drop to a specialist who does not do the service: refused in the dialog, Move disabled, nothing written.
    expect(await calendar.dragBlock(id, { minutes: 0, toColumn: mia })).toBe(id);
    await dialog.waitFor();
    expect(await page.getByTestId('drop-issues').textContent()).toMatch(/Mia Schneider does not do/);
    expect(await page.getByTestId('drop-ok').isDisabled()).toBe(true);
    await page.getByTestId('drop-cancel').click();
    // The modal leaves with a transition; its overlay would catch the next drag.
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin));

    // A drop an hour away: the dialog says before and after; confirmed, the host moves it.
    await calendar.dragBlock(id, { minutes });
    await dialog.waitFor();
    expect(await page.getByTestId('drop-before').textContent()).toContain(minutesToHhmm(startMin));
    expect(await page.getByTestId('drop-after').textContent()).toContain(`${minutesToHhmm(startMin + minutes)}–`);
    expect(await page.getByTestId('drop-after').textContent()).toContain('Sophie Wagner');
    await page.getByTestId('drop-ok').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin + minutes));
    // Still in Sophie's column, and the visit's history says it was moved.
    expect(await sophie.locator(`[data-appointment-id="${id}"]`).count()).toBe(1);
    await calendar.block(id).click();
    await card.waitOpen();
    await expect.poll(() => page.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(movedBefore + 1);
    expect(await card.when.textContent()).toContain(minutesToHhmm(startMin + minutes));
  });

  it('moves and resizes a focused visit with Alt+arrows through the same confirmations, and says so to a screen reader', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    const headers = await page.getByTestId('staff-column-header').allInnerTexts();
    const sophieIndex = headers.findIndex((text) => text.includes('Sophie Wagner'));
    // A header reads initials, name, then the day's count.
    const neighbour = headers[sophieIndex > 0 ? sophieIndex - 1 : sophieIndex + 1]!.split('\n').map((line) => line.trim()).filter(Boolean)[1]!;
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const block = sophie.locator('[data-testid="appointment-block"][data-draggable]').first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    const startMin = Number(await block.getAttribute('data-start-min'));
    const dialog = page.getByTestId('drop-confirm-body');
    expect(await block.textContent()).toContain('Alt+Up or Alt+Down by 15 minutes, Alt+Left or Alt+Right to the next specialist; Alt+Shift+Up or Alt+Shift+Down');

    // Alt+↓: 15 minutes later, asked first, then moved; the block keeps the focus for the next step.
    await block.focus();
    await page.keyboard.press('Alt+ArrowDown');
    await dialog.waitFor();
    expect(await page.getByTestId('drop-after').textContent()).toContain(`${minutesToHhmm(startMin + 15)}–`);
    await page.getByTestId('drop-ok').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin + 15));

    // Alt+← / Alt+→: the neighbouring specialist's column at the same time; Escape leaves the visit where it is.
    await calendar.block(id).focus();
    await page.keyboard.press(sophieIndex > 0 ? 'Alt+ArrowLeft' : 'Alt+ArrowRight');
    await dialog.waitFor();
    expect(await page.getByTestId('drop-after').textContent()).toContain(neighbour);
    expect(await page.getByTestId('drop-after').textContent()).toContain(`${minutesToHhmm(startMin + 15)}–`);
    await page.keyboard.press('Escape');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(page.url()).toContain('#/calendar/day');
    expect(await sophie.locator(`[data-appointment-id="${id}"]`).count()).toBe(1);

    // Alt+Shift+↓: 15 minutes longer, through the length dialog (the start stays).
    const endMin = Number(await calendar.block(id).getAttribute('data-end-min'));
    await calendar.block(id).focus();
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await page.getByTestId('resize-confirm-body').waitFor();
    expect(await page.getByTestId('resize-after').textContent()).toContain(`${minutesToHhmm(startMin + 15)}–${minutesToHhmm(endMin + 15)}`);
    await page.getByTestId('resize-ok').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => calendar.block(id).getAttribute('data-end-min')).toBe(String(endMin + 15));
    expect(await calendar.block(id).getAttribute('data-start-min')).toBe(String(startMin + 15));
  });

  it("the visit card's services offer only what the visit's specialist does", async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', futureTuesday());
    const sophie = await calendar.staffColumn('Sophie Wagner');
    await sophie.locator('[data-testid="appointment-block"][data-draggable]').first().click();
    await new VisitCardPage(page).waitOpen();
    await page.getByTestId('visit-change-services').click();
    await page.getByTestId('services-edit').click();
    const options = await page.getByRole('option').allInnerTexts();
    expect(options.some((o) => o.startsWith("Women's haircut"))).toBe(true);
    // Sophie does hair, not nails: no manicure to add to her visit.
    expect(options.some((o) => /manicure|Pedicure/.test(o))).toBe(false);
  });
});
