import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import type { AppShellPage } from './support/pages/app-shell.page.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions({ acceptDownloads: true });

async function openDemo(): Promise<{ shell: AppShellPage; log: DeliveryLogPage; page: Page }> {
  const { shell, page } = await sessions.open();
  return { shell, log: new DeliveryLogPage(page), page };
}

/** Splits one CSV line on `;` outside quotes (enough for the rows this test reads). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ';' && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

describe('delivery log', () => {
  it('filters by status, channel and client name, and exports a CSV a German spreadsheet opens as columns', async () => {
    const { log, page } = await openDemo();
    await log.open();
    await log.sandboxedShown();
    // Every row names the client it is about (a team message, the client of its visit); the table fits a 1440 px desk.
    expect(await log.clientCellsNotFittingTheirEntry()).toEqual([]);
    expect(await log.someRowIsAboutAClient()).toBe(true);
    expect(await log.fitsWidth()).toBe(true);

    await log.filter('status', 'Sandbox — not sent');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))).toEqual(new Set(['sandboxed']));
    await log.filter('channel', 'Email');
    await expect.poll(async () => (await log.rows.allInnerTexts()).every((text) => text.includes('Email'))).toBe(true);

    // By name, as a receptionist searches: pick the client of the first row.
    // (The team's emails to specialists are sandboxed emails too, and name the client of their visit.)
    const clientCell = log.clientCellsOfClients.first();
    const someone = (await clientCell.innerText()).trim();
    // Demo clients can share a name: the filter is by the client, not by the name.
    await log.filterClient(someone, (await clientCell.getAttribute('data-client-id')) ?? '');
    await expect.poll(async () => new Set(await log.clientCells.allInnerTexts())).toEqual(new Set([someone]));
    const shownTime = (await log.rows.first().locator('td').nth(1).innerText()).trim();

    const [download] = await Promise.all([page.waitForEvent('download'), log.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^frontdesk-delivery-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    const header = cells(lines[0]!);
    expect(header.slice(0, 9)).toEqual(['Time (salon)', 'Client', 'Message', 'Channel', 'Status', 'Recipient', 'Reason', 'Subject', 'Text']);
    expect(header).toEqual(expect.arrayContaining(['Time (UTC)', 'Type code', 'Channel code', 'Status code', 'Reason code']));
    const rows = lines.slice(1).filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2};/.test(line)).map(cells);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row[1]).toBe(someone);
      expect(row[3]).toBe('Email');
      expect(row[4]).toBe('Sandbox — not sent');
      expect(row[header.indexOf('Status code')]).toBe('sandboxed');
      expect(row[header.indexOf('Channel code')]).toBe('email');
    }
    // The salon's clock, not UTC: the first CSV row's time is the one the table shows.
    expect(shownTime).toContain(rows[0]![0]!.slice(11, 16));
  });

  it('keeps a chosen namesake told apart by phone in the client filter while searching for someone else', async () => {
    const { log, page } = await openDemo();
    await log.open();
    // The demo salon (seed 1) has three clients named Theresa Taylor.
    const options = (await log.clientOptions('Theresa Taylor')).filter(([, label]) => label.startsWith('Theresa Taylor'));
    expect(options.length).toBeGreaterThan(1);
    expect(options.every(([, label]) => / · \+\d[\d ]+\d$/.test(label))).toBe(true);
    const [clientId, label] = options[1]!;
    await page.locator(`[role="option"][value="${clientId}"]`).click();
    await expect.poll(() => log.clientFilter.inputValue()).toBe(label);
    // Searching for someone else lists the chosen client first, still told apart from its namesakes.
    const whileSearching = await log.clientOptions('Hannah');
    expect(whileSearching[0]).toEqual([clientId, label]);
  });

  it('expands a row from the keyboard, and takes screenshots in light and dark', async () => {
    const { shell, log, page } = await openDemo();
    await log.open();
    await log.rows.first().waitFor();
    // The row pinned by its entry: a message sent meanwhile comes in above it, and "the first row" is another one.
    const entry = await log.rows.first().getAttribute('data-entry');
    const toggle = page.locator(`[data-testid="log-row"][data-entry="${entry}"]`).getByTestId('log-row-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('log-entry-details').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('log-entry-details').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('log-entry-details').waitFor();
    // A reason is in words, never a code or a field path.
    for (const reason of await page.getByTestId('log-entry-reason').allInnerTexts()) expect(reason).not.toMatch(/\w+\.\w+|appNotInstalled/);
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`delivery-log-${scheme}`) });
    }
  });
});
