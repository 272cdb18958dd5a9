/**
 * One Chromium per test file and, per test, a fresh web host on the demo salon with its own data folder and page.
 * Registers its hooks when called at the top of a test file.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { AppShellPage } from './pages/app-shell.page.ts';
import { startWebHost, type WebHost } from './web-host.ts';

export interface DemoSession {
  host: WebHost;
  page: Page;
  shell: AppShellPage;
}

export interface OpenOptions {
  /** A fresh data folder without --demo (the first-run set-up shows). */
  empty?: boolean;
  /** Runs on the new page before it loads the app (e.g. to route its WebSockets, which the page opens first thing). */
  beforeOpen?: (page: Page) => Promise<void>;
}

export function useDemoSessions(pageOptions: BrowserContextOptions = {}): { open(options?: OpenOptions): Promise<DemoSession> } {
  let browser: Browser;
  let current: DemoSession | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async () => {
    await current?.page.close();
    await current?.host.stop();
    current = undefined;
  });
  return {
    async open(options: OpenOptions = {}) {
      const host = await startWebHost(options.empty ? [] : ['--demo']);
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...pageOptions });
      const shell = new AppShellPage(page);
      current = { host, page, shell };
      await options.beforeOpen?.(page);
      await shell.open(host.openUrl);
      await shell.dataDir.waitFor();
      // What a test does first must not wait behind the host's start-up re-plan (see WebHost.startPlanned); an empty
      // folder has no book to plan.
      if (!options.empty) await host.startPlanned();
      return current;
    },
  };
}
