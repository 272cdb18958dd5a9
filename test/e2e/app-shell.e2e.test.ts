import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { AppShellPage } from './support/pages/app-shell.page.ts';
import { startWebHost, type WebHost } from './support/web-host.ts';
import { demoWorkdayHash } from './support/demo-days.ts';

let browser: Browser;
let host: WebHost | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
});
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

describe('web mode in Chromium', () => {
  it('shows the Mantine app shell connected to the host, with its data folder', async () => {
    host = await startWebHost();
    const page = await browser.newPage();
    // Nothing the page or the browser asks the host for is missing (the tab's icon was a 404 in the console).
    const failed: string[] = [];
    page.on('console', (message) => message.type() === 'error' && failed.push(`${message.text()} ${message.location().url}`));
    const shell = new AppShellPage(page);
    await shell.open(host.openUrl);
    await expect.poll(() => shell.dataDir.textContent()).toBe(host.dataDir);
    expect(await shell.statusBadge.textContent()).toContain('web mode');
    expect(await page.locator('.mantine-AppShell-header').count()).toBe(1);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.reload();
    await expect.poll(() => shell.dataDir.textContent()).toBe(host.dataDir);
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    await page.screenshot({ path: await screenshotPath('app-shell'), fullPage: true });
    await page.close();
  });

  it('tells the user what to do when the token is missing', async () => {
    host = await startWebHost();
    const page = await browser.newPage();
    const shell = new AppShellPage(page);
    await shell.open(host.origin + '/');
    await shell.connectionError.waitFor();
    expect(await shell.connectionError.textContent()).toContain('?token=');
    await page.close();
  });

  it('says why the host refused the page in the desk\'s language: no token, or opened at another address (localhost)', async () => {
    host = await startWebHost();
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    const shell = new AppShellPage(page);
    await shell.open(host.origin + '/');
    await shell.connectionError.waitFor();
    expect(await shell.connectionError.textContent()).toContain('В адресе нет действующего ключа доступа');
    const port = new URL(host.origin).port;
    await shell.open(host.openUrl.replace(host.origin, `http://localhost:${port}`));
    await shell.connectionError.waitFor();
    expect(await shell.connectionError.textContent()).toContain(`Страница открыта по адресу http://localhost:${port}, а FrontDesk принимает подключения только с ${host.origin}`);
    await context.close();
  });

  it('switches language and theme, remembers both, and navigates by keyboard', async () => {
    host = await startWebHost(['--demo']);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const shell = new AppShellPage(page);
    await shell.open(host.openUrl);
    await shell.dataDir.waitFor();
    expect(await page.getByTestId('nav-log').textContent()).toContain('Delivery log');
    await shell.setLanguage('ru');
    await expect.poll(() => page.getByTestId('nav-log').textContent()).toContain('Журнал отправки');
    await shell.setColorScheme('dark');
    await page.reload();
    await shell.dataDir.waitFor();
    expect(await page.getByTestId('nav-log').textContent()).toContain('Журнал отправки');
    expect(await shell.colorScheme()).toBe('dark');
    await page.keyboard.press('Alt+4');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/log');
    await page.keyboard.press('g');
    await page.keyboard.press('s');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/settings');
    await page.getByTestId('unread-badge').waitFor();
    await page.close();
  });

  it('opens only the collections its screens read in the page\'s database', async () => {
    host = await startWebHost(['--demo']);
    const page = await browser.newPage();
    const created: string[] = [];
    await page.routeWebSocket(/\/rxdb\?token=/, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        const request = JSON.parse(String(message)) as { method?: string; params?: { collectionName?: string } };
        if (request.method === 'create' && request.params?.collectionName) created.push(request.params.collectionName);
        server.send(message);
      });
      server.onMessage((message) => socket.send(message));
    });
    const shell = new AppShellPage(page);
    // A busy weekday: on a Sunday, today's calendar has no visit to wait for.
    await shell.open(`${host.openUrl}${demoWorkdayHash()}`);
    await page.getByTestId('appointment-block').first().waitFor();
    // Settings, team events and providers come through the API's answers and events; the page never reads them live.
    // Jobs and the delivery log are opened only by a screen that shows messages (visit-card-messages-lazy.e2e).
    expect(created.sort()).toEqual(['appointments', 'client_perks', 'clients', 'locations', 'services', 'staff']);
    await page.close();
  });
});
