import type { Locator, Page } from 'playwright-core';

/** Page model of the delivery log. */
export class DeliveryLogPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly rows: Locator;
  readonly exportButton: Locator;
  readonly count: Locator;
  readonly clientCells: Locator;
  /** The client cells of the rows about a client (a row about none shows a dash). */
  readonly clientCellsOfClients: Locator;
  readonly clientFilter: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('delivery-log');
    this.rows = page.getByTestId('log-row');
    this.exportButton = page.getByTestId('log-export');
    this.count = page.getByTestId('log-count');
    this.clientCells = page.locator('[data-testid="log-row"] [data-testid="log-client"]');
    this.clientCellsOfClients = page.locator('[data-testid="log-row"] [data-testid="log-client"][data-client-id]');
    this.clientFilter = page.getByTestId('log-filter-client');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-log').click();
    await this.screen.waitFor();
  }

  /**
   * Waits until the demo's due messages have gone out (sandboxed) and the live log shows them on top: they come after
   * the host's start-up plan, seconds later on a loaded machine. A filter for "Sandbox — not sent" picked before then
   * answers nothing (CI at 54b449a: "No entries match these filters").
   */
  async sandboxedShown(): Promise<void> {
    await this.page.locator('[data-testid="log-row"][data-status="sandboxed"]').first().waitFor({ timeout: 20_000 });
  }

  /**
   * The rows whose client cell does not fit their entry, as [client id, cell]: a message to a client shows the client's
   * name, a message to the team (no client) a dash. Which of them are on top depends on the order the host's messages
   * went out (CI at 3776c6a: 14 of 24 were the team's desktop toasts), so each row is checked, not a share of them.
   */
  clientCellsNotFittingTheirEntry(): Promise<Array<[string, string]>> {
    return this.clientCells.evaluateAll((cells) =>
      cells
        .map((cell): [string, string] => [cell.getAttribute('data-client-id') ?? '', cell.textContent ?? ''])
        .filter(([id, text]) => (id ? !/\p{L}+ \p{L}+/u.test(text) : text !== '—')),
    );
  }

  /** True when at least one row shown is a message to a client. */
  async someRowIsAboutAClient(): Promise<boolean> {
    return (await this.clientCellsOfClients.count()) > 0;
  }

  /** True when the table fits its scroll container's width (nothing cut off or scrolled sideways). */
  fitsWidth(): Promise<boolean> {
    return this.page.getByTestId('log-table').evaluate((table) => {
      let box = table.parentElement;
      while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
      return (box ?? table).scrollWidth <= (box ?? table).clientWidth + 1;
    });
  }

  /** Searches the client filter by name and picks the client with this id (namesakes are listed with a contact). */
  async filterClient(name: string, clientId: string): Promise<void> {
    const input = this.clientFilter;
    await input.click();
    await input.fill(name);
    await this.page.locator(`[role="option"][value="${clientId}"]`).click();
  }

  /** The client filter's options for what is typed into it: [client id, label]. */
  async clientOptions(typed: string): Promise<Array<[string, string]>> {
    await this.clientFilter.click();
    await this.clientFilter.fill(typed);
    const options = this.page.locator('[role="option"]:visible');
    await options.first().waitFor();
    return options.evaluateAll((all) => all.map((o) => [o.getAttribute('value') ?? '', o.textContent ?? '']));
  }

  /** Picks an option of one of the Select filters by its visible label. */
  async filter(name: 'type' | 'channel' | 'status', label: string): Promise<void> {
    await this.page.getByTestId(`log-filter-${name}`).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }
}
