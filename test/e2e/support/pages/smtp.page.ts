import type { Locator, Page } from 'playwright-core';

/** Page model of the email (SMTP) panel in the settings: the server form, the password state and the TLS consent. */
export class SmtpPage {
  readonly page: Page;
  readonly card: Locator;
  readonly host: Locator;
  readonly port: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly save: Locator;
  readonly passwordNeeded: Locator;
  readonly forgetHint: Locator;
  readonly allowInsecure: Locator;
  readonly insecureWarning: Locator;

  constructor(page: Page) {
    this.page = page;
    this.card = page.getByTestId('smtp-card');
    this.host = page.getByTestId('smtp-host');
    this.port = page.getByTestId('smtp-port');
    this.username = page.getByTestId('smtp-username');
    this.password = page.getByTestId('smtp-password');
    this.save = page.getByTestId('smtp-save');
    this.passwordNeeded = page.getByTestId('smtp-password-needed');
    this.forgetHint = page.getByTestId('smtp-password-forget-hint');
    this.allowInsecure = page.getByTestId('smtp-allow-insecure');
    this.insecureWarning = page.getByTestId('smtp-insecure-warning');
  }

  async open(): Promise<void> {
    await this.page.evaluate(() => (window.location.hash = '#/settings/email'));
    await this.card.waitFor();
  }

  /** Saves and waits for the toast that confirms it. */
  async saveAndWait(): Promise<void> {
    // The toast of an earlier save may still be showing: wait for this save's own round trip (the button stops
    // loading) before looking for the toast, so the next step never reads the panel of the previous save.
    await this.save.click();
    await this.card.locator('[data-testid="smtp-save"]:not([data-loading])').waitFor();
    await this.page.getByText('Email connection saved.').first().waitFor();
  }
}
