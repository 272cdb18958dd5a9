import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { startWebHost, type WebHost } from './support/web-host.ts';

let browser: Browser;
let host: WebHost;

beforeAll(async () => {
  browser = await launchChromium();
  host = await startWebHost(['--demo']);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
});

describe('clients (demo salon)', () => {
  it('searches, opens a client card, and refuses an invalid phone with the field named', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    const all = await clients.rows.count();
    const firstName = (await clients.rows.first().locator('.mantine-NavLink-label').textContent()) ?? '';
    await clients.search.fill(firstName.split(' ')[0]!);
    await expect.poll(() => clients.rows.count()).toBeLessThan(all);
    await clients.rows.first().click();
    await clients.card.waitFor();
    await page.getByText('Visits', { exact: true }).waitFor();
    await page.screenshot({ path: await screenshotPath('client-card') });
    await page.getByTestId('client-phone').fill('12');
    await page.getByTestId('client-save').click();
    await expect.poll(() => clients.card.textContent()).toContain('expected');
    await page.close();
  });
});
