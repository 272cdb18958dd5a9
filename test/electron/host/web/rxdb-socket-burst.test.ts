/**
 * The storage socket bounds the requests it has out at once (MAX_STORAGE_REQUESTS_IN_FLIGHT): a page that sends
 * thousands of queries in one burst has them answered in turn instead of making the host hold every answer at once
 * (5,000 client queries took the host to 2.5 GB). A real socket on loopback; the hub is a stand-in that counts.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { RemoteStorageHub } from '../../../../electron/host/remote-storage/hub.ts';
import { attachRxdbSocket, MAX_STORAGE_REQUESTS_IN_FLIGHT } from '../../../../electron/host/web/rxdb-socket.ts';

let server: WebSocketServer | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function countingHub(stats: { running: number; most: number }): RemoteStorageHub {
  return {
    openConnections: 0,
    connect(send) {
      return {
        receive(message) {
          stats.most = Math.max(stats.most, ++stats.running);
          const { requestId } = message as { requestId: string };
          // Each answer takes a few ms, as a query over a collection would.
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              stats.running--;
              send({ connectionId: 'c1', answerTo: requestId, method: 'query', return: { documents: [] } } as never);
              resolve();
            }, 2),
          );
        },
        refuse: () => undefined,
        close: () => undefined,
      };
    },
    close: () => undefined,
  } as RemoteStorageHub;
}

describe('storage socket under a burst of requests', () => {
  it(`answers every request of a burst of 400 with at most ${MAX_STORAGE_REQUESTS_IN_FLIGHT} out at once`, async () => {
    const stats = { running: 0, most: 0 };
    const hub = countingHub(stats);
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) => attachRxdbSocket(ws, hub, () => undefined));
    await new Promise((resolve) => server!.once('listening', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((resolve) => client.once('open', resolve));
    const answers = new Set<string>();
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        answers.add((JSON.parse(data.toString()) as { answerTo: string }).answerTo);
        if (answers.size === 400) resolve();
      }),
    );
    for (let i = 0; i < 400; i++) client.send(JSON.stringify({ connectionId: 'c1', requestId: `r${i}`, method: 'query', params: [] }));
    await all;
    client.close();
    expect(answers.size).toBe(400);
    expect(stats.most).toBeLessThanOrEqual(MAX_STORAGE_REQUESTS_IN_FLIGHT);
    expect(stats.most).toBeGreaterThan(1);
  });
});
