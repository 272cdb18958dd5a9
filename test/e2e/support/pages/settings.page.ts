import type { Locator, Page } from 'playwright-core';

/** Page model of the notification settings: tabs, the type list, the type editor, location and SMTP panels. */
export class SettingsPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly editor: Locator;
  readonly saveButton: Locator;
  readonly issuesSummary: Locator;
  readonly templateBody: Locator;
  readonly templateSubject: Locator;
  readonly preview: Locator;
  readonly smsCounter: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('settings-screen');
    this.editor = page.getByTestId('type-editor');
    this.saveButton = page.getByTestId('save-button');
    this.issuesSummary = page.getByTestId('issues-summary');
    this.templateBody = page.getByTestId('template-body');
    this.templateSubject = page.getByTestId('template-subject');
    this.preview = page.getByTestId('preview-body');
    this.smsCounter = page.getByTestId('sms-counter');
  }

  /** Opens the settings by the hash route, e.g. tab 'client' and type 'reminder'. */
  async open(tab: 'client' | 'team' | 'location' | 'email' = 'client', type?: string): Promise<void> {
    await this.page.evaluate((hash) => (window.location.hash = hash), `#/settings/${tab}${type ? `/${type}` : ''}`);
    await this.screen.waitFor();
    if (tab === 'client' || tab === 'team') await this.editor.waitFor();
  }

  tab(name: 'client' | 'team' | 'location' | 'email'): Locator {
    return this.page.getByTestId(`settings-tab-${name}`);
  }

  type(name: string): Locator {
    return this.page.getByTestId(`type-${name}`);
  }

  /** The scenario options offered for a channel in the cascade table, as their labels. */
  async scenarioOptions(channel: string): Promise<string[]> {
    return this.page.getByTestId(`scenario-${channel}`).locator('label').allInnerTexts();
  }

  /** Picks a SegmentedControl option by its value (clicks its label, as a person would). */
  async pick(control: string, value: string): Promise<void> {
    const input = this.page.getByTestId(control).locator(`input[value="${value}"]`);
    const id = await input.getAttribute('id');
    await this.page.locator(`label[for="${id}"]`).click();
  }

  async selectTemplate(channel: string, language: 'en' | 'ru'): Promise<void> {
    await this.pick('template-channel', channel);
    await this.pick('template-language', language);
  }

  /** The inline error shown under the template body field. */
  bodyError(): Locator {
    return this.page.locator('.mantine-Textarea-error');
  }
}
