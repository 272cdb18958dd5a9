import type { Locator, Page } from 'playwright-core';

/** Page model of the application shell: header, status badge, theme and language switches, and the about panel. */
export class AppShellPage {
  readonly title: Locator;
  readonly statusBadge: Locator;
  readonly dataDir: Locator;
  readonly connectionError: Locator;
  readonly themeToggle: Locator;
  readonly languageSwitch: Locator;

  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.title = page.getByTestId('app-title');
    this.statusBadge = page.getByTestId('status-badge');
    this.dataDir = page.getByTestId('data-dir');
    this.connectionError = page.getByTestId('connection-error');
    this.themeToggle = page.getByTestId('color-scheme-toggle');
    this.languageSwitch = page.getByTestId('language-switch');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.title.waitFor();
  }

  colorScheme(): Promise<string | null> {
    return this.page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'));
  }

  /** Switches the theme with the header toggle. */
  async setColorScheme(scheme: 'light' | 'dark'): Promise<void> {
    if ((await this.colorScheme()) !== scheme) await this.themeToggle.click();
    // Move away so the toggle's tooltip is not in screenshots.
    await this.page.mouse.move(700, 880);
    await this.page.waitForFunction((s) => document.documentElement.getAttribute('data-mantine-color-scheme') === s, scheme);
  }

  async setLanguage(language: 'en' | 'ru'): Promise<void> {
    const id = await this.languageSwitch.locator(`input[value="${language}"]`).getAttribute('id');
    await this.page.locator(`label[for="${id}"]`).click();
  }
}
