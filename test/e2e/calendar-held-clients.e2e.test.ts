import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { useDemoSessions } from './support/demo-session.ts';

const sessions = useDemoSessions();

interface HeldReads {
  /** From now on, the storage's answers to reads of the clients collection stay with the test. */
  hold(): void;
  held(): number;
  /** Lets the held answers through, and every later one. */
  release(): void;
}

/**
 * Routes the page's storage socket (RxDB's remote-storage messages) so that reads of the clients collection can be
 * held back, as on a busy desk where the visits of a day or week arrive well before their clients.
 */
async function holdableClientReads(page: Page): Promise<HeldReads> {
  const clientConnections = new Set<string>();
  let holding = false;
  const held: (string | Buffer)[] = [];
  let toPage: (message: string | Buffer) => void = () => {};
  await page.routeWebSocket(/\/rxdb\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const request = JSON.parse(String(message)) as { method?: string; connectionId?: string; params?: { collectionName?: string } };
      if (request.method === 'create' && request.params?.collectionName === 'clients' && request.connectionId) clientConnections.add(request.connectionId);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { connectionId?: string; method?: string };
      const read = answer.method === 'findDocumentsById' || answer.method === 'query';
      if (holding && read && answer.connectionId !== undefined && clientConnections.has(answer.connectionId)) held.push(message);
      else toPage(message);
    });
  });
  return {
    hold() {
      holding = true;
    },
    held: () => held.length,
    release() {
      holding = false;
      for (const message of held.splice(0)) toPage(message);
    },
  };
}

describe('calendar while clients load (demo salon, web mode)', () => {
  it('never shows a visit without its client’s name: the week appears once its clients are there', async () => {
    let reads: HeldReads | undefined;
    const { page } = await sessions.open({ beforeOpen: async (p) => void (reads = await holdableClientReads(p)) });
    const calendar = new CalendarPage(page);
    await calendar.dayGrid.waitFor();
    await expect.poll(() => calendar.dayGrid.locator('[data-testid="appointment-block"]').count()).toBeGreaterThan(3);
    await expect.poll(() => page.getByText('Loading…', { exact: true }).count()).toBe(0);

    reads!.hold();
    await calendar.switchView('week');
    // The week's visits have been read; most of their clients have not (only the day's were).
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await calendar.screen.getByText('Loading…', { exact: true }).count()).toBe(0);
    expect(await calendar.weekGrid.getByTestId('appointment-block').count()).toBe(0);

    reads!.release();
    await expect.poll(() => calendar.weekGrid.getByTestId('appointment-block').count()).toBeGreaterThan(10);
    const names = await calendar.weekGrid.locator('.fd-week-name').allInnerTexts();
    for (const name of names) expect(name).toMatch(/^\p{L}+ \p{L}/u);
  });
});
