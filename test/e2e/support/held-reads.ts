/**
 * Routes a page's storage socket (RxDB's remote-storage messages) so that the answers to reads of one collection can
 * be held back, as on a busy desk where a visit or a log arrives well before the clients it names; with `changes`, its
 * change stream too (a write's new version then reaches the page after the command's answer, on the other socket).
 * Call before the page loads the app (DemoSession's `beforeOpen`): the page opens the socket first thing.
 */
import type { Page } from 'playwright-core';

export interface HeldReads {
  /** From now on, the storage's answers to reads of the collection (and its changes, when asked) stay with the test. */
  hold(): void;
  /** Answers held so far and not let through. */
  held(): number;
  /** Lets the held answers through, and every later one. */
  release(): void;
  /** Whether a message let through to the page since `hold()` (any collection's) contains `text`, e.g. a document's id. */
  delivered(text: string): boolean;
}

export async function holdableReads(page: Page, collectionName: string, options: { changes?: boolean } = {}): Promise<HeldReads> {
  const heldMethods = new Set(['findDocumentsById', 'query', ...(options.changes ? ['changeStream'] : [])]);
  const connections = new Set<string>();
  let holding = false;
  const held: (string | Buffer)[] = [];
  const deliveredWhileHolding: string[] = [];
  let toPage: (message: string | Buffer) => void = () => {};
  await page.routeWebSocket(/\/rxdb\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const request = JSON.parse(String(message)) as { method?: string; connectionId?: string; params?: { collectionName?: string } };
      if (request.method === 'create' && request.params?.collectionName === collectionName && request.connectionId) connections.add(request.connectionId);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { connectionId?: string; method?: string };
      if (holding && answer.method !== undefined && heldMethods.has(answer.method) && answer.connectionId !== undefined && connections.has(answer.connectionId)) held.push(message);
      else {
        if (holding) deliveredWhileHolding.push(String(message));
        toPage(message);
      }
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
    delivered: (text) => deliveredWhileHolding.some((message) => message.includes(text)),
  };
}
