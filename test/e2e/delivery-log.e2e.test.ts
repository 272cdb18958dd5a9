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

describe('delivery log', () => {
  it('filters by channel and status, and exports CSV', async () => {
    const { log, page } = await openDemo();
    await log.open();
    await log.rows.first().waitFor();
    await log.filter('status', 'Sandboxed');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))))).toEqual(new Set(['sandboxed']));
    await log.filter('channel', 'Email');
    await expect.poll(async () => (await log.rows.allInnerTexts()).every((text) => text.includes('Email'))).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), log.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^frontdesk-delivery-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('at,type,channel,status,recipient,reason,subject,body,clientId,appointmentId,jobId,providerReply,locationId,id');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes(',email,sandboxed,'))).toBe(true);
  });

  it('takes screenshots in light and dark', async () => {
    const { shell, log, page } = await openDemo();
    await log.open();
    await log.rows.first().waitFor();
    await log.rows.first().click();
    await page.getByTestId('log-entry-details').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`delivery-log-${scheme}`) });
    }
  });
});
