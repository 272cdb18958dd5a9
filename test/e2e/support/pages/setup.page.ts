import type { Locator, Page } from 'playwright-core';

export interface SalonFields {
  name: string;
  country: string;
  street: string;
  postalCode: string;
  city: string;
  phone: string;
  timeZone: string;
}

/** Page model of the first-run set-up: the welcome choice, the salon, team & services, and email steps. */
export class SetupPage {
  readonly page: Page;
  readonly welcome: Locator;
  readonly wizard: Locator;

  constructor(page: Page) {
    this.page = page;
    this.welcome = page.getByTestId('setup-welcome');
    this.wizard = page.getByTestId('setup-wizard');
  }

  /** A Mantine Select: types to filter, then picks the option that starts with `label`. */
  async choose(testId: string, label: string): Promise<void> {
    const input = this.page.getByTestId(testId);
    await input.click();
    // Searchable selects filter as one types; the others only open their list.
    if (await input.isEditable()) await input.fill(label);
    await this.page.getByRole('option', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).first().click();
  }

  /** The text a form shows under an input (by the input's test id). */
  fieldError(testId: string): Locator {
    return this.page.locator('.mantine-InputWrapper-root', { has: this.page.getByTestId(testId) }).locator('.mantine-InputWrapper-error');
  }

  async fillSalon(s: SalonFields): Promise<void> {
    await this.page.getByTestId('salon-name').fill(s.name);
    await this.choose('salon-country', s.country);
    await this.page.getByTestId('salon-street').fill(s.street);
    await this.page.getByTestId('salon-postal').fill(s.postalCode);
    await this.page.getByTestId('salon-city').fill(s.city);
    await this.page.getByTestId('salon-phone').fill(s.phone);
    await this.choose('salon-timezone', s.timeZone);
  }

  async addService(name: string, category: string, minutes: number, price: number): Promise<void> {
    const list = this.page.getByTestId('setup-service-list').locator('tr');
    const before = await list.count();
    await this.page.getByTestId('service-name').fill(name);
    await this.choose('service-category', category);
    await this.page.getByTestId('service-duration').fill(String(minutes));
    await this.page.getByTestId('service-price').fill(String(price));
    await this.page.getByTestId('service-add').click();
    await this.page.waitForFunction(([n]) => document.querySelectorAll('[data-testid="setup-service-list"] tr').length > n!, [before]);
  }

  /** Adds a specialist; `daysOff` are weekdays (mon…sun) switched off in their own hours, else the salon's hours. */
  async addSpecialist(name: string, services: string[], daysOff: string[] = []): Promise<void> {
    const before = await this.page.getByTestId('setup-staff-list').locator('tr').count();
    await this.page.getByTestId('staff-name').fill(name);
    for (const service of services) await this.page.getByTestId('staff-services').getByText(service, { exact: true }).click();
    if (daysOff.length > 0) {
      await this.page.getByTestId('staff-same-hours').click();
      for (const day of daysOff) await this.page.getByTestId(`hours-${day}-works`).click();
    }
    await this.page.getByTestId('staff-add').click();
    await this.page.waitForFunction(([n]) => document.querySelectorAll('[data-testid="setup-staff-list"] tr').length > n!, [before]);
  }
}
