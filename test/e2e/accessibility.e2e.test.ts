/**
 * WCAG 2 A/AA (axe-core, contrast included) beyond the calendar, in light and dark: the visit card, the client card,
 * the delivery log, the notification center and the settings, as a receptionist and a manager see them in the demo
 * salon. Screenshots of the drag confirmation and the unsaved-changes question, light and dark.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { axeViolations } from './support/axe.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import type { AppShellPage } from './support/pages/app-shell.page.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

async function setScheme(shell: AppShellPage, scheme: 'light' | 'dark'): Promise<void> {
  await shell.setColorScheme(scheme);
  await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shell.page.waitForTimeout(250);
}

function futureTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('accessibility beyond the calendar (demo salon, web mode)', () => {
  it('has no WCAG A/AA violations on the visit card, client card, delivery log, notification center and settings, light and dark', { timeout: 150_000 }, async () => {
    const { host, page, shell } = await sessions.open();
    const found: Record<string, unknown> = {};
    const check = async (name: string, selector: string) => {
      const violations = await axeViolations(page, selector);
      if (violations.length > 0) found[name] = violations;
    };
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(shell, scheme);
      const calendar = new CalendarPage(page);
      const card = new VisitCardPage(page);
      await calendar.open(host.openUrl, 'day', futureTuesday());
      await calendar.blocks.first().click();
      await card.waitOpen();
      await card.settled();
      await check(`visit card ${scheme}`, '.mantine-Drawer-content');
      await card.close();

      const clients = new ClientsPage(page);
      await clients.open(host.openUrl);
      await clients.rows.first().click();
      await clients.card.waitFor();
      await clients.messagesLoaded();
      await check(`client card ${scheme}`, '[data-testid="client-card"]');

      for (const [screen, selector] of [['log', '[data-testid="delivery-log"]'], ['notifications', 'main'], ['settings/client/reminder', '[data-testid="settings-screen"]'], ['settings/location', '[data-testid="settings-screen"]'], ['settings/salon', '[data-testid="settings-screen"]']] as const) {
        await page.evaluate((hash) => (window.location.hash = hash), `#/${screen}`);
        await page.locator(selector).first().waitFor();
        await page.waitForTimeout(400);
        await check(`${screen} ${scheme}`, selector);
      }
    }
    if (Object.keys(found).length > 0) console.log(JSON.stringify(found, null, 1));
    expect(found).toEqual({});
  });

  it('screenshots the drag confirmation and the unsaved-changes question, light and dark, with no WCAG A/AA violation', async () => {
    const { host, page, shell } = await sessions.open();
    const calendar = new CalendarPage(page);
    for (const scheme of ['light', 'dark'] as const) {
      await setScheme(shell, scheme);
      await calendar.open(host.openUrl, 'day', futureTuesday());
      const sophie = await calendar.staffColumn('Sophie Wagner');
      const id = (await sophie.locator('[data-testid="appointment-block"][data-draggable]').first().getAttribute('data-appointment-id')) ?? '';
      await calendar.dragBlock(id, { minutes: 60 });
      await page.getByTestId('drop-confirm-body').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: await screenshotPath(`calendar-drag-confirm-${scheme}`) });
      expect(await axeViolations(page, '.mantine-Modal-content')).toEqual([]);
      await page.getByTestId('drop-cancel').click();
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

      const clients = new ClientsPage(page);
      await clients.open(host.openUrl);
      await clients.rows.first().click();
      await clients.card.waitFor();
      await page.getByTestId('client-birthday').fill('1990-02-30');
      await clients.rows.nth(1).click();
      await page.getByTestId('unsaved-keep').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: await screenshotPath(`unsaved-changes-${scheme}`) });
      expect(await axeViolations(page, '[data-testid="unsaved-prompt"] .mantine-Modal-content')).toEqual([]);
      await page.getByTestId('unsaved-discard').click();
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    }
  });

  it('names the close button of a passing message in the desk’s language, with no WCAG A/AA violation', async () => {
    const { page, shell } = await sessions.open();
    for (const [language, close] of [['en', 'Close'], ['ru', 'Закрыть']] as const) {
      await shell.setLanguage(language);
      await page.evaluate(() => (window.location.hash = '#/settings/salon'));
      await page.getByTestId('backup-now').click();
      const toast = page.locator('.mantine-Notification-root').last();
      await toast.waitFor();
      await expect.poll(() => toast.locator('.mantine-Notification-closeButton').getAttribute('aria-label')).toBe(close);
      expect(await axeViolations(page, '.mantine-Notification-root')).toEqual([]);
      await toast.locator('.mantine-Notification-closeButton').click();
      await toast.waitFor({ state: 'detached' });
    }
  });
});
