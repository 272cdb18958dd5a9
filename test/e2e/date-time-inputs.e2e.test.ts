/**
 * Date and time inputs follow the desk's language and a 24-hour clock, not the browser's locale: in a Chromium set to
 * en-US (where native inputs show "12/08/2026" and "02:30 PM") the move form shows 08/12/2026 and 14:30 in English
 * and 08.12.2026 in Russian, and takes what a receptionist types ("1430", a date in the shown order).
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions({ locale: 'en-US' });

function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('date and time inputs (demo salon in Germany, browser in en-US)', () => {
  it('show the desk order and 24-hour times in English and Russian, and read typed values', async () => {
    const { host, page, shell } = await sessions.open();
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    const date = futureTuesday();
    const [year, month, day] = date.split('-');
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', date);
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const id = (await sophie.locator('[data-testid="appointment-block"][data-draggable]').first().getAttribute('data-appointment-id')) ?? '';

    await calendar.block(id).click();
    await card.waitOpen();
    await page.getByTestId('visit-move').click();
    expect(await page.getByTestId('move-date').inputValue()).toBe(`${day}/${month}/${year}`);
    expect(await page.getByTestId('move-time').inputValue()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    await card.close();

    await shell.setLanguage('ru');
    await calendar.block(id).click();
    await card.waitOpen();
    await page.getByTestId('visit-move').click();
    expect(await page.getByTestId('move-date').inputValue()).toBe(`${day}.${month}.${year}`);
    // Typed as people type: the date in the shown order, the time without its colon.
    await page.getByTestId('move-date').fill(`${day}.${month}.${year}`);
    // The date's calendar, open now, leaves Save free to click (in Russian, Save wrapped under the date, below it).
    await page.locator('.mantine-Popover-dropdown:visible').waitFor();
    expect(await page.getByTestId('move-save').evaluate((save) => {
      const box = save.getBoundingClientRect();
      return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)?.closest('button') === save;
    })).toBe(true);
    await page.getByTestId('move-time').fill('1430');
    await page.getByTestId('move-time').blur();
    expect(await page.getByTestId('move-time').inputValue()).toBe('14:30');
    await page.getByTestId('move-save').click();
    await page.getByTestId('move-save').waitFor({ state: 'detached' });
    await expect.poll(() => card.when.textContent()).toContain('14:30');
    expect(await card.when.textContent()).not.toMatch(/AM|PM/);
  });
});
