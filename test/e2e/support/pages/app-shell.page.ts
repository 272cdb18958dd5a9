import type { Locator, Page } from 'playwright-core';

/** Page model of the application shell: header, status badge, and the about panel. */
export class AppShellPage {
  readonly title: Locator;
  readonly statusBadge: Locator;
  readonly dataDir: Locator;
  readonly connectionError: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.title = page.getByTestId('app-title');
    this.statusBadge = page.getByTestId('status-badge');
    this.dataDir = page.getByTestId('data-dir');
    this.connectionError = page.getByTestId('connection-error');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.title.waitFor();
  }
}
