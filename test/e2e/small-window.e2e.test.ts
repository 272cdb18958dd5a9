/**
 * The desk on a laptop at 150 % scaling (911×512 CSS pixels), in Russian (the longer words): the navigation is a rail
 * of icons that leaves the calendar its width, the calendar's date is whole, and its buttons are in the window.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotPath } from './support/browser.ts';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { focused } from './support/keyboard.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { SettingsPage } from './support/pages/settings.page.ts';
import { StaffPage } from './support/pages/staff.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { LAPTOP_150, onTopAtCentre, pageOverflowX, textClipped, withinWindow } from './support/small-window.ts';

const sessions = useDemoSessions(LAPTOP_150);

describe('a laptop at 150 % scaling', () => {
  it('shows the calendar with its whole date and its buttons beside a navigation rail that still goes everywhere', async () => {
    const { host, page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());

    // The rail: the navigation takes under a tenth of the width (it took 260 of 911 px).
    const navbar = await page.locator('.mantine-AppShell-navbar').boundingBox();
    expect(navbar!.width).toBeLessThan(91);
    // The day's date, weekday to year, not cut off mid-word.
    await expect.poll(() => calendar.title.textContent()).toMatch(/^[А-Яа-яё]+, \d+ [а-яё]+ \d{4}/);
    expect(await textClipped(calendar.title)).toBe(false);
    for (const id of ['calendar-today', 'calendar-prev', 'calendar-next', 'calendar-view', 'new-booking']) expect(await withinWindow(page.getByTestId(id)), id).toBe(true);
    // Four specialists' columns are in view, each wide enough for a visit's time and name.
    const columns = await page.getByTestId('calendar-column').evaluateAll((all) => all.map((c) => c.getBoundingClientRect()).filter((r) => r.right <= window.innerWidth + 1).length);
    expect(columns).toBeGreaterThanOrEqual(4);
    expect(await pageOverflowX(page)).toBe(0);

    // The icon-only new-booking button still says what it is, and opens the form.
    await page.getByRole('button', { name: 'Новая запись' }).click();
    await calendar.form.waitFor();
    await page.keyboard.press('Escape');
    await calendar.form.waitFor({ state: 'detached' });

    // The rail's links keep their names (for a screen reader, and in a tooltip) and go where they say.
    await page.getByRole('link', { name: 'Журнал отправки' }).hover();
    await page.getByRole('tooltip', { name: 'Журнал отправки' }).waitFor();
    await page.getByRole('link', { name: 'Журнал отправки' }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/log');
    // The unread count shows on the notification center's icon.
    expect(await withinWindow(page.getByTestId('unread-badge'))).toBe(true);

    // The desktop app's smallest window (800×480): the date is still whole, on two lines if it must.
    await page.setViewportSize({ width: 800, height: 480 });
    await page.getByRole('link', { name: 'Календарь' }).click();
    await calendar.dayGrid.waitFor();
    await expect.poll(() => calendar.title.textContent()).toMatch(/\d{4}/);
    expect(await textClipped(calendar.title)).toBe(false);
    expect(await calendar.title.evaluate((title) => title.scrollHeight <= title.clientHeight + 1)).toBe(true);
    for (const id of ['calendar-today', 'calendar-next', 'new-booking']) expect(await withinWindow(page.getByTestId(id)), id).toBe(true);
    expect(await pageOverflowX(page)).toBe(0);
  });

  it("keeps a notification type's settings within the window's width: its list beside it, cascade, templates and Save", async () => {
    const { page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const settings = new SettingsPage(page);
    // A 1280×720 panel keeps the full navigation (260 px); the cascade's Russian switches were 80 px too wide for it.
    for (const size of [{ width: 1280, height: 720 }, LAPTOP_150.viewport]) {
      await page.setViewportSize(size);
      await settings.open('client', 'reminder');
      await page.getByTestId('cascade-table').waitFor();
      expect(await pageOverflowX(page), `${size.width} px`).toBe(0);
      // The last column's field is reached by scrolling the table's own card, not the page.
      const lastField = page.getByTestId('cascade-row-email').getByRole('textbox');
      await lastField.scrollIntoViewIfNeeded();
      expect(await withinWindow(lastField), `${size.width} px`).toBe(true);
      // Save beside (or under) the type's name, not past the window's edge.
      await settings.saveButton.scrollIntoViewIfNeeded();
      expect(await withinWindow(settings.saveButton), `${size.width} px`).toBe(true);
      // The list of types beside the editor, each row's On badge inside its row.
      const list = await page.getByTestId('type-list').boundingBox();
      const editor = await settings.editor.boundingBox();
      expect(editor!.x, `${size.width} px`).toBeGreaterThanOrEqual(list!.x + list!.width);
      const badgesInside = await page.getByTestId('type-list').locator('a').evaluateAll((rows) =>
        rows.every((row) => {
          const badge = row.querySelector('.mantine-Badge-root')!.getBoundingClientRect();
          return badge.width > 0 && badge.right <= row.getBoundingClientRect().right;
        }),
      );
      expect(badgesInside, `${size.width} px`).toBe(true);
    }
  });

  it("keeps the booking form's buttons in the window while its fields scroll, and a refused field in sight above them", async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    // A new client's fields make the form taller than the window's 512 px.
    await calendar.form.getByText('New client', { exact: true }).click();
    await page.getByTestId('new-client-first').waitFor();
    const book = page.getByTestId('booking-save');
    expect(await withinWindow(book)).toBe(true);
    expect(await onTopAtCentre(book)).toBe(true);
    expect(await withinWindow(calendar.form.getByRole('button', { name: 'Cancel' }))).toBe(true);

    // Tab to the last field (under the buttons): it is scrolled clear of them, not behind them.
    await page.getByTestId('booking-duration').focus();
    await page.keyboard.press('Tab');
    const notes = calendar.form.getByLabel('Notes', { exact: true });
    await expect.poll(() => notes.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await onTopAtCentre(notes)).toBe(true);

    // Book with nothing filled in: the refused first name is in sight, and so is Book.
    await book.click();
    await calendar.fieldError('new-client-first').waitFor();
    // The wheel over the form takes it back up to the refused field, which the title does not cover.
    const box = await calendar.form.boundingBox();
    await page.mouse.move(box!.x + box!.width / 2, box!.y + box!.height / 2);
    await page.mouse.wheel(0, -1000);
    await expect.poll(() => onTopAtCentre(page.getByTestId('new-client-first'))).toBe(true);
    expect(await withinWindow(book)).toBe(true);
  });

  it('opens a client card beside the list, its name and Save in the window', async () => {
    const { host, page, shell } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await shell.setLanguage('ru');
    await clients.rows.nth(1).click();
    await clients.cardName.waitFor();
    // Beside the list, not under it (below the window's edge, where a click on a name seemed to do nothing).
    const list = await clients.rows.first().boundingBox();
    const card = await clients.card.boundingBox();
    expect(card!.x).toBeGreaterThanOrEqual(list!.x + list!.width);
    expect(await withinWindow(clients.cardName)).toBe(true);
    expect(await withinWindow(page.getByTestId('client-save'))).toBe(true);
    expect(await pageOverflowX(page)).toBe(0);
    // The Telegram button's words whole.
    expect(await textClipped(page.getByTestId('client-telegram-link').locator('.mantine-Button-label'))).toBe(false);
    await page.screenshot({ path: await screenshotPath('small-window-client-card-ru') });
  });

  it('edits a specialist and a service beside their lists', async () => {
    const { host, page } = await sessions.open();
    const staff = new StaffPage(page);
    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Elena Petrova');
    const staffList = await staff.staffRows.first().boundingBox();
    expect((await staff.staffForm.boundingBox())!.x).toBeGreaterThanOrEqual(staffList!.x + staffList!.width);
    expect(await withinWindow(page.getByTestId('staff-form-title'))).toBe(true);

    await staff.open(host.openUrl, 'services');
    await staff.serviceRows.first().click();
    await staff.serviceForm.waitFor();
    const serviceList = await staff.serviceRows.first().boundingBox();
    expect((await staff.serviceForm.boundingBox())!.x).toBeGreaterThanOrEqual(serviceList!.x + serviceList!.width);
    expect(await pageOverflowX(page)).toBe(0);
  });

  it("shows the week with the specialists' names and the visits' statuses whole", async () => {
    const { host, page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'week');
    const cut = await page.evaluate(() => {
      const problems: string[] = [];
      for (const status of document.querySelectorAll<HTMLElement>('.fd-week-status')) {
        if (status.scrollWidth > status.clientWidth + 1 || status.getBoundingClientRect().right > status.closest('.fd-week-visit')!.getBoundingClientRect().right + 1) problems.push(`status ${status.innerText}`);
      }
      for (const name of document.querySelectorAll<HTMLElement>('[data-testid="week-staff"] p')) {
        // A name takes at most a line per word: more lines means a word was broken.
        const lines = Math.round(name.clientHeight / parseFloat(getComputedStyle(name).lineHeight));
        if (lines > name.innerText.trim().split(/\s+/).length) problems.push(`name ${name.innerText}`);
      }
      return problems;
    });
    expect(cut).toEqual([]);
  });

  it("keeps the import dialog's buttons in the window over its mapping, nothing showing through them", async () => {
    const { host, page, shell } = await sessions.open();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-small-import-'));
    // With birthdays, so the mapping asks for their order (a switch just under the buttons at this height).
    const rows = ['first_name,last_name,phone,email,birthday,language,marketing_consent,notes,loyalty_points'];
    for (let i = 10; i < 40; i++) rows.push(`Anna${i},Schmidt,+491511234560${i},anna${i}@example.com,${i - 9}/03/1990,ru,yes,,0`);
    await writeFile(path.join(dir, 'clients.csv'), rows.join('\r\n'));
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await shell.setLanguage('ru');
    await clients.openImport(path.join(dir, 'clients.csv'));
    const check = page.getByTestId('import-check');
    expect(await withinWindow(check)).toBe(true);
    expect(await onTopAtCentre(check)).toBe(true);
    // The bar's own bottom edge: the mapping's controls scroll under it, not through it.
    const bar = page.locator('.fd-dialog-actions');
    expect(await bar.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const across = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);
      return across.every((x) => element.contains(document.elementFromPoint(box.left + box.width * x, box.bottom - 6)));
    })).toBe(true);
  });

  it('scrolls the visit card to an edit form as it opens: the whole form in sight, focus in its field (in Russian)', async () => {
    const { host, page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await calendar.blocks.first().click();
    await new VisitCardPage(page).waitOpen();
    const forms = [
      { opener: 'visit-move', field: 'move-date', save: 'move-save' },
      { opener: 'visit-length', field: 'length-end', save: 'length-save' },
      { opener: 'visit-reassign', field: 'reassign-select', save: 'reassign-save' },
      { opener: 'visit-change-services', field: 'services-edit', save: 'services-save' },
    ];
    for (const { opener, field, save } of forms) {
      await page.getByTestId(opener).click();
      await expect.poll(async () => (await focused(page)).testId).toBe(field);
      // The whole form in the window (it opened at the drawer's bottom edge: the length's hint was under it).
      await expect.poll(() => withinWindow(page.getByTestId('visit-card').locator('form'))).toBe(true);
      for (const id of [field, save]) expect(await onTopAtCentre(page.getByTestId(id)), id).toBe(true);
      await page.keyboard.press('Escape');
      await page.getByTestId(field).waitFor({ state: 'detached' });
    }
  });

  it("keeps the header on one line in the desktop app's smallest window: the salon's name shortened, the mode an icon", async () => {
    const { page, shell } = await sessions.open();
    await page.setViewportSize({ width: 800, height: 480 });
    for (const language of ['en', 'ru'] as const) {
      await shell.setLanguage(language);
      const name = page.getByTestId('location-name');
      // One line: cut short with an ellipsis, the whole name in its title (it wrapped to two lines).
      expect(await name.evaluate((element) => element.getBoundingClientRect().height <= parseFloat(getComputedStyle(element).lineHeight) * 1.5), language).toBe(true);
      expect(await name.getAttribute('title')).toBe('Lumière Beauty Studio');
      // The mode's words whole or not shown at all (they were cut: "Local only · web m…"); a screen reader still hears them.
      const badge = page.getByTestId('status-badge');
      const words = badge.locator('.mantine-Badge-label');
      expect(await words.evaluate((element) => element.getBoundingClientRect().width <= 1 || element.scrollWidth <= element.clientWidth + 1), language).toBe(true);
      expect(await badge.textContent()).toMatch(language === 'en' ? /Local only · web mode/ : /Только локально · веб-режим/);
      for (const part of [shell.title, badge, page.getByTestId('language-switch')]) expect(await withinWindow(part), language).toBe(true);
      expect(await textClipped(shell.title)).toBe(false);
    }
    // The icon's tooltip says it in words first.
    await page.getByTestId('status-badge').hover();
    await page.getByRole('tooltip').filter({ hasText: /^Только локально · веб-режим/ }).waitFor();
    await page.screenshot({ path: await screenshotPath('small-window-header-800') });
  });
});
