/**
 * A date field's value is the last whole date typed in it: "15.12" typed over "12.12.2026" must not save the 12th.
 * The form refuses, the field says what to finish (in the desk's language) and has focus, and nothing else typed is
 * lost. And lists open on demand (typing, ArrowDown, a click), not when Tab reaches their field. Demo salon, Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDaysToLocalDate } from '../../shared/domain/zoned-time.ts';
import { demoWorkday, demoWorkdayHash } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { chooseBookingByKeyboard, focused, newBookingByKeyboard, tabTo } from './support/keyboard.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';
import { StaffPage } from './support/pages/staff.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** A date field's calendar or a select's list, as shown (closed lists stay in the page, hidden). */
const shownDropdown = (page: Page) => page.locator('.mantine-Popover-dropdown:visible, .mantine-Combobox-dropdown:visible');

/** Two frames later: whatever a focus or a key opens has rendered by then. */
const rendered = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** Day, month and year of a YYYY-MM-DD date. */
const partsOf = (date: string) => {
  const [year = '', month = '', day = ''] = date.split('-');
  return { year, month, day };
};

describe('a half-typed date is never saved as the last whole one (demo salon, web mode)', () => {
  it('booking form: Ctrl+Enter with "dd/mm" typed over the date refuses and says what to finish; the whole date books that day', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    const shownDay = demoWorkday();
    // The next day: its example is completed in the year of the date shown, whichever year the day is in.
    const wanted = partsOf(addDaysToLocalDate(shownDay, 1));
    await calendar.open(host.openUrl, 'day', shownDay);
    await newBookingByKeyboard(page);
    await chooseBookingByKeyboard(page, 'Emily Brown');
    expect(await page.getByTestId('staff-select').inputValue()).not.toBe('');
    await tabTo(page, 'booking-date', { max: 1 });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`${wanted.day}/${wanted.month}`);
    await page.keyboard.press('ControlOrMeta+Enter');

    const error = calendar.fieldError('booking-date');
    await expect.poll(() => error.textContent()).toBe(`Finish the date, e.g. ${wanted.day}/${wanted.month}/${shownDay.slice(0, 4)}`);
    expect(await calendar.form.count()).toBe(1);
    expect((await focused(page)).testId).toBe('booking-date');
    expect(await page.getByTestId('booking-date').inputValue()).toBe(`${wanted.day}/${wanted.month}`);
    expect(await page.getByTestId('client-select').inputValue()).toMatch(/Emily Brown/);

    await page.keyboard.press('End');
    await page.keyboard.type(`/${wanted.year}`);
    expect(await error.count()).toBe(0);
    await page.keyboard.press('ControlOrMeta+Enter');
    const card = new VisitCardPage(page);
    await card.waitOpen();
    await page.getByTestId('visit-move').click();
    expect(await page.getByTestId('move-date').inputValue()).toBe(`${wanted.day}/${wanted.month}/${wanted.year}`);
  });

  it('visit card, in Russian: Save clicked with a half-typed date moves nothing; leaving the field keeps the text and the reason', async () => {
    const { host, page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await calendar.blocks.first().click();
    const card = new VisitCardPage(page);
    await card.waitOpen();
    const moves = await card.historyCount('moved');
    await page.getByTestId('visit-move').click();
    const date = page.getByTestId('move-date');
    const { day, month, year } = partsOf(demoWorkday(20));
    await date.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`${day}.${month}`);
    // Left for the time field: the text stays, with what to finish.
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).toBe('move-time');
    const error = page.locator('.mantine-InputWrapper-root', { has: date }).locator('.mantine-InputWrapper-error');
    await expect.poll(() => error.textContent()).toMatch(new RegExp(`^Допишите дату, например ${day}\\.${month}\\.\\d{4}$`));
    expect(await date.inputValue()).toBe(`${day}.${month}`);

    await page.getByTestId('move-save').click();
    await expect.poll(async () => (await focused(page)).testId).toBe('move-date');
    expect(await page.getByTestId('move-save').count()).toBe(1);
    expect(await card.historyCount('moved')).toBe(moves);
    // The date being typed is an edit: Escape asks before dropping it, and Keep keeps it.
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-keep').click();
    await expect.poll(async () => (await focused(page)).testId).toBe('move-date');
    expect(await date.inputValue()).toBe(`${day}.${month}`);

    await page.keyboard.press('End');
    await page.keyboard.type(`.${year}`);
    await page.getByTestId('move-save').click();
    await page.getByTestId('move-save').waitFor({ state: 'detached' });
    await expect.poll(() => card.historyCount('moved')).toBe(moves + 1);
  });

  it('staff time off: Save with the last day half typed saves nothing and says what to finish; finished, it is saved', async () => {
    const { host, page } = await sessions.open();
    const staff = new StaffPage(page);
    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Sophie Wagner');
    const from = demoWorkday(30);
    const to = partsOf(addDaysToLocalDate(from, 3));
    await staff.addTimeOff('vacation', from, from);
    const row = page.getByTestId('time-off-row').last();
    const last = row.getByTestId('time-off-to');
    await last.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(`${to.day}/${to.month}`);
    await page.getByTestId('staff-save').click();
    const error = row.locator('.mantine-InputWrapper-root', { has: page.getByTestId('time-off-to') }).locator('.mantine-InputWrapper-error');
    await expect.poll(() => error.textContent()).toBe(`Finish the date, e.g. ${to.day}/${to.month}/${from.slice(0, 4)}`);
    await expect.poll(() => last.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await staff.staffMessage.count()).toBe(0);

    await page.keyboard.press('End');
    await page.keyboard.type(`/${to.year}`);
    await staff.saveStaff();
    await page.reload();
    await page.getByTestId('staff-form-title').filter({ hasText: 'Sophie Wagner' }).waitFor();
    expect(await page.getByTestId('time-off-to').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value))).toContain(`${to.day}/${to.month}/${to.year}`);
  });
});

describe('lists open on demand, not when Tab reaches them (demo salon, web mode)', () => {
  it('booking form: Tab through client, specialist, services and date opens nothing; ArrowDown and a click do', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await newBookingByKeyboard(page);
    for (const field of ['staff-select', 'services-select', 'booking-date', 'booking-time']) {
      await tabTo(page, field, { max: 1 });
      await rendered(page);
      expect(await shownDropdown(page).count(), field).toBe(0);
    }
    await tabTo(page, 'booking-date', { backwards: true, max: 1 });
    await page.keyboard.press('ArrowDown');
    await shownDropdown(page).waitFor();
    await page.keyboard.press('Escape');
    await shownDropdown(page).waitFor({ state: 'hidden' });
    expect(await calendar.form.count()).toBe(1);
    await tabTo(page, 'services-select', { backwards: true, max: 1 });
    await rendered(page);
    expect(await shownDropdown(page).count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');

    // A click opens them at once.
    await page.getByTestId('booking-date').click();
    await shownDropdown(page).waitFor();
    await page.getByTestId('services-select').click();
    await page.getByRole('option').first().waitFor();
  });

  it('visit card: the Move form opens with focus on its date and the calendar closed until asked for', async () => {
    const { host, page } = await sessions.open();
    await new CalendarPage(page).open(host.openUrl, 'day', demoWorkday());
    await VisitCardPage.openByKeyboard(page);
    await tabTo(page, 'visit-move', { max: 6 });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('move-date');
    await rendered(page);
    expect(await shownDropdown(page).count()).toBe(0);
    await page.keyboard.press('Enter');
    await shownDropdown(page).waitFor();
    expect(await page.getByTestId('move-save').count()).toBe(1);
  });

  it('delivery log: Tab through the date and client filters opens nothing; a half-typed From keeps its text and says what to finish', async () => {
    const { page } = await sessions.open({ hash: demoWorkdayHash() });
    const log = new DeliveryLogPage(page);
    await new CalendarPage(page).blocks.first().waitFor();
    await log.open();
    await page.getByTestId('log-filter-status').focus();
    for (const field of ['log-filter-from', 'log-filter-to', 'log-filter-client']) {
      await tabTo(page, field, { max: 2 });
      await rendered(page);
      expect(await shownDropdown(page).count(), field).toBe(0);
    }
    await tabTo(page, 'log-filter-from', { backwards: true, max: 3 });
    await page.keyboard.type('15/12');
    await page.keyboard.press('Tab');
    const from = page.getByTestId('log-filter-from');
    const error = page.locator('.mantine-InputWrapper-root', { has: from }).locator('.mantine-InputWrapper-error');
    await expect.poll(() => error.textContent()).toMatch(/^Finish the date, e\.g\. 15\/12\/\d{4}$/);
    expect(await from.inputValue()).toBe('15/12');
  });
});
