import type { Locator, Page } from 'playwright-core';

/** Page model of the calendar: toolbar, day/week grids, appointment blocks and the new-booking form. */
export class CalendarPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly title: Locator;
  readonly dayGrid: Locator;
  readonly weekGrid: Locator;
  readonly blocks: Locator;
  readonly form: Locator;
  /** The details card shown while the pointer rests on a block. */
  readonly hoverCard: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('calendar-screen');
    this.title = page.getByTestId('calendar-title');
    this.dayGrid = page.getByTestId('calendar-day');
    this.weekGrid = page.getByTestId('calendar-week');
    this.blocks = page.getByTestId('appointment-block');
    this.form = page.locator('.mantine-Modal-content');
    this.hoverCard = page.getByTestId('appointment-hover-card');
  }

  async open(url: string, view: 'day' | 'week' = 'day', date?: string): Promise<void> {
    const base = new URL(url);
    base.hash = `#/calendar/${view}${date ? `/${date}` : ''}`;
    await this.page.goto(base.toString());
    await (view === 'day' ? this.dayGrid : this.weekGrid).waitFor();
    await this.blocks.first().waitFor();
  }

  block(appointmentId: string): Locator {
    return this.page.locator(`[data-testid="appointment-block"][data-appointment-id="${appointmentId}"]`);
  }

  /** The day view's column of a specialist, by the name in its header. */
  async staffColumn(name: string): Promise<Locator> {
    const headers = await this.page.getByTestId('staff-column-header').allInnerTexts();
    const index = headers.findIndex((text) => text.includes(name));
    if (index >= 0) return this.page.getByTestId('calendar-column').nth(index);
    throw new Error(`no column for ${name}`);
  }

  /**
   * Drags a visit block with the mouse by `minutes` (up when negative) and, optionally, onto another column; with
   * `escape` the drag is abandoned with Escape before the button is released. Returns the visit whose block is on top
   * under the pointer just before the release.
   */
  async dragBlock(appointmentId: string, options: { minutes: number; toColumn?: Locator; escape?: boolean }): Promise<string | undefined> {
    const box = await this.block(appointmentId).boundingBox();
    if (!box) throw new Error('block not visible');
    const x = box.x + box.width / 2;
    const y = box.y + Math.min(box.height / 2, 12);
    const target = options.toColumn ? await options.toColumn.boundingBox() : undefined;
    const toX = target ? target.x + target.width / 2 : x;
    // 1.15 px per minute in the day grid (PX_PER_MINUTE).
    const toY = y + options.minutes * 1.15;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(toX, toY, { steps: 12 });
    // The visit drawn on top under the pointer before the release: the dragged block, unless something clips it.
    const onTop = await this.page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.closest<HTMLElement>('[data-testid="appointment-block"]')?.dataset['appointmentId'], [toX, toY]);
    if (options.escape) await this.page.keyboard.press('Escape');
    await this.page.mouse.up();
    return onTop;
  }

  /**
   * Drags a visit block's bottom edge by `minutes` (shorter when negative); with `escape` the resize is abandoned with
   * Escape before the button is released.
   */
  async resizeBlock(appointmentId: string, options: { minutes: number; escape?: boolean }): Promise<void> {
    const block = this.block(appointmentId);
    await block.hover();
    if ((await block.getAttribute('data-resizable')) === null) throw new Error('this block cannot be resized');
    const box = await block.boundingBox();
    if (!box) throw new Error('block not visible');
    // The middle of its bottom edge (RESIZE_EDGE_PX high).
    const x = box.x + box.width / 2;
    const y = box.y + box.height - 3;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    // 1.15 px per minute in the day grid (PX_PER_MINUTE).
    await this.page.mouse.move(x, y + options.minutes * 1.15, { steps: 12 });
    if (options.escape) await this.page.keyboard.press('Escape');
    await this.page.mouse.up();
  }

  async switchView(view: 'day' | 'week'): Promise<void> {
    await this.page.keyboard.press(view === 'day' ? 'd' : 'w');
    await (view === 'day' ? this.dayGrid : this.weekGrid).waitFor();
  }

  /** The text the booking form shows under an input (by the input's test id), when it refused something. */
  fieldError(testId: string): Locator {
    return this.form.locator('.mantine-InputWrapper-root', { has: this.page.getByTestId(testId) }).locator('.mantine-InputWrapper-error');
  }

  /** Books a new client by quick create; returns when the visit card of the new booking opened. */
  async bookNewClient(b: { firstName: string; lastName: string; phone: string; email: string; staff: string; services: string[]; date: string; time: string }): Promise<void> {
    await this.page.getByTestId('new-booking').click();
    await this.form.waitFor();
    await this.form.getByText('New client', { exact: true }).click();
    await this.page.getByTestId('new-client-first').fill(b.firstName);
    await this.page.getByTestId('new-client-last').fill(b.lastName);
    await this.page.getByTestId('new-client-phone').fill(b.phone);
    await this.page.getByTestId('new-client-email').fill(b.email);
    await this.page.getByTestId('staff-select').click();
    await this.page.getByRole('option', { name: new RegExp(`^${b.staff}`) }).click();
    for (const service of b.services) {
      await this.page.getByTestId('services-select').click();
      await this.page.getByRole('option', { name: new RegExp(`^${escape(service)}`) }).click();
    }
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId('booking-date').fill(b.date);
    await this.page.getByTestId('booking-time').fill(b.time);
    await this.page.getByTestId('booking-save').click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
