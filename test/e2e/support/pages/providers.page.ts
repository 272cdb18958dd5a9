import type { Locator, Page } from 'playwright-core';

/** Page model of Settings → SMS, messengers & push: the team problems and one generated card per channel and provider. */
export class ProvidersPage {
  readonly page: Page;
  readonly panel: Locator;
  readonly teamProblems: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId('providers-panel');
    this.teamProblems = page.getByTestId('team-channel-problems');
  }

  async open(): Promise<void> {
    await this.page.evaluate(() => (window.location.hash = '#/settings/channels'));
    await this.panel.waitFor();
  }

  card(channel: string, kind: string): ProviderCardModel {
    return new ProviderCardModel(this.page, channel, kind);
  }
}

export class ProviderCardModel {
  readonly page: Page;
  readonly root: Locator;
  readonly #prefix: string;

  constructor(page: Page, channel: string, kind: string) {
    this.page = page;
    this.#prefix = `provider-${channel}-${kind}`;
    this.root = page.getByTestId(`${this.#prefix}-card`);
  }

  part(name: string): Locator {
    return this.page.getByTestId(`${this.#prefix}-${name}`);
  }

  /** The inline error under a field (Mantine links it to the input with aria-describedby). */
  async fieldError(name: string): Promise<string | null> {
    const id = (await this.part(name).getAttribute('aria-describedby'))?.split(' ').find((i) => i.endsWith('-error'));
    return id ? this.page.locator(`[id="${id}"]`).textContent() : null;
  }

  async expand(): Promise<void> {
    if ((await this.part('toggle').getAttribute('aria-expanded')) !== 'true') await this.part('toggle').click();
    await this.part('save').waitFor();
  }

  /** Saves and waits for this save's round trip (the button stops loading). */
  async save(): Promise<void> {
    await this.part('save').click();
    await this.root.locator(`[data-testid="${this.#prefix}-save"]:not([data-loading])`).waitFor();
  }
}
