/**
 * Writes are commands: what the host refuses reaches the desk as a sentence in its language, next to the input it is
 * about, and nothing changes. The demo salon is in Europe/Berlin, where 02:30 on the last Sunday of March does not
 * exist (the clocks jump from 02:00 to 03:00).
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { demoWorkday } from './support/demo-days.ts';

const sessions = useDemoSessions();
const GAP = { date: '2027-03-28', time: '02:30' };

describe('refused commands (demo salon, web mode)', () => {
  it('a move into the DST gap is refused by the host with the reason under the time, in English and Russian; the visit stays', async () => {
    const { host, page, shell } = await sessions.open();
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(1));
    const block = calendar.blocks.first();
    const id = (await block.getAttribute('data-appointment-id')) ?? '';
    await block.click();
    await card.waitOpen();
    const when = await card.when.textContent();
    // A demo visit may come with a move in its history already.
    const movedBefore = await card.historyCount('moved');
    await card.attemptRefusedMove(GAP.date, GAP.time);
    await expect.poll(() => card.moveTimeError().textContent()).toContain('02:30 does not exist on 2027-03-28 in Europe/Berlin');
    expect(await card.moveTimeError().textContent()).toContain('daylight saving time');
    // Nothing was written: same time, no "moved" entry.
    expect(await card.when.textContent()).toBe(when);
    expect(await page.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(movedBefore);

    // The refused time is still in the form, unsaved: closing the card asks before it is dropped.
    await card.close({ discard: true });
    await shell.setLanguage('ru');
    await calendar.block(id).click();
    await card.waitOpen();
    await card.attemptRefusedMove(GAP.date, GAP.time);
    await expect.poll(() => card.moveTimeError().textContent()).toContain('часы переводят на летнее время');
    expect(await card.when.textContent()).not.toBe('');
    expect(await page.locator('[data-testid="history-entry"][data-kind="moved"]').count()).toBe(movedBefore);
  });

  it('the booking form names the field of each problem before and after asking the host', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    const date = demoWorkday(2);
    await calendar.open(host.openUrl, 'day', date);
    await calendar.bookNewClient({ firstName: 'Ida', lastName: 'Berg', phone: '12', email: 'ida@', staff: 'Sophie Wagner', services: ["Women's haircut"], date: GAP.date, time: GAP.time });
    await expect.poll(() => calendar.fieldError('new-client-phone').textContent()).toMatch(/has 2 digits after \+49/);
    expect(await calendar.fieldError('new-client-email').textContent()).toContain('Not an email address');
    expect(await calendar.fieldError('booking-time').textContent()).toContain('does not exist on 2027-03-28');
    // Fixed, it books (the host applies the same rules and accepts).
    await page.getByTestId('new-client-phone').fill('0151 2345 6789');
    await page.getByTestId('new-client-email').fill('ida@example.org');
    await page.getByTestId('booking-date').fill(date);
    await page.getByTestId('booking-time').fill('11:00');
    await page.getByTestId('booking-save').click();
    await new VisitCardPage(page).waitOpen();
    expect(await page.getByTestId('visit-client-name').textContent()).toBe('Ida Berg');
  });
});
