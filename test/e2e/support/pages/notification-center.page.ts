import type { Locator, Page } from 'playwright-core';

/** Page model of the notification center. */
export class NotificationCenterPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly rows: Locator;
  readonly unreadRows: Locator;
  readonly markAllRead: Locator;
  readonly navUnreadBadge: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('notification-center');
    this.rows = page.getByTestId('team-event-row');
    this.unreadRows = page.locator('[data-testid="team-event-row"][data-read="false"]');
    this.markAllRead = page.getByTestId('mark-all-read');
    this.navUnreadBadge = page.getByTestId('unread-badge');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-notifications').click();
    await this.screen.waitFor();
  }

  /** Titles of the rows as shown. */
  titles(): Promise<string[]> {
    return this.rows.locator('[data-testid="team-event-title"]').allInnerTexts();
  }

  /** The first row that belongs to a visit. */
  firstRowWithVisit(): Locator {
    return this.page.locator('[data-testid="team-event-row"]:not([data-appointment-id=""])').first();
  }
}
