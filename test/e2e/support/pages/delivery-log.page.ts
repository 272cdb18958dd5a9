import type { Locator, Page } from 'playwright-core';

/** Page model of the delivery log. */
export class DeliveryLogPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly rows: Locator;
  readonly exportButton: Locator;
  readonly count: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('delivery-log');
    this.rows = page.getByTestId('log-row');
    this.exportButton = page.getByTestId('log-export');
    this.count = page.getByTestId('log-count');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-log').click();
    await this.screen.waitFor();
  }

  /** Picks an option of one of the Select filters by its visible label. */
  async filter(name: 'type' | 'channel' | 'status', label: string): Promise<void> {
    await this.page.getByTestId(`log-filter-${name}`).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }
}
