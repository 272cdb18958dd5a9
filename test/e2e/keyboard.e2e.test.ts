/**
 * UX.md "Keyboard: every action reachable; focus visible": flows a receptionist does with the keyboard only (Tab,
 * Shift+Tab, Enter, Space, arrows, Escape), on the demo salon in Chromium, in English and Russian.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { focused, tabTo } from './support/keyboard.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

describe('keyboard only (demo salon, web mode)', () => {
  it('skips to the screen with the first Tab, and reaches every screen through the navigation links', async () => {
    const { page } = await sessions.open();
    await new CalendarPage(page).blocks.first().waitFor();
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.testId).toBe('skip-to-content');
    expect(skip.indicator).not.toBe('');
    expect(await page.getByTestId('skip-to-content').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    // Past the header and the navigation: the next stop is the calendar's first control.
    await page.keyboard.press('Tab');
    expect((await focused(page)).testId).toMatch(/^calendar-(today|prev)$/);

    await tabTo(page, 'nav-calendar', { backwards: true, max: 10 });
    for (const screen of ['clients', 'notifications', 'log', 'staff', 'services', 'settings']) {
      const link = await tabTo(page, `nav-${screen}`, { max: 1 });
      expect(link.indicator).not.toBe('');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(new RegExp(`^#/${screen}`));
      expect(await page.getByTestId(`nav-${screen}`).getAttribute('aria-current')).toBe('page');
    }
    await tabTo(page, 'nav-calendar', { backwards: true, max: 6 });
    await page.keyboard.press('Enter');
    await new CalendarPage(page).blocks.first().waitFor();
  });

  it('finds a client, opens their card, edits and saves it, and opens one of their visits, by keyboard', async () => {
    const { page } = await sessions.open();
    const clients = new ClientsPage(page);
    await new CalendarPage(page).blocks.first().waitFor();
    await tabTo(page, 'nav-clients');
    await page.keyboard.press('Enter');
    await clients.rows.first().waitFor();
    // The search has focus on arrival, and says what it is without its placeholder.
    expect((await focused(page)).testId).toBe('client-search');
    expect(await clients.search.getAttribute('aria-label')).toBe('Search clients');
    await page.keyboard.type('Emily Brown');
    await expect.poll(() => clients.rows.count()).toBe(1);
    const row = await tabTo(page, 'client-row', { max: 1 });
    expect(row.indicator).not.toBe('');
    await page.keyboard.press('Enter');
    await clients.cardName.filter({ hasText: 'Emily Brown' }).waitFor();

    await tabTo(page, 'client-notes');
    await page.keyboard.type('Prefers mornings');
    await tabTo(page, 'client-save', { backwards: true });
    await page.keyboard.press('Enter');
    await page.getByTestId('client-message').filter({ hasText: 'Saved' }).waitFor();
    expect(await page.getByTestId('client-notes').inputValue()).toContain('Prefers mornings');

    const visit = await tabTo(page, 'client-visit-open');
    expect(visit.indicator).not.toBe('');
    await page.keyboard.press('Enter');
    const card = new VisitCardPage(page);
    await card.waitOpen();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await focused(page)).testId).toBe('client-visit-open');
  });

  it('books a visit from the calendar with N, typing and arrows only', async () => {
    const { page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.blocks.first().waitFor();
    await page.keyboard.press('n');
    await calendar.form.waitFor();
    // Straight into the client search, which is labelled, not only a placeholder.
    await expect.poll(async () => (await focused(page)).testId).toBe('client-select');
    expect(await page.getByTestId('client-select').getAttribute('aria-label')).toBe('Client');
    await page.keyboard.type('Emily Brown');
    await page.getByRole('option', { name: /Emily Brown/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await tabTo(page, 'staff-select', { max: 1 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('staff-select').inputValue()).not.toBe('');
    await tabTo(page, 'services-select', { max: 1 });
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => calendar.form.count()).toBe(1);
    await tabTo(page, 'booking-time', { max: 3 });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('19:00');
    await tabTo(page, 'booking-save');
    await page.keyboard.press('Enter');
    const card = new VisitCardPage(page);
    await card.waitOpen();
    expect(await card.root.innerText()).toContain('Emily Brown');
    expect(await card.root.innerText()).toMatch(/19:00–/);
  });
});
