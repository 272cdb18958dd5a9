/**
 * The delivery log never shows its rows without their clients' names: the rows come from the host's `log.list` answer,
 * the names from the storage's clients, and either may arrive first. The storage's client reads are held here, as on a
 * busy desk, to show that the log waits for the names instead of showing a dash in every client cell for a moment
 * (delivery-log.e2e read the names once, right after the first row appeared).
 */
import { describe, expect, it } from 'vitest';
import { countApiAnswers } from './support/api-answers.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { watchEverShown } from './support/ever-shown.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';
import { demoWorkdayHash } from './support/demo-days.ts';

const sessions = useDemoSessions();

describe('delivery log while clients load (demo salon, web mode)', () => {
  it('shows its rows once their clients’ names are there, never a dash in their place', async () => {
    let reads: HeldReads | undefined;
    let answers: (channel: string) => number = () => 0;
    const { page } = await sessions.open({
      hash: demoWorkdayHash(),
      beforeOpen: async (p) => {
        answers = countApiAnswers(p);
        reads = await holdableReads(p, 'clients');
      },
    });
    // The calendar's own reads are done: from here on, the clients read are the log's.
    await page.getByTestId('appointment-block').first().waitFor();
    const log = new DeliveryLogPage(page);
    const rowShown = await watchEverShown(page, '[data-testid="log-row"]');

    reads!.hold();
    await log.open();
    // The log's entries have reached the page; its clients have not.
    await expect.poll(() => answers('log.list')).toBeGreaterThan(0);
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await rowShown()).toBe(false);

    reads!.release();
    await log.rows.first().waitFor();
    expect(await log.clientCellsNotFittingTheirEntry()).toEqual([]);
    expect(await log.someRowIsAboutAClient()).toBe(true);
  });
});
