/**
 * The delivery log renders a new list's rows as far as its scroll view (and a margin) reaches, sized by the rows of
 * the list before, and the rows below as they are scrolled to.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions();

/** Rendered rows, the list's length (aria-rowcount less the header), and whether the rendered rows fill the view. */
function shown(table: HTMLElement): { rendered: number; entries: number; filled: boolean } {
  const rows = table.querySelectorAll('[data-testid="log-row"]');
  let view = table.parentElement!;
  while (!['auto', 'scroll'].includes(getComputedStyle(view).overflowY)) view = view.parentElement!;
  const last = rows[rows.length - 1]!.getBoundingClientRect();
  return { rendered: rows.length, entries: Number(table.getAttribute('aria-rowcount')) - 1, filled: last.bottom >= view.getBoundingClientRect().bottom };
}

describe('delivery log rows (demo salon, web mode)', () => {
  it('fills the view with a new filter’s rows and renders more as they are scrolled to', async () => {
    const { page } = await sessions.open();
    const log = new DeliveryLogPage(page);
    await log.open();
    await log.sandboxedShown();
    const table = page.getByTestId('log-table');
    // Twice, so that the second list is sized by the rows the first one measured.
    for (const label of ['Sandbox — not sent', 'Skipped']) {
      await log.filter('status', label);
      await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    }
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['skipped']));
    // The demo's engine logs its skips as it works through the start's backlog (on a loaded machine a dozen were there
    // when the filter was applied, fewer than the view holds): the live list grows until it is longer than the view.
    await expect.poll(async () => { const now = await table.evaluate(shown); return now.entries > now.rendered; }, { timeout: 30_000 }).toBe(true);
    const first = await table.evaluate(shown);
    expect(first.filled).toBe(true);

    await log.rows.last().scrollIntoViewIfNeeded();
    await expect.poll(async () => (await table.evaluate(shown)).rendered).toBeGreaterThan(first.rendered);
  });
});
