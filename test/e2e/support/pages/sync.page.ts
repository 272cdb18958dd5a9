import type { Locator, Page } from 'playwright-core';

/** Page model of Settings → Sync (the server form, "Test connection" and its checks, the live status) and the badge. */
export class SyncPage {
  readonly page: Page;
  readonly panel: Locator;
  readonly enabled: Locator;
  readonly endpoint: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly deskName: Locator;
  readonly test: Locator;
  readonly save: Locator;
  readonly checks: Locator;
  readonly error: Locator;
  readonly status: Locator;
  readonly badge: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId('sync-panel');
    this.enabled = page.getByTestId('sync-enabled');
    this.endpoint = page.getByTestId('sync-endpoint');
    this.username = page.getByTestId('sync-username');
    this.password = page.getByTestId('sync-password');
    this.deskName = page.getByTestId('sync-desk-name');
    this.test = page.getByTestId('sync-test');
    this.save = page.getByTestId('sync-save');
    this.checks = page.getByTestId('sync-checks');
    this.error = page.getByTestId('sync-error');
    this.status = page.getByTestId('sync-status');
    this.badge = page.getByTestId('status-badge');
  }

  async open(): Promise<void> {
    await this.page.evaluate(() => (window.location.hash = '#/settings/sync'));
    await this.panel.waitFor();
  }

  /** The checkbox of a location to sync, by its name. */
  location(name: string): Locator {
    return this.panel.getByRole('checkbox', { name });
  }

  prefix(): Locator {
    return this.panel.getByRole('textbox', { name: 'Database prefix' });
  }

  /** Runs "Test connection" and answers each check's line as shown, with whether it passed. */
  async runTest(): Promise<{ ok: boolean; text: string }[]> {
    await this.test.click();
    await this.panel.locator('[data-testid="sync-test"]:not([data-loading])').waitFor();
    await this.checks.waitFor();
    const rows = this.checks.getByTestId('sync-check');
    const out: { ok: boolean; text: string }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      out.push({ ok: (await row.getAttribute('data-ok')) === 'true', text: ((await row.textContent()) ?? '').trim() });
    }
    return out;
  }

  async saveAndWait(): Promise<void> {
    await this.save.click();
    await this.panel.locator('[data-testid="sync-save"]:not([data-loading])').waitFor();
    await this.page.getByText('Sync settings saved').first().waitFor();
  }

  phase(): Promise<string | null> {
    return this.badge.getAttribute('data-sync-phase');
  }
}
