/**
 * Web mode when the host goes away under an open page (its terminal closed, the computer's session ended, a crash):
 * the desk says so at once and keeps what is on the screen, a save fails at once with the reason instead of spinning
 * for ever, and the delivery log stops answering filters from the entries it held.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions();

const GONE = /connection to FrontDesk was closed/;

describe('the host gone under an open page (demo salon, web mode)', () => {
  it('says the connection is lost, keeps an edited card, and a save fails at once with what to do', async () => {
    const { page, host, shell } = await sessions.open();
    const clients = new ClientsPage(page);
    await clients.open(host.openUrl);
    await clients.rows.first().click();
    await clients.card.waitFor();
    const notes = page.getByTestId('client-notes');
    await notes.fill('Prefers the window seat');

    await host.stop();

    await expect.poll(() => shell.statusBadge.textContent()).toBe('Disconnected');
    await expect(page.getByTestId('connection-lost').textContent()).resolves.toMatch(GONE);
    // The screen stays: what the receptionist typed is still there to copy.
    expect(await notes.inputValue()).toBe('Prefers the window seat');

    await page.getByTestId('client-save').click();
    await expect.poll(() => page.getByTestId('client-message').textContent(), { timeout: 3_000 }).toMatch(GONE);
    expect(await page.getByTestId('client-save').getAttribute('data-loading')).toBeNull();
    expect(await notes.inputValue()).toBe('Prefers the window seat');
  });

  it('answers no log filter from the entries the page held once the host is gone', async () => {
    const { page, host } = await sessions.open();
    const log = new DeliveryLogPage(page);
    await log.open();
    await log.rows.first().waitFor();
    // The page holds the demo's whole log once it has fetched its recent entries: a filter is then answered there.
    let pick = 0;
    await expect
      .poll(async () => {
        await log.filter('status', ++pick % 2 ? 'Skipped' : 'Cancelled');
        await page.waitForTimeout(500);
        return log.screen.getAttribute('data-answered-by');
      }, { timeout: 30_000 })
      .toBe('page');

    await host.stop();
    await page.getByTestId('connection-lost').waitFor();

    await log.filter('status', 'Sent');
    await expect.poll(() => log.screen.textContent(), { timeout: 3_000 }).toMatch(GONE);
    expect(await log.screen.getAttribute('data-answered-filters')).not.toContain('sent');
  });
});
