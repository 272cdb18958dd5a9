import type { Locator, Page } from 'playwright-core';

/** Page model of the clients screen: search, result rows and the client card. */
export class ClientsPage {
  readonly page: Page;
  readonly search: Locator;
  readonly rows: Locator;
  readonly card: Locator;
  readonly cardName: Locator;
  /** The card's "messages sent" table, or its empty state. */
  readonly messages: Locator;

  constructor(page: Page) {
    this.page = page;
    this.search = page.getByTestId('client-search');
    this.rows = page.getByTestId('client-row');
    this.card = page.getByTestId('client-card');
    this.cardName = page.getByTestId('client-card-name');
    this.messages = page.locator('[data-testid="client-messages"], [data-testid="client-messages-empty"]');
  }

  async open(url: string): Promise<void> {
    const base = new URL(url);
    base.hash = '#/clients';
    await this.page.goto(base.toString());
    await this.rows.first().waitFor();
  }

  /** Waits until the card's messages (fetched from the host's log) are shown. */
  async messagesLoaded(): Promise<void> {
    await this.messages.first().waitFor();
  }
}
