import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { AppShellPage } from './support/pages/app-shell.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { startWebHost, type WebHost } from './support/web-host.ts';

/** Switches the theme with the header toggle, then blurs it so its tooltip stays out of the screenshots. */
async function setScheme(shell: AppShellPage, scheme: 'light' | 'dark'): Promise<void> {
  await shell.setColorScheme(scheme);
  await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shell.page.waitForTimeout(200);
}

let browser: Browser;
let host: WebHost;

beforeAll(async () => {
  browser = await launchChromium();
  host = await startWebHost(['--demo']);
  // What the test does first must not wait behind the host's start-up re-plan (see WebHost.startPlanned).
  await host.startPlanned();
});
afterAll(async () => {
  await browser.close();
  await host.stop();
});

describe('clients (demo salon)', () => {
  it('searches, opens a client card (light and dark), and refuses an invalid phone with the field named', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const clients = new ClientsPage(page);
    const shell = new AppShellPage(page);
    await clients.open(host.openUrl);
    // The whole first page (100 rows): a screenful comes first, the rest of the page after its frame.
    const total = Number((await page.getByTestId('client-count').textContent())?.replace(/\D/g, ''));
    expect(total).toBeGreaterThan(24);
    await expect.poll(() => clients.rows.count()).toBe(Math.min(100, total));
    const all = await clients.rows.count();
    const firstName = (await clients.rows.first().locator('.mantine-NavLink-label').textContent()) ?? '';
    // Typed → list filtered, in the page (every keystroke filters; the list renders as a deferred update).
    const started = Date.now();
    await clients.search.fill(firstName.split(' ')[0]!);
    await expect.poll(() => clients.rows.count(), { interval: 10 }).toBeLessThan(all);
    console.log(JSON.stringify({ bench: 'clients.searchInPage', clientsShown: all, typedToFilteredMs: Date.now() - started }));
    await clients.rows.first().click();
    await clients.card.waitFor();
    await page.getByText('Visits', { exact: true }).waitFor();
    // For the screenshots, a client with history: from a visit in this week's calendar, follow the client's name.
    const week = new URL(host.openUrl);
    week.hash = '#/calendar/week';
    await page.goto(week.toString());
    await page.getByTestId('appointment-block').first().click();
    await page.getByTestId('visit-client-name').locator('a').click();
    await clients.card.waitFor();
    await page.getByTestId('client-visits').waitFor();
    await clients.messagesLoaded();
    await setScheme(shell, 'light');
    await page.screenshot({ path: await screenshotPath('client-card-light') });
    await setScheme(shell, 'dark');
    await page.screenshot({ path: await screenshotPath('client-card-dark') });
    await page.getByTestId('client-phone').fill('12');
    await page.getByTestId('client-save').click();
    await expect.poll(() => clients.card.textContent()).toContain('expected');
    await page.close();
  });
});
