/**
 * An edit on the client card is done when the card shows it (useAwaitedRevision, data/hooks.ts): the host answers on
 * the API socket and the client's new version comes on the storage socket, sometimes after the answer. Held here (the
 * storage's client reads and changes), Save and the points button stay busy until the new version is there. Before,
 * they were free at the answer while the card still held the old revision, and a second save or points entry carried
 * it and was refused as changed at another desk.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { countApiAnswers } from './support/api-answers.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { LoyaltyPage } from './support/pages/loyalty.page.ts';

const sessions = useDemoSessions();

async function openFirstClient(): Promise<{ page: Page; reads: HeldReads; answers(channel: string): number }> {
  let reads: HeldReads | undefined;
  let answers: (channel: string) => number = () => 0;
  const { host, page } = await sessions.open({
    beforeOpen: async (p) => {
      answers = countApiAnswers(p);
      reads = await holdableReads(p, 'clients', { changes: true });
    },
  });
  const clients = new ClientsPage(page);
  await clients.open(host.openUrl);
  await clients.rows.first().click();
  await clients.card.waitFor();
  return { page, reads: reads!, answers };
}

describe('client card edits while the new version is on its way (demo salon, web mode)', () => {
  it('keeps Save busy until the card shows the saved client, so the next save starts from it', async () => {
    const { page, reads, answers } = await openFirstClient();
    const clients = new ClientsPage(page);

    reads.hold();
    await page.getByTestId('client-notes').fill('Prefers mornings');
    await page.getByTestId('client-save').click();
    await expect.poll(() => answers('clients.save')).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('client-save').getAttribute('data-loading')).not.toBeNull();

    reads.release();
    await expect.poll(() => page.getByTestId('client-save').getAttribute('data-loading')).toBeNull();
    // The next save starts from the saved client: the host takes it.
    await page.getByTestId('client-notes').fill('Prefers mornings, allergic to latex');
    await clients.save();
    expect(answers('clients.save')).toBe(2);
    expect(await page.getByTestId('client-message').textContent()).toContain('Saved');
  });

  it('keeps the points button busy until the card shows the new balance, so the next entry starts from it', async () => {
    const { page, reads, answers } = await openFirstClient();
    const loyalty = new LoyaltyPage(page);
    await loyalty.section.waitFor();
    const before = await loyalty.balancePoints();

    reads.hold();
    await loyalty.points('credit', 10, 'Referral');
    await expect.poll(() => answers('loyalty.points')).toBe(1);
    await page.waitForTimeout(300);
    expect(await loyalty.section.getByTestId('points-save').getAttribute('data-loading')).not.toBeNull();

    reads.release();
    await expect.poll(() => loyalty.balancePoints()).toBe(before + 10);
    await expect.poll(() => loyalty.section.getByTestId('points-save').getAttribute('data-loading')).toBeNull();
    await loyalty.points('credit', 5, 'Review');
    await expect.poll(() => loyalty.balancePoints()).toBe(before + 15);
    expect(await loyalty.section.getByTestId('points-error').count()).toBe(0);
  });
});
