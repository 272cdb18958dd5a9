import type { Locator, Page } from 'playwright-core';

/** Page model of the loyalty parts: the client card's points and vouchers, the visit card's payments, Settings → Integrations. */
export class LoyaltyPage {
  readonly page: Page;
  readonly section: Locator;
  readonly balance: Locator;
  readonly messages: Locator;
  readonly vouchers: Locator;
  readonly payments: Locator;
  readonly paymentDialog: Locator;
  readonly integrations: Locator;

  constructor(page: Page) {
    this.page = page;
    this.section = page.getByTestId('client-loyalty');
    this.balance = page.getByTestId('loyalty-balance');
    this.messages = page.getByTestId('loyalty-messages');
    this.vouchers = page.getByTestId('voucher-row');
    this.payments = page.getByTestId('visit-payments');
    this.paymentDialog = page.locator('.mantine-Modal-content').filter({ has: page.getByTestId('payment-amount') });
    this.integrations = page.getByTestId('integrations-panel');
  }

  async balancePoints(): Promise<number> {
    return Number(await this.balance.getAttribute('data-points'));
  }

  /** Credits (or debits) points with a reason in `form` (the client card's, or the visit card's after a payment). */
  async points(direction: 'credit' | 'debit', points: number, reason: string, form: Locator = this.section.getByTestId('points-form')): Promise<void> {
    const segment = form.getByTestId('points-direction');
    const id = await segment.locator(`input[value="${direction}"]`).getAttribute('id');
    await this.page.locator(`label[for="${id}"]`).click();
    await form.getByTestId('points-amount').fill(String(points));
    await form.getByTestId('points-reason').fill(reason);
    await form.getByTestId('points-save').click();
  }

  /** The loyalty messages of a type, with their state (`data-state`). */
  message(type: 'bonusAccrual' | 'expiringDiscount'): Locator {
    return this.messages.locator(`[data-testid="message-job"][data-type="${type}"]`);
  }

  async addDiscount(percent: number, description: string, lastDay: string, locale: 'en' = 'en'): Promise<void> {
    void locale;
    await this.section.getByTestId('voucher-add').click();
    const form = this.page.getByTestId('voucher-form');
    await form.getByTestId('voucher-value').fill(String(percent));
    await form.getByTestId('voucher-description').fill(description);
    // The date field reads the desk language's pattern (DD/MM/YYYY in English).
    const [year, month, day] = lastDay.split('-');
    const input = form.getByTestId('voucher-expires');
    await input.fill(`${day}/${month}/${year}`);
    await input.press('Enter');
    await this.page.keyboard.press('Escape');
    await form.getByTestId('voucher-save').click();
    await form.waitFor({ state: 'detached' });
  }

  async recordPayment(method: 'cash' | 'card' | 'qr', amount: string): Promise<void> {
    await this.payments.getByTestId('payment-record').click();
    await this.paymentDialog.waitFor();
    const id = await this.paymentDialog.getByTestId('payment-method').locator(`input[value="${method}"]`).getAttribute('id');
    await this.page.locator(`label[for="${id}"]`).click();
    await this.paymentDialog.getByTestId('payment-amount').fill(amount);
    await this.paymentDialog.getByTestId('payment-save').click();
    await this.paymentDialog.waitFor({ state: 'detached' });
  }
}
