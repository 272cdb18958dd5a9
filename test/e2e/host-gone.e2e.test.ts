/**
 * Web mode when the host goes away under an open page (its terminal closed, the computer's session ended, a crash):
 * the desk says so at once and keeps what is on the screen, a save fails at once with the reason instead of spinning
 * for ever, and the delivery log stops answering filters from the entries it held. A screen whose code cannot be
 * loaded then (the page loads a screen's code when it is first opened, or a few seconds after the start) says so in
 * its place, and the rest of the desk goes on.
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

    // Leaving the card asks about the unsaved notes, as it does with the host there.
    await page.getByTestId('nav-calendar').click();
    await expect(page.getByRole('dialog').textContent()).resolves.toContain('Discard unsaved changes?');
  });

  it('shows a screen whose code cannot be loaded as such, the other screens still open, and it loads once it can', async () => {
    const clientsCode = /\/assets\/clients-[\w-]+\.js$/;
    const { page } = await sessions.open({
      // The clients screen's code is unreachable, as it is for a page whose host stopped before it loaded it.
      beforeOpen: (p) => p.route(clientsCode, (route) => route.abort('connectionrefused')),
    });
    await page.getByTestId('nav-clients').click();
    await expect(page.getByTestId('screen-failed').textContent()).resolves.toContain('This screen could not be shown');
    expect(await page.getByTestId('screen-failed-reload').isVisible()).toBe(true);

    await page.getByTestId('nav-staff').click();
    await page.getByTestId('screen-failed').waitFor({ state: 'detached' });
    await page.getByTestId('staff-row').first().waitFor();
    expect(await page.getByTestId('nav-staff').getAttribute('aria-current')).toBe('page');

    // Reachable again: the screen's next opening loads it.
    await page.unroute(clientsCode);
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('client-row').first().waitFor();
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

    // Every other screen opens to what it can show, or to why it cannot: never a blank window.
    for (const screen of ['notifications', 'clients', 'staff', 'services', 'settings', 'calendar']) {
      await page.getByTestId(`nav-${screen}`).click();
      await expect.poll(() => page.getByTestId('connection-lost').isVisible()).toBe(true);
    }
  });
});
