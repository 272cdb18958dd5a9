/**
 * Counts the host's answers that reached the page, per contract channel, by watching the page's API socket (nothing is
 * changed or held). Call before the page loads the app (DemoSession's `beforeOpen`): the page opens the socket first.
 */
import type { Page } from 'playwright-core';

export function countApiAnswers(page: Page): (channel: string) => number {
  const channelOfCall = new Map<number, string>();
  const answers = new Map<string, number>();
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/api?')) return;
    socket.on('framesent', ({ payload }) => {
      const call = JSON.parse(String(payload)) as { id?: number; channel?: string };
      if (call.id !== undefined && call.channel !== undefined) channelOfCall.set(call.id, call.channel);
    });
    socket.on('framereceived', ({ payload }) => {
      const answer = JSON.parse(String(payload)) as { type?: string; id?: number };
      const channel = answer.type === 'result' && answer.id !== undefined ? channelOfCall.get(answer.id) : undefined;
      if (channel !== undefined) answers.set(channel, (answers.get(channel) ?? 0) + 1);
    });
  });
  return (channel) => answers.get(channel) ?? 0;
}
