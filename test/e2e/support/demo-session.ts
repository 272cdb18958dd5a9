/**
 * One Chromium per test file and, per test, a fresh web host on the demo salon with its own data folder and page.
 * Registers its hooks when called at the top of a test file.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { AppShellPage } from './pages/app-shell.page.ts';
import { startWebHost, type WebHost } from './web-host.ts';
import { keepInputDiary, readInputDiary } from './input-diary.ts';

export interface DemoSession {
  host: WebHost;
  page: Page;
  shell: AppShellPage;
}

export interface OpenOptions {
  /** A fresh data folder without --demo (the first-run set-up shows). */
  empty?: boolean;
  /** Runs on the new page before it loads the app (e.g. to route its WebSockets, which the page opens first thing). */
  beforeOpen?: (page: Page) => Promise<unknown>;
  /** Where the app opens first, e.g. `#/calendar/day/2026-12-08` (the demo salon is closed on Sundays): today's calendar by default. */
  hash?: string;
}

export function useDemoSessions(pageOptions: BrowserContextOptions = {}): { open(options?: OpenOptions): Promise<DemoSession> } {
  let browser: Browser;
  let current: DemoSession | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  afterEach(async (context) => {
    // CI keeps only the log: a failed test says what the page showed and what the page and the host reported.
    if (current && context.task.result?.state === 'fail') await reportFailure(current, pageErrors);
    await current?.page.close();
    await current?.host.stop();
    current = undefined;
  });
  return {
    async open(options: OpenOptions = {}) {
      // The test begins once the start-up re-plan is done (below): the window's head start would only add to the wait.
      const host = await startWebHost(options.empty ? [] : ['--demo'], undefined, { startPlanDelayMs: 0 });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, ...pageOptions });
      const shell = new AppShellPage(page);
      current = { host, page, shell };
      pageErrors.length = 0;
      page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
      await keepInputDiary(page);
      await options.beforeOpen?.(page);
      await shell.open(options.hash ? `${host.openUrl}${options.hash}` : host.openUrl);
      // Attached, not visible: a small window's navigation rail leaves the data folder out.
      await shell.dataDir.waitFor({ state: 'attached' });
      // What a test does first must not wait behind the host's start-up re-plan (see WebHost.startPlanned); an empty
      // folder has no book to plan.
      if (!options.empty) await host.startPlanned();
      return current;
    },
  };
}

const TAIL = 4_000;

async function reportFailure({ host, page }: DemoSession, pageErrors: readonly string[]): Promise<void> {
  const shown = await page
    .evaluate(() => {
      const dialogs = [...document.querySelectorAll<HTMLElement>('[role="dialog"]')].map((dialog) => dialog.innerText);
      // What innerText leaves out: what the inputs hold, and which buttons wait for an answer.
      const inputs = [...document.querySelectorAll<HTMLInputElement>('input[data-testid], textarea[data-testid]')].map((input) => `${input.dataset.testid}=${JSON.stringify(input.value)}`);
      const busy = [...document.querySelectorAll<HTMLElement>('button[data-loading]')].map((button) => button.dataset.testid ?? button.innerText);
      return { url: location.href, dialogs, body: document.body.innerText, inputs, busy };
    })
    .catch((error: unknown) => ({ url: page.url(), dialogs: [], body: `(page not readable: ${String(error)})`, inputs: [], busy: [] }));
  const diary = await readInputDiary(page).catch((error: unknown) => [`(not readable: ${String(error)})`]);
  const lines = [
    `--- failed e2e test: the page at ${shown.url}`,
    ...shown.dialogs.map((text, i) => `dialog ${i + 1}:\n${text.slice(0, TAIL)}`),
    `inputs: ${shown.inputs.join(' ') || '(none)'}`,
    `buttons waiting: ${shown.busy.join(', ') || '(none)'}`,
    `input the page received (newest last):\n${diary.join('\n') || '(none)'}`,
    `page text (end):\n${shown.body.slice(-TAIL)}`,
    `page errors:\n${pageErrors.join('\n').slice(-TAIL) || '(none)'}`,
    `host output (end):\n${host.output().slice(-TAIL)}`,
    '---',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}
