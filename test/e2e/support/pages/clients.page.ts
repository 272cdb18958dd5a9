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

  /** Creates a client with the list's "New client" form; returns when their card is open. */
  async createClient(c: { firstName: string; lastName: string; phone: string; email: string }): Promise<void> {
    await this.page.getByTestId('client-new').click();
    await this.page.getByTestId('new-client-first-name').fill(c.firstName);
    await this.page.getByTestId('new-client-last-name').fill(c.lastName);
    await this.page.getByTestId('new-client-phone').fill(c.phone);
    await this.page.getByTestId('new-client-email').fill(c.email);
    await this.page.getByTestId('new-client-save').click();
    await this.cardName.filter({ hasText: `${c.firstName} ${c.lastName}` }).waitFor();
  }

  /** Sets what the client accepts on a channel, on the open card (saved with the card's Save). */
  async setChannel(channel: 'email' | 'sms' | 'aggregatorPush' | 'brandedPush', choice: 'All messages' | 'No promotions' | 'Nothing'): Promise<void> {
    await this.page.getByTestId(`channel-opt-out-${channel}`).getByText(choice, { exact: true }).click();
  }

  async save(): Promise<void> {
    await this.page.getByTestId('client-save').click();
    await this.page.getByTestId('client-message').filter({ hasText: 'Saved' }).waitFor();
  }

  /** The import dialog's step after choosing `file` (a path): the column mapping. */
  async openImport(file: string): Promise<void> {
    await this.page.getByTestId('clients-import').click();
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByTestId('import-pick').click();
    await (await chooser).setFiles(file);
    await this.page.getByTestId('import-mapping').waitFor();
  }

  /** A number of the import summary (rows, create, update, duplicates, invalid). */
  async importCount(key: 'rows' | 'create' | 'update' | 'duplicates' | 'invalid'): Promise<number> {
    return Number(await this.page.getByTestId(`import-sum-${key}`).getAttribute('data-value'));
  }

  /** Waits until the card's messages (fetched from the host's log) are shown. */
  async messagesLoaded(): Promise<void> {
    await this.messages.first().waitFor();
  }
}
