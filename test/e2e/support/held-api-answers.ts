/**
 * Routes a page's API socket so that the host's answers on one contract channel can be held back, as when the host is
 * slow to answer. Call before the page loads the app (DemoSession's `beforeOpen`): the page opens the socket first.
 */
import type { Page } from 'playwright-core';

export interface HeldAnswers {
  /** From now on, the host's answers on the channel stay with the test. */
  hold(): void;
  /** Answers held so far and not let through. */
  held(): number;
  /** Lets the held answers through, and every later one. */
  release(): void;
}

export async function holdableAnswers(page: Page, channel: string): Promise<HeldAnswers> {
  const callsOnChannel = new Set<number>();
  let holding = false;
  const held: (string | Buffer)[] = [];
  let toPage: (message: string | Buffer) => void = () => {};
  await page.routeWebSocket(/\/api\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; channel?: string };
      if (call.channel === channel && call.id !== undefined) callsOnChannel.add(call.id);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { type?: string; id?: number };
      if (holding && answer.type === 'result' && answer.id !== undefined && callsOnChannel.has(answer.id)) held.push(message);
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
