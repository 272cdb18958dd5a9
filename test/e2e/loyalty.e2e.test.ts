/**
 * Loyalty, payments and integrations at the desk (demo salon, web mode): bonus points credited on the client card
 * plan the bonus-accrual message; a discount with a last day plans the expiring-discount message, and none once it
 * is marked used; a payment on the visit card with bonus points after it; Settings → Integrations with its token
 * shown once, a test event, and a real call to the endpoint whose toast opens "New client" with the number.
 * Light and dark screenshots of each.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { AppShellPage } from './support/pages/app-shell.page.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { LoyaltyPage } from './support/pages/loyalty.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { startWebHost, type WebHost } from './support/web-host.ts';
import { demoWorkday } from './support/demo-days.ts';

let browser: Browser;
let host: WebHost | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await page?.close();
  await host?.stop();
  page = undefined;
  host = undefined;
});

/** A fresh demo desk whose integration endpoint takes any free port (tests run side by side). */
async function open(): Promise<{ host: WebHost; page: Page; shell: AppShellPage; loyalty: LoyaltyPage }> {
  host = await startWebHost(['--demo'], undefined, { env: { ...process.env, FRONTDESK_INTEGRATION_PORT: '0' } });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const shell = new AppShellPage(page);
  await shell.open(host.openUrl);
  await shell.dataDir.waitFor();
  // What a test does first must not wait behind the host's start-up re-plan (see WebHost.startPlanned).
  await host.startPlanned();
  return { host, page, shell, loyalty: new LoyaltyPage(page) };
}

async function shoot(shell: AppShellPage, name: string, target?: { screenshot(o: { path: string; fullPage?: boolean }): Promise<unknown> }): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await shell.setColorScheme(scheme);
    await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shell.page.waitForTimeout(200);
    const path = await screenshotPath(`${name}-${scheme}`);
    await (target ? target.screenshot({ path }) : shell.page.screenshot({ path, fullPage: true }));
  }
  await shell.setColorScheme('light');
}

/**
 * Light and dark of a dialog that is open: its overlay covers the theme toggle, so the scheme is set the way the
 * toggle sets it (Mantine's attribute on <html>, which every colour variable follows) and set back afterwards.
 */
async function shootDialog(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.evaluate((s) => document.documentElement.setAttribute('data-mantine-color-scheme', s), scheme);
    await page.waitForTimeout(200);
    await page.screenshot({ path: await screenshotPath(`${name}-${scheme}`) });
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-mantine-color-scheme', 'light'));
}

describe('loyalty at the desk (demo salon)', () => {
  it('bonus credit → bonus-accrual message; discount with a last day → expiring-discount message, none once used', async () => {
    const { host, page, shell, loyalty } = await open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.rows.first().click();
    await clients.card.waitFor();
    // Expiring-discount messages are promotional: the client agrees to them first.
    if ((await page.getByTestId('consent-notice').getAttribute('data-consent')) === 'no') {
      await page.getByRole('checkbox', { name: /Agrees to promotional messages/ }).check();
      await page.getByTestId('client-save').click();
      await expect.poll(() => page.getByTestId('consent-notice').getAttribute('data-consent')).toBe('yes');
    }
    const before = await loyalty.balancePoints();
    await loyalty.points('credit', 120, 'Birthday gift');
    await expect.poll(() => loyalty.balancePoints()).toBe(before + 120);
    await expect.poll(() => page.getByTestId('bonus-entry').first().textContent()).toContain('+120');
    await expect.poll(() => loyalty.message('bonusAccrual').count(), { timeout: 60_000 }).toBeGreaterThan(0);

    // A debit of more than the balance is refused by the host with the balance named; nothing changes.
    await loyalty.points('debit', before + 121, 'Too much');
    await expect.poll(() => page.getByTestId('points-form').first().textContent()).toContain(`The client has ${before + 120} points`);
    expect(await loyalty.balancePoints()).toBe(before + 120);

    const today = utcToWallClock(Date.now(), 'Europe/Berlin').date;
    await loyalty.addDiscount(15, 'Autumn offer', addDaysToLocalDate(today, 10));
    const discount = loyalty.vouchers.filter({ hasText: 'Autumn offer' });
    await expect.poll(() => discount.getAttribute('data-state')).toBe('usable');
    const reminder = loyalty.message('expiringDiscount');
    await expect.poll(() => reminder.getAttribute('data-state'), { timeout: 60_000 }).toBe('planned');
    await shoot(shell, 'loyalty-client-card');

    await discount.getByTestId('voucher-mark').click();
    await expect.poll(() => discount.getAttribute('data-state')).toBe('used');
    await expect.poll(() => reminder.getAttribute('data-state'), { timeout: 60_000 }).not.toBe('planned');
    expect(await loyalty.messages.locator('[data-type="expiringDiscount"][data-state="planned"]').count()).toBe(0);
  }, 180_000);

  it('records a card payment on the visit card, then credits bonus points for it', async () => {
    const { host, page, loyalty } = await open();
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(1));
    // A cancelled visit takes no payment (its button is disabled); about 1 demo visit in 14 ahead is cancelled.
    await page.locator('[data-testid="appointment-block"]:not([data-status="cancelled"])').first().click();
    await card.waitOpen();
    await loyalty.payments.getByTestId('payment-record').click();
    await loyalty.paymentDialog.waitFor();
    await shootDialog(page, 'payment-dialog');
    await loyalty.paymentDialog.getByTestId('payment-cancel').click();
    await loyalty.paymentDialog.waitFor({ state: 'detached' });
    await loyalty.recordPayment('card', '40');
    await expect.poll(() => loyalty.payments.getByTestId('payment-row').count()).toBe(1);
    expect(await loyalty.payments.getByTestId('payment-row').getAttribute('data-method')).toBe('card');
    const after = page.getByTestId('after-payment');
    await after.waitFor();
    await loyalty.points('credit', 4, 'Visit bonus', after.getByTestId('points-form'));
    await after.waitFor({ state: 'detached' });
    await loyalty.payments.scrollIntoViewIfNeeded();
    // The drawer covers the theme toggle, like a dialog.
    await shootDialog(page, 'visit-card-payments');
  });

  it('adds an integration (token shown once), sends a test event, and a real call opens "New client" with the number', async () => {
    const { host, page, shell, loyalty } = await open();
    const url = new URL(host.openUrl);
    url.hash = '#/settings/integrations';
    await page.goto(url.toString());
    await loyalty.integrations.waitFor();
    await page.getByTestId('integration-add').click();
    await page.getByTestId('integration-name').fill('Front desk phone');
    await page.getByTestId('integration-kind').click();
    await page.getByRole('option', { name: /Phone system/ }).click();
    await page.getByTestId('integration-save').click();
    const token = (await page.getByTestId('integration-token-value').textContent()) ?? '';
    expect(token).toMatch(/^fdi_[a-z0-9]+_[A-Za-z0-9_-]{43}$/);
    await shootDialog(page, 'integration-token');
    await page.getByTestId('integration-token-done').click();
    await expect.poll(() => page.getByTestId('endpoint-state').textContent()).toBe('Listening');
    const endpoint = (await page.getByTestId('endpoint-url').textContent()) ?? '';

    await page.getByTestId('integration-test').click();
    await expect.poll(() => page.getByTestId('integration-test-result').getAttribute('data-ok'), { timeout: 60_000 }).toBe('true');
    await page.getByTestId('desk-toast').first().waitFor();
    await shoot(shell, 'integrations-settings');
    for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click();

    // A phone system calling in from an unknown number: one toast, whose link opens New client with the number.
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'incomingCall', phone: '030 5550123', callId: 'e2e-1' }),
    });
    expect(response.status).toBe(202);
    // Told apart from the test event's call by its number: a closed toast stays in the page for its exit transition, and
    // the test's may still be there (or come into view from Mantine's queue when others close).
    const toast = page.locator('[data-testid="desk-toast"][data-kind="incomingCall"]').filter({ hasText: /555\s?0123/ });
    await expect.poll(() => toast.count()).toBe(1);
    await toast.getByTestId('desk-toast-open').click();
    await page.getByTestId('new-client-form').waitFor();
    expect(await page.getByTestId('new-client-phone').inputValue()).toBe('+49305550123');
  });
});
