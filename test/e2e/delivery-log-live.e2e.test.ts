/**
 * The delivery log and the host's deliveryLogChanged events (sent to the page here, as the host sends them when the
 * engine logs a delivery): the rows stay the same elements from list to list — a live refresh keeps each entry's row,
 * and a filter after it updates the rows in place (keyed by entry for the refresh and by place for the filter, the
 * filter's answer unmounted and mounted every rendered row again) —, and a change that a filter's reload already
 * covers is not fetched again.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions();

interface LogSocket {
  /** log.list answers the page got so far. */
  answers(): number;
  /** log.list calls the page sent so far. */
  calls(): number;
  /** Tells the page the delivery log changed. */
  logChanged(): void;
}

async function logSocket(page: Page): Promise<LogSocket> {
  const calls = new Set<number>();
  let answers = 0;
  let sent = 0;
  let toPage: (message: string) => void = () => {};
  await page.routeWebSocket(/\/api\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; channel?: string };
      if (call.channel === 'log.list' && call.id !== undefined) {
        calls.add(call.id);
        sent++;
      }
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { type?: string; id?: number };
      if (answer.type === 'result' && answer.id !== undefined && calls.delete(answer.id)) answers++;
      socket.send(message);
    });
  });
  return { answers: () => answers, calls: () => sent, logChanged: () => toPage(JSON.stringify({ type: 'event', event: { type: 'deliveryLogChanged' } })) };
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

    const before = socket.answers();
    socket.logChanged();
    await expect.poll(() => socket.answers()).toBe(before + 1);
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    const firstRow = await log.rows.first().elementHandle();

    await log.filter('status', 'Skipped');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['skipped']));
    expect(await firstRow!.evaluate((row) => row.isConnected)).toBe(true);
  });

  it('does not fetch again a change that a filter picked after it already has, and does fetch a later one', async () => {
    const { page, log, socket } = await openLog();
    // The demo's engine may still be logging its start's backlog: wait until no refresh has been asked for a while.
    let quiet = socket.calls();
    await expect.poll(async () => {
      const before = quiet;
      await page.waitForTimeout(1_500);
      quiet = socket.calls();
      return quiet === before;
    }, { timeout: 60_000 }).toBe(true);

    // The change is heard, then a filter is picked within the refresh's debounce (400 ms): its reload has the change.
    socket.logChanged();
    await log.filter('status', 'Skipped');
    await expect.poll(async () => new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['skipped']));
    const afterFilter = socket.calls();
    await page.waitForTimeout(1_000);
    expect(socket.calls()).toBe(afterFilter);

    // A change heard after the filter's reload is fetched.
    socket.logChanged();
    await expect.poll(() => socket.calls()).toBe(afterFilter + 1);
  });
});
