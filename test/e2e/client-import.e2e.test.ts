/**
 * Clients of the demo salon (300): a new client from the list, pages, search by any phone format and by email, a
 * per-channel opt-out that the cascade honours with the reason in the log, and a CSV import of a messy 5,000-row
 * export — counts reported, invalid rows listed with the reason, a cancel mid-way leaving nothing, then the import
 * written; export to CSV. Screenshots of the clients screen and the import in light and dark.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/csv/csv.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { messyImportFile } from '../support/client-import-file.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import type { AppShellPage } from './support/pages/app-shell.page.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions({ acceptDownloads: true });
const ZONE = 'Europe/Berlin';
let dir: string;
const file = messyImportFile(5000);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-import-e2e-'));
  await writeFile(path.join(dir, 'clients-export.csv'), file.csv);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setScheme(shell: AppShellPage, scheme: 'light' | 'dark'): Promise<void> {
  await shell.setColorScheme(scheme);
  await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shell.page.waitForTimeout(200);
}

describe('clients list', () => {
  it('creates a client, pages through 300, finds by any phone format and by email; screenshots light and dark', async () => {
    const { host, page, shell } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    // A screenful first, the rest of the page after its frame (rows-after-frame.ts).
    await expect.poll(() => clients.rows.count()).toBe(100);
    expect(await page.getByTestId('client-page-range').textContent()).toBe('1–100 of 300');
    await page.getByTestId('client-pages').getByRole('button', { name: '3', exact: true }).click();
    await expect.poll(() => page.getByTestId('client-page-range').textContent()).toBe('201–300 of 300');

    await clients.createClient({ firstName: 'Paula', lastName: 'Pager', phone: '0151 2345 678', email: 'Paula.Pager@Example.org' });
    expect(await page.getByTestId('client-phone').inputValue()).toBe('+491512345678');
    for (const typed of ['+49 (151) 234-56-78', '0151/2345678', 'paula.pager@example']) {
      await clients.search.fill(typed);
      await expect.poll(() => clients.rows.allInnerTexts()).toEqual([expect.stringContaining('Paula Pager')]);
    }
    await clients.search.fill('');
    await setScheme(shell, 'light');
    await page.screenshot({ path: await screenshotPath('clients-light') });
    await setScheme(shell, 'dark');
    await page.screenshot({ path: await screenshotPath('clients-dark') });
  });

  it('a careless file: a quote that never closes is refused with its line; a Windows-1252 export keeps its "ü" (not "ь")', async () => {
    const { host, page } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    const rest = Array.from({ length: 50 }, (_, i) => `Lost${i},Meier,+4915112${String(i).padStart(5, '0')}`);
    await writeFile(path.join(dir, 'unclosed.csv'), ['first_name,last_name,phone', 'Anna,Schmidt,+4915112345678', '"Bobby,Weber,+4915112345670', ...rest].join('\r\n'));
    await page.getByTestId('clients-import').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-pick').click();
    await (await chooser).setFiles(path.join(dir, 'unclosed.csv'));
    await expect.poll(() => page.getByTestId('import-file-error').textContent()).toContain('Line 3 of this file starts a cell with a quote');
    expect(await page.getByTestId('import-mapping').count()).toBe(0);
    await page.keyboard.press('Escape');

    // Excel's "CSV (comma delimited)" on a German Windows: Windows-1252, "ü" is the byte 0xFC.
    const western = 'first_name,last_name,phone\r\nJürgen,Müllerwitz,+4915187654321\r\n';
    await writeFile(path.join(dir, 'western.csv'), Buffer.from(western, 'latin1'));
    await clients.openImport(path.join(dir, 'western.csv'));
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor();
    await page.getByTestId('import-close').click();
    await clients.search.fill('Müllerwitz');
    await expect.poll(() => clients.rows.allInnerTexts()).toEqual([expect.stringContaining('Jürgen Müllerwitz')]);
  });

  it('a client who takes no email: the confirmation skips email with the reason and goes on by the next channel', async () => {
    const { host, page } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.createClient({ firstName: 'Olivia', lastName: 'Optout', phone: '0151 5550001', email: 'olivia@example.org' });
    await clients.setChannel('email', 'Nothing');
    await clients.save();

    let tuesday = addDaysToLocalDate(utcToWallClock(Date.now(), ZONE).date, 1);
    while (utcToWallClock(Date.parse(`${tuesday}T12:00:00Z`), ZONE).weekday !== 'tue') tuesday = addDaysToLocalDate(tuesday, 1);
    const calendar = new CalendarPage(page);
    await page.goto(new URL(`#/calendar/day/${tuesday}`, host.openUrl).toString());
    await calendar.dayGrid.waitFor();
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    await page.getByTestId('client-select').fill('Olivia Optout');
    await page.getByRole('option', { name: /^Olivia Optout/ }).click();
    await page.getByTestId('staff-select').click();
    await page.getByRole('option', { name: /^Sophie Wagner/ }).click();
    await page.getByTestId('services-select').click();
    await page.getByRole('option', { name: /^Women's haircut/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('booking-date').fill(tuesday);
    await page.getByTestId('booking-time').fill('10:00');
    await page.getByTestId('booking-save').click();
    const card = new VisitCardPage(page);
    await card.waitOpen();
    const confirmation = card.job('bookingConfirmation');
    await confirmation.waitFor();
    await expect.poll(async () => confirmation.getByTestId('message-attempts-toggle').count(), { timeout: 15_000 }).toBe(1);
    await confirmation.getByTestId('message-attempts-toggle').click();
    const attempts = () => confirmation.locator('[data-testid="log-entry"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-status')}: ${e.textContent}`));
    await expect.poll(attempts, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^notTried: Email: Not tried\s*No Email: the client asked not to be contacted this way/));
    // The next channels of the cascade were tried instead: the message went by SMS (sandboxed in the demo). Each step
    // is logged as it is taken, so the SMS line may come a moment after the email one.
    await expect.poll(attempts, { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^sandboxed: SMS/));
    // The delivery log says the same.
    await page.goto(new URL('#/log', host.openUrl).toString());
    await expect.poll(() => page.getByTestId('delivery-log').textContent(), { timeout: 15_000 }).toContain('No Email: the client asked not to be contacted this way');
  });
});

describe('client import', () => {
  it('imports a messy 5,000-row export: counts, invalid rows with reasons, cancel mid-way leaves nothing, then one-go import and export; screenshots light and dark', async () => {
    const { host, page, shell } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.openImport(path.join(dir, 'clients-export.csv'));
    expect(await page.getByTestId('import-column-2').inputValue()).toBe('phone');
    expect(await page.getByTestId('import-column-4').inputValue()).toBe('birthday');

    // Cancel while the rows are being checked: nothing imported.
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-cancelled').waitFor();
    await page.getByTestId('import-close').click();
    await expect.poll(() => page.getByTestId('client-count').textContent()).toBe('300');

    await setScheme(shell, 'dark');
    await clients.openImport(path.join(dir, 'clients-export.csv'));
    await page.screenshot({ path: await screenshotPath('import-mapping-dark') });
    await page.evaluate(() => document.documentElement.setAttribute('data-mantine-color-scheme', 'light'));
    await page.waitForTimeout(200);
    await page.screenshot({ path: await screenshotPath('import-mapping-light') });
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-commit').waitFor({ timeout: 60_000 });
    expect(await clients.importCount('rows')).toBe(5000);
    expect(await clients.importCount('create')).toBe(file.expected.unique);
    expect(await clients.importCount('duplicates')).toBe(file.expected.duplicates);
    expect(await clients.importCount('invalid')).toBe(file.expected.invalid);
    const first = page.getByTestId('import-issue').first();
    expect(await first.textContent()).toContain(`Row ${file.samples[0]!.row}`);
    expect(await page.locator('[data-testid="import-issue"][data-code="import.phone.invalid"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="import-issue"][data-code="import.birthday.invalid"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: await screenshotPath('import-review-light') });
    // The dialog covers the header's theme toggle: switch the scheme the way the toggle does, on the document.
    await page.evaluate(() => document.documentElement.setAttribute('data-mantine-color-scheme', 'dark'));
    await page.waitForTimeout(200);
    await page.screenshot({ path: await screenshotPath('import-review-dark') });
    await page.evaluate(() => document.documentElement.setAttribute('data-mantine-color-scheme', 'light'));
    // Still nothing written before Import.
    expect(await page.getByTestId('client-count').textContent()).toBe('300');
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-close').click();
    await expect.poll(() => page.getByTestId('client-count').textContent()).toBe(String(300 + file.expected.unique));

    // Export: the importer's template, every client, phones in E.164.
    const downloading = page.waitForEvent('download');
    await page.getByTestId('clients-export').click();
    const exported = parseCsv(await readFile((await (await downloading).path())!, 'utf8'));
    expect(exported[0]).toEqual(['first_name', 'last_name', 'phone', 'email', 'birthday', 'language', 'marketing_consent', 'notes', 'loyalty_points']);
    expect(exported.length - 1).toBe(300 + file.expected.unique);
    expect(exported.some((row) => row[2] === "'+491511000001")).toBe(true);
  });
});
