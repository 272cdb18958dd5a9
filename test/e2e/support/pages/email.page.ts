import type { Page } from 'playwright-core';
import { ProviderCardModel } from './providers.page.ts';

/** Page model of Settings → Email (SMTP): the mail server's generated provider card. */
export class EmailPage {
  readonly page: Page;
  readonly card: ProviderCardModel;

  constructor(page: Page) {
    this.page = page;
    this.card = new ProviderCardModel(page, 'email', 'smtp');
  }

  async open(): Promise<void> {
    await this.page.evaluate(() => (window.location.hash = '#/settings/email'));
    await this.page.getByTestId('email-panel').waitFor();
    await this.card.part('save').waitFor();
  }

  /** Saves and waits for the toast that confirms it. */
  async saveAndWait(): Promise<void> {
    await this.card.save();
    await this.page.getByText('Mail server (SMTP) settings saved.').first().waitFor();
  }
}
