/**
 * The delivery log and the host's deliveryLogChanged events (sent to the page here, as the host sends them when the
 * engine logs a delivery): the rows stay the same elements from list to list — a live refresh keeps each entry's row,
 * and a filter after it updates the rows in place (keyed by entry for the refresh and by place for the filter, the
 * filter's answer unmounted and mounted every rendered row again) —, a change that a filter's reload already covers is
 * not fetched again, and a filter the page's recent entries hold is answered in the page with the host's rows.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_LOCATION_ID } from '../../shared/demo/demo-catalog.ts';
import { RECENT_PAGE } from '../../renderer/src/screens/delivery-log/recent-entries.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions();

interface LogSocket {
  /** log.list answers the page got so far. */
  answers(): number;
  /** log.list calls the page sent so far. */
  calls(): number;
  /** Answers the page got to its calls for its recent entries (RECENT_PAGE at a time). */
  recentAnswers(): number;
  /** Tells the page the delivery log changed. */
  logChanged(): void;
  /** The host's own answer to a log.list call sent on the page's socket (the page does not see it). */
  ask(payload: Record<string, unknown>): Promise<{ entries: { id: string }[] }>;
}

async function logSocket(page: Page): Promise<LogSocket> {
  const calls = new Map<number, number>();
  let answers = 0;
  let recentAnswers = 0;
  let sent = 0;
  let toPage: (message: string) => void = () => {};
  let toHost: (message: string) => void = () => {};
  const asked = new Map<number, (value: { entries: { id: string }[] }) => void>();
  let askId = 1e9;
  await page.routeWebSocket(/\/api\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    toHost = (message) => host.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; channel?: string; payload?: { limit?: number } };
      if (call.channel === 'log.list' && call.id !== undefined) {
        calls.set(call.id, call.payload?.limit ?? 200);
        sent++;
      }
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { type?: string; id?: number; result?: { value?: { entries: { id: string }[] } } };
      if (answer.type === 'result' && answer.id !== undefined && asked.has(answer.id)) {
        asked.get(answer.id)!(answer.result!.value!);
        asked.delete(answer.id);
        return;
      }
      const limit = answer.id === undefined ? undefined : calls.get(answer.id);
      if (answer.type === 'result' && limit !== undefined) {
        calls.delete(answer.id!);
        if (limit === RECENT_PAGE) recentAnswers++;
        else answers++;
      }
      socket.send(message);
    });
  });
  return {
    answers: () => answers,
    calls: () => sent,
    recentAnswers: () => recentAnswers,
    logChanged: () => toPage(JSON.stringify({ type: 'event', event: { type: 'deliveryLogChanged' } })),
    ask: (payload) =>
      new Promise((resolve) => {
        const id = askId++;
        asked.set(id, resolve);
        toHost(JSON.stringify({ id, channel: 'log.list', payload }));
      }),
  };
}

/** Which of the screen's answers its rows show (a count that grows with each list shown). */
async function answerShown(log: DeliveryLogPage): Promise<number> {
  return Number(await log.screen.getAttribute('data-answer'));
}

/** Waits until the page has asked nothing of the log for a while (the demo's engine may still be logging its backlog). */
async function quiet(page: Page, socket: LogSocket): Promise<void> {
  let calls = socket.calls();
  await expect.poll(async () => {
    const before = calls;
    await page.waitForTimeout(1_500);
    calls = socket.calls();
    return calls === before;
  }, { timeout: 60_000 }).toBe(true);
}

/** The demo's delivery log, shown and settled, with its API socket watched. */
async function openLog(): Promise<{ page: Page; log: DeliveryLogPage; table: Locator; socket: LogSocket }> {
  let socket: LogSocket | undefined;
  const { page } = await sessions.open({ beforeOpen: async (p) => (socket = await logSocket(p)) });
  const log = new DeliveryLogPage(page);
  await log.open();
  await log.rows.first().waitFor();
  const table = page.getByTestId('log-table');
  await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
  return { page, log, table, socket: socket! };
}

describe('delivery log and live changes (demo salon, web mode)', () => {
  it('a filter after a live refresh updates the rows in place', async () => {
    const { log, table, socket } = await openLog();

    // The refresh shows the host's answer, or the page's once its recent entries are fetched again.
    const before = await answerShown(log);
    socket.logChanged();
    await expect.poll(() => answerShown(log)).toBeGreaterThan(before);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    const firstRow = await log.rows.first().elementHandle();

    await log.filter('status', 'Skipped');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['skipped']));
    expect(await firstRow!.evaluate((row) => row.isConnected)).toBe(true);
  });

  it('does not fetch again a change that a filter picked after it already has, and does fetch a later one', async () => {
    const { page, log, socket } = await openLog();
    await quiet(page, socket);

    // The change is heard, then a filter is picked within the refresh's debounce (400 ms): its reload has the change
    // (the host's, or the page's from its recent entries fetched again after the change).
    socket.logChanged();
    await log.filter('status', 'Skipped');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['skipped']));
    const afterFilter = socket.calls();
    const shownAfterFilter = await answerShown(log);
    await page.waitForTimeout(1_000);
    expect(socket.calls()).toBe(afterFilter);
    expect(await answerShown(log)).toBe(shownAfterFilter);

    // A change heard after the filter's reload is fetched, and the rows show it.
    socket.logChanged();
    await expect.poll(() => socket.calls()).toBeGreaterThan(afterFilter);
    await expect.poll(() => answerShown(log)).toBeGreaterThan(shownAfterFilter);
  });

  it('answers a filter in the page once its recent entries are there, with the rows the host would show, and asks the host nothing', async () => {
    const { page, log, socket } = await openLog();
    await quiet(page, socket);
    await expect.poll(() => socket.recentAnswers()).toBeGreaterThan(0);
    const calls = socket.calls();

    await log.filter('status', 'Sandbox — not sent');
    await expect.poll(() => log.screen.getAttribute('data-answered-filters')).toBe('status=sandboxed');
    expect(await log.screen.getAttribute('data-answered-by')).toBe('page');
    expect(socket.calls()).toBe(calls);
    const shown = await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-entry')));
    const hosts = (await socket.ask({ locationId: DEMO_LOCATION_ID, status: 'sandboxed', limit: 200 })).entries.map((e) => e.id);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(hosts.slice(0, shown.length));
  });
});
