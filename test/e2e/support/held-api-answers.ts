/**
 * Routes a page's API socket so that the host's answers to one contract channel's calls can be held back, as when the
 * host is slow to answer (or so that the storage channel, the other socket, shows a saved item before the page has the
 * answer to its command, as it may on a busy desk). Call before the page loads the app (DemoSession's `beforeOpen`):
 * the page opens the socket first.
 */
import type { Page } from 'playwright-core';

export interface HeldAnswers {
  /** From now on, answers to calls on `channel` stay with the test. */
  hold(channel: string): void;
  /** Answers held so far and not let through. */
  held(): number;
  /** Lets the held answers through, and every later one. */
  release(): void;
  /** Sends the page a host event, as the host would. */
  hostEvent(event: Record<string, unknown>): void;
}

export async function holdableAnswers(page: Page): Promise<HeldAnswers> {
  let channel: string | undefined;
  const heldCalls = new Set<number>();
  const held: (string | Buffer)[] = [];
  let toPage: (message: string | Buffer) => void = () => {};
  await page.routeWebSocket(/\/api\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; channel?: string };
      if (channel !== undefined && call.channel === channel && call.id !== undefined) heldCalls.add(call.id);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { type?: string; id?: number };
      if (answer.type === 'result' && answer.id !== undefined && heldCalls.has(answer.id)) held.push(message);
      else toPage(message);
    });
  });
  return {
    hold(next) {
      channel = next;
    },
    held: () => held.length,
    release() {
      channel = undefined;
      heldCalls.clear();
      for (const message of held.splice(0)) toPage(message);
    },
    hostEvent: (event) => toPage(JSON.stringify({ type: 'event', event })),
  };
}
