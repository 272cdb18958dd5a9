import type { Locator, Page } from 'playwright-core';
import { tabTo } from '../keyboard.ts';

/** Page model of the visit card drawer: details, status actions, edits, messages and history. */
export class VisitCardPage {
  /** Opens the first visit of the day on screen by keyboard only: Tab to its block, Enter. */
  static async openByKeyboard(page: Page): Promise<VisitCardPage> {
    await tabTo(page, 'appointment-block');
    await page.keyboard.press('Enter');
    const card = new VisitCardPage(page);
    await card.waitOpen();
    return card;
  }

  readonly page: Page;
  readonly root: Locator;
  readonly status: Locator;
  readonly when: Locator;
  readonly messages: Locator;
  readonly history: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('visit-body');
    this.status = page.getByTestId('visit-status');
    this.when = page.getByTestId('visit-when');
    this.messages = page.getByTestId('message-job');
    this.history = page.getByTestId('history-entry');
    this.error = page.getByTestId('visit-error');
  }

  async waitOpen(): Promise<void> {
    await this.root.waitFor();
  }

  /** Waits until the drawer finished sliding in (for screenshots). */
  async settled(): Promise<void> {
    await this.page.waitForFunction(() => {
      const content = document.querySelector('.mantine-Drawer-content');
      return content !== null && Math.abs(content.getBoundingClientRect().right - window.innerWidth) < 1;
    });
  }

  /** The visit id from the route (`?visit=ID`). */
  /**
   * The visit the address names. The address follows the painted card once the page is idle (router.ts
   * historyAfterPaint): an idle callback asked for now runs after that one.
   */
  async visitId(): Promise<string> {
    await this.page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
    await this.page.waitForURL(/visit=/);
    return decodeURIComponent(/visit=([^&]+)/.exec(this.page.url())?.[1] ?? '');
  }

  job(type: string, state?: string): Locator {
    return this.page.locator(`[data-testid="message-job"][data-type="${type}"]${state ? `[data-state="${state}"]` : ''}`);
  }

  /** Clicks a status action; cancelling and restoring ask first, and are confirmed as they come. */
  async setStatus(status: string): Promise<void> {
    await this.page.getByTestId(`status-${status}`).click();
    if (status === 'cancelled' || status === 'booked') await this.page.getByTestId('status-confirm-ok').click();
    await this.page.locator(`[data-testid="visit-body"][data-status="${status}"]`).waitFor();
  }

  /** Cancels through the dialog with a reason, notifying the client or not; answers what the dialog said would happen. */
  async cancel(options: { notify: boolean; reason?: string }): Promise<string> {
    await this.page.getByTestId('status-cancelled').click();
    if (options.reason) await this.page.getByTestId('cancel-reason').fill(options.reason);
    const notify = this.page.getByTestId('cancel-notify');
    if ((await notify.isChecked()) !== options.notify) await notify.click();
    const effect = (await this.page.getByTestId('cancel-effect').textContent()) ?? '';
    await this.page.getByTestId('status-confirm-ok').click();
    await this.page.locator('[data-testid="visit-body"][data-status="cancelled"]').waitFor();
    return effect;
  }

  /** The status actions the card offers now. */
  actions(): Promise<string[]> {
    return this.root.locator('button[data-testid^="status-"]:not([data-testid="status-confirm-ok"])').evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('data-testid') ?? '').slice('status-'.length)));
  }

  /** Moves the visit and waits until the host took it (the form closes). */
  async move(date: string, time: string): Promise<void> {
    await this.submitMove(date, time);
    await this.page.getByTestId('move-save').waitFor({ state: 'detached' });
  }

  /**
   * Submits a move the host is expected to refuse: the form stays open with the reason under the time
   * (read it with `moveTimeError()`), so there is nothing to wait for here but the click.
   */
  async attemptRefusedMove(date: string, time: string): Promise<void> {
    await this.submitMove(date, time);
    await this.moveTimeError().waitFor();
  }

  private async submitMove(date: string, time: string): Promise<void> {
    await this.page.getByTestId('visit-move').click();
    await this.page.getByTestId('move-date').fill(date);
    await this.page.getByTestId('move-time').fill(time);
    await this.page.getByTestId('move-save').click();
  }

  /** The text a refused move shows under the time input. */
  moveTimeError(): Locator {
    return this.page.locator('.mantine-InputWrapper-root', { has: this.page.getByTestId('move-time') }).locator('.mantine-InputWrapper-error');
  }

  /** How many history entries of this kind the open card shows, once its history has rendered (every visit has 'created'). */
  async historyCount(kind: string): Promise<number> {
    await this.page.locator('[data-testid="history-entry"][data-kind="created"]').waitFor();
    return this.page.locator(`[data-testid="history-entry"][data-kind="${kind}"]`).count();
  }

  /**
   * Closes the card with Escape on the card itself (in an open edit form Escape closes the form first, and in a date
   * field its calendar); with `discard`, a form holding unsaved edits (a refused move) asks first and is discarded.
   */
  async close(options: { discard?: boolean } = {}): Promise<void> {
    await this.page.locator('.mantine-Drawer-close').focus();
    await this.page.keyboard.press('Escape');
    if (options.discard) await this.page.getByTestId('unsaved-discard').click();
    await this.root.waitFor({ state: 'detached' });
    // The drawer leaves with a transition; the calendar's shortcuts wait for every dialog to be gone.
    await this.page.locator('[role="dialog"]').first().waitFor({ state: 'detached' });
  }
}
