import type { Locator, Page } from 'playwright-core';

/** Page model of the Staff and Services screens: list rows, the edit forms and their save messages. */
export class StaffPage {
  readonly page: Page;
  readonly staffRows: Locator;
  readonly staffForm: Locator;
  readonly staffMessage: Locator;
  readonly serviceRows: Locator;
  readonly serviceForm: Locator;
  readonly serviceMessage: Locator;

  constructor(page: Page) {
    this.page = page;
    this.staffRows = page.getByTestId('staff-row');
    this.staffForm = page.getByTestId('staff-form');
    this.staffMessage = page.getByTestId('staff-message');
    this.serviceRows = page.getByTestId('service-row');
    this.serviceForm = page.getByTestId('service-form');
    this.serviceMessage = page.getByTestId('service-message');
  }

  async open(url: string, screen: 'staff' | 'services', id?: string): Promise<void> {
    const base = new URL(url);
    base.hash = `#/${screen}${id ? `/${id}` : ''}`;
    await this.page.goto(base.toString());
    await (screen === 'staff' ? this.staffRows : this.serviceRows).first().waitFor();
  }

  async chooseStaff(name: string): Promise<void> {
    await this.staffRows.filter({ hasText: name }).first().click();
    await this.page.getByTestId('staff-form-title').filter({ hasText: name }).waitFor();
  }

  /** Adds a day off, vacation or sick leave from `from` to `to` (YYYY-MM-DD) as the last row. */
  async addTimeOff(kind: 'dayOff' | 'vacation' | 'sickLeave', from: string, to: string): Promise<void> {
    await this.page.getByTestId('time-off-add').click();
    const row = this.page.getByTestId('time-off-row').last();
    await row.getByTestId('time-off-kind').selectOption(kind);
    await row.getByTestId('time-off-from').fill(from);
    await row.getByTestId('time-off-to').fill(to);
  }

  async saveStaff(): Promise<void> {
    await this.page.getByTestId('staff-save').click();
    await this.staffMessage.waitFor();
  }

  async saveService(): Promise<void> {
    await this.page.getByTestId('service-save').click();
    await this.serviceMessage.waitFor();
  }
}
