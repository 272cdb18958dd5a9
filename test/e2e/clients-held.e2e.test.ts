/**
 * The clients screen never counts clients it has not read yet: the count beside the title comes from the storage's
 * clients, which can take a while on a busy desk (held here). It showed "0" meanwhile, then jumped to the real number.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { watchEverShown } from './support/ever-shown.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { demoWorkdayHash } from './support/demo-days.ts';

const sessions = useDemoSessions();

describe('clients screen while its clients load (demo salon, web mode)', () => {
  it('shows the number of clients once they are read, never 0 before', async () => {
    let reads: HeldReads | undefined;
    const { page } = await sessions.open({ hash: demoWorkdayHash(), beforeOpen: async (p) => void (reads = await holdableReads(p, 'clients')) });
    // The calendar's own reads are done: from here on, the clients read are the screen's.
    await page.getByTestId('appointment-block').first().waitFor();
    const clients = new ClientsPage(page);
    const zeroShown = await watchEverShown(page, '[data-testid="client-count"]', /^0$/);

    reads!.hold();
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('client-search').waitFor();
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    await page.waitForTimeout(300);

    reads!.release();
    await expect.poll(() => clients.rows.count()).toBe(100);
    expect(await page.getByTestId('client-count').textContent()).toBe('300');
    expect(await zeroShown()).toBe(false);
  });
});
