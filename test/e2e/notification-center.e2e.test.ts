import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import type { AppShellPage } from './support/pages/app-shell.page.ts';
import { NotificationCenterPage } from './support/pages/notification-center.page.ts';

const sessions = useDemoSessions({});

async function openDemo(): Promise<{ shell: AppShellPage; center: NotificationCenterPage; page: Page }> {
  const { shell, page } = await sessions.open();
  return { shell, center: new NotificationCenterPage(page), page };
}

describe('notification center', () => {
  it('opens the visit card of a row and marks it read', async () => {
    const { center, page } = await openDemo();
    await center.open();
    await center.rows.first().waitFor();
    const unreadBefore = Number(await center.navUnreadBadge.textContent());
    expect(unreadBefore).toBeGreaterThan(0);
    const row = center.firstRowWithVisit();
    const appointmentId = await row.getAttribute('data-appointment-id');
    expect(appointmentId).toBeTruthy();
    await row.getByTestId('team-event-open').click();
    await expect.poll(() => new URL(page.url()).hash).toContain(`?visit=${encodeURIComponent(appointmentId!)}`);
    // The visit card (built elsewhere) opens as a drawer over the notification center.
    await page.locator('.mantine-Drawer-content').waitFor();
    await expect.poll(async () => Number(await center.navUnreadBadge.textContent())).toBe(unreadBefore - 1);
  });

  it('shows every row in the desk’s language whatever the client’s, with CLDR plurals, and marks all read', async () => {
    const { center, shell, page } = await openDemo();
    await center.open();
    await center.rows.first().waitFor();
    const english = await center.titles();
    expect(english.length).toBeGreaterThan(3);
    for (const title of english) expect(title).toMatch(/^(New booking|Rescheduled|Cancelled): /);
    // Clients with Russian as their language are among them: their rows are English on an English desk.
    for (const body of await page.getByTestId('team-event-body').allInnerTexts()) expect(body).not.toMatch(/Теперь|было|мастер/);
    const unread = await center.unreadRows.count();
    expect(await page.getByTestId('center-unread-count').textContent()).toBe(`${unread} unread`);

    await shell.setLanguage('ru');
    await expect.poll(async () => (await center.titles())[0]).toMatch(/^(Новая запись|Перенос|Отмена): /);
    for (const title of await center.titles()) expect(title).toMatch(/^(Новая запись|Перенос|Отмена): /);
    for (const body of await page.getByTestId('team-event-body').allInnerTexts()) expect(body).not.toMatch(/\b(Now|was|with)\b/);
    const form = new Intl.PluralRules('ru').select(unread);
    expect(await page.getByTestId('center-unread-count').textContent()).toBe(`${unread} ${form === 'one' ? 'непрочитанное' : form === 'other' ? 'непрочитанного' : 'непрочитанных'}`);

    await center.markAllRead.click();
    await expect.poll(() => center.unreadRows.count()).toBe(0);
    await expect.poll(() => center.navUnreadBadge.count()).toBe(0);
  });

  it('takes screenshots in light and dark', async () => {
    const { shell, center, page } = await openDemo();
    await center.open();
    await center.rows.first().waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`notification-center-${scheme}`) });
    }
  });
});
