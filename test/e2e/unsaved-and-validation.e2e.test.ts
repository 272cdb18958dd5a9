/**
 * Edits are never lost without a question, and bad input is explained in the form before Save: a notification type
 * or a client card with unsaved edits asks before another one is opened (stay keeps the edits, discard drops them);
 * a client type with every channel off, an empty or zero-length quiet-hours window and a birthday that is not a date
 * are refused on screen — in the desk's language, never as field paths.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { SettingsPage } from './support/pages/settings.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { demoWorkday } from './support/demo-days.ts';

const sessions = useDemoSessions();

describe('unsaved edits and validation before Save (demo salon, web mode)', () => {
  it('a notification type with unsaved edits asks before another type opens; all channels off cannot be saved', async () => {
    const { page } = await sessions.open();
    const settings = new SettingsPage(page);
    await settings.open('client', 'reminder');
    await settings.selectTemplate('sms', 'en');
    const original = await settings.templateBody.inputValue();
    await settings.templateBody.fill(`${original} Edited.`);
    await page.getByTestId('unsaved-badge').waitFor();

    await settings.type('winBack').click();
    await page.getByTestId('unsaved-prompt').getByTestId('unsaved-keep').waitFor();
    await page.getByTestId('unsaved-keep').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await settings.editor.getAttribute('data-type')).toBe('reminder');
    expect(await settings.templateBody.inputValue()).toBe(`${original} Edited.`);

    await settings.type('winBack').click();
    await page.getByTestId('unsaved-discard').click();
    await page.locator('[data-testid="type-editor"][data-type="winBack"]').waitFor();
    await settings.type('reminder').click();
    await page.locator('[data-testid="type-editor"][data-type="reminder"]').waitFor();
    await settings.selectTemplate('sms', 'en');
    expect(await settings.templateBody.inputValue()).toBe(original);

    // Every channel off while the type is on: explained by the cascade, Save stays disabled.
    const controls = page.locator('[data-testid^="scenario-"]');
    for (const testId of await controls.evaluateAll((els) => els.map((el) => el.getAttribute('data-testid') ?? ''))) await settings.pick(testId, 'off');
    await expect.poll(() => settings.issuesSummary.textContent()).toContain('Every channel is off, so nothing would be sent');
    expect(await settings.issuesSummary.textContent()).not.toMatch(/reminder\.channels|\.timing\./);
    expect(await settings.saveButton.isDisabled()).toBe(true);
  });

  it('quiet hours: an empty end or the same start and end disable Save with the reason, in English and Russian', async () => {
    const { page, shell } = await sessions.open();
    const settings = new SettingsPage(page);
    await settings.open('location');
    const enabled = page.getByTestId('quiet-enabled');
    if (!(await enabled.isChecked())) await enabled.click({ force: true });
    const save = page.getByTestId('quiet-save');
    const endError = page.locator('.mantine-InputWrapper-root', { has: page.getByTestId('quiet-end') }).locator('.mantine-InputWrapper-error');
    await page.getByTestId('quiet-end').fill('');
    await expect.poll(() => endError.textContent()).toBe('Enter a time, or turn quiet hours off.');
    expect(await save.isDisabled()).toBe(true);
    await page.getByTestId('quiet-end').fill(await page.getByTestId('quiet-start').inputValue());
    await expect.poll(() => endError.textContent()).toContain('Start and end are the same time');
    expect(await save.isDisabled()).toBe(true);
    await shell.setLanguage('ru');
    await expect.poll(() => endError.textContent()).toContain('Начало и конец совпадают');
    expect(await page.getByTestId('quiet-hours-card').textContent()).not.toContain('quietHours');
  });

  it('a client card refuses the birthday 1990-02-30 as it is typed, and asks before another client opens', async () => {
    const { page, host } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.rows.nth(0).click();
    await clients.card.waitFor();
    const name = await clients.cardName.textContent();
    await page.getByTestId('client-birthday').fill('1990-02-30');
    const birthdayError = page.locator('.mantine-InputWrapper-root', { has: page.getByTestId('client-birthday') }).locator('.mantine-InputWrapper-error');
    await expect.poll(() => birthdayError.textContent()).toContain('Not a date');

    await clients.rows.nth(1).click();
    await page.getByTestId('unsaved-keep').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    expect(await clients.cardName.textContent()).toBe(name);
    expect(await page.getByTestId('client-birthday').inputValue()).toBe('1990-02-30');
    // Save sends nothing while the birthday is wrong.
    await page.getByTestId('client-save').click();
    expect(await birthdayError.textContent()).toContain('Not a date');

    // The browser's Back asks too, and staying keeps the card and its address.
    const address = page.url();
    await page.goBack();
    await page.getByTestId('unsaved-keep').click();
    await page.getByTestId('unsaved-keep').waitFor({ state: 'detached' });
    expect(page.url()).toBe(address);
    expect(await page.getByTestId('client-birthday').inputValue()).toBe('1990-02-30');

    await clients.rows.nth(1).click();
    await page.getByTestId('unsaved-discard').click();
    await expect.poll(() => clients.cardName.textContent()).not.toBe(name);
    expect(await page.getByTestId('client-birthday').inputValue()).not.toBe('1990-02-30');
  });

  it('a birthday is typed and shown in the desk order, with or without the year, and kept as a date', async () => {
    const { page, host, shell } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.rows.nth(0).click();
    await clients.card.waitFor();
    const name = (await clients.cardName.textContent()) ?? '';
    const birthday = page.getByTestId('client-birthday');
    expect(await birthday.getAttribute('placeholder')).toBe('DD/MM/YYYY or DD/MM');
    await birthday.fill('20/12/1996');
    await clients.save();
    // Another card and back: the card shows what was stored, in the desk's order.
    await clients.rows.nth(1).click();
    await expect.poll(() => clients.cardName.textContent()).not.toBe(name);
    await clients.rows.nth(0).click();
    await expect.poll(() => clients.cardName.textContent()).toBe(name);
    expect(await birthday.inputValue()).toBe('20/12/1996');
    await shell.setLanguage('ru');
    await expect.poll(() => birthday.inputValue()).toBe('20.12.1996');

    // Day and month alone: a birthday without the year.
    await birthday.fill('29.02.');
    await page.getByTestId('client-save').click();
    await page.getByTestId('client-message').waitFor();
    await shell.setLanguage('en');
    await clients.rows.nth(1).click();
    await expect.poll(() => clients.cardName.textContent()).not.toBe(name);
    await clients.rows.nth(0).click();
    await expect.poll(() => birthday.inputValue()).toBe('29/02');
  });

  it('the booking form with something typed asks before Escape closes it', async () => {
    const { page, host } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    await page.getByTestId('booking-time').fill('11:45');
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-keep').click();
    await page.getByTestId('unsaved-keep').waitFor({ state: 'detached' });
    expect(await page.getByTestId('booking-time').inputValue()).toBe('11:45');
    await page.getByTestId('booking-time').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('booking-time').waitFor({ state: 'detached' });
  });

  it('a visit card with a new time typed: Escape asks, and Escape on the question keeps the card and the time', async () => {
    const { page, host } = await sessions.open();
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(1));
    await calendar.blocks.first().click();
    await card.waitOpen();
    await page.getByTestId('visit-move').click();
    await page.getByTestId('move-time').fill('13:15');
    await page.keyboard.press('Escape');
    const prompt = page.getByTestId('unsaved-keep');
    await prompt.waitFor();
    // Escape is "keep editing" (UnsavedPrompt): the question goes, and the card behind does not ask again.
    await page.keyboard.press('Escape');
    await prompt.waitFor({ state: 'detached' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 200)))));
    expect(await prompt.count(), 'the question came back').toBe(0);
    expect(await page.getByTestId('move-time').inputValue()).toBe('13:15');
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-discard').click();
    // Escape in the form closes the form (the time dropped), not the card; the next Escape closes the card.
    await page.getByTestId('move-time').waitFor({ state: 'detached' });
    expect(await card.root.count()).toBe(1);
    await page.keyboard.press('Escape');
    await card.root.waitFor({ state: 'detached' });
  });
});
