/**
 * A loopback HTTP server that answers the way a provider does on a bad day: the status line and headers go out, then
 * the body breaks off (the connection is reset), never ends, or runs to many megabytes. It counts the requests, so a
 * test can tell a retry (a second message) from none.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BadDay =
  /** Sends the headers and the start of the body, then resets the connection. */
  | { kind: 'resetMidBody'; status: number; start: string }
  /** Sends the headers and the start of the body, then nothing more. */
  | { kind: 'neverEnds'; status: number; start: string }
  /** Sends `megabytes` of body, as fast as the client reads. */
  | { kind: 'huge'; status: number; megabytes: number }
  /** Reads the whole request, then resets the connection without a word: it may have acted on it. */
  | { kind: 'resetAfterRequest' }
  /** Reads the whole request and never answers. */
  | { kind: 'silent' };

export interface BadDayServer {
  readonly url: string;
  requests: number;
  close(): Promise<void>;
}

function misbehave(res: ServerResponse, day: BadDay): void {
  if (day.kind === 'silent') return;
  if (day.kind === 'resetAfterRequest') {
    res.socket?.resetAndDestroy();
    return;
  }
  res.writeHead(day.status, { 'content-type': 'application/json' });
  if (day.kind === 'huge') {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = Math.ceil((day.megabytes * 1024 * 1024) / chunk.length);
    const pump = (): void => {
      while (left > 0) {
        left -= 1;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  res.write(day.start);
  if (day.kind === 'resetMidBody') setTimeout(() => res.socket?.resetAndDestroy(), 50);
}

export async function startBadDayServer(day: BadDay): Promise<BadDayServer> {
  const server = createServer((req, res) => {
    state.requests += 1;
    req.resume();
    req.on('end', () => misbehave(res, day));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: BadDayServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}
