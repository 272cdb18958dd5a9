/**
 * Web mode: serves the built renderer on loopback and carries the API over a WebSocket (`/api`) and the
 * renderer's RxDB storage over a second one (`/rxdb`, see rxdb-socket.ts). Every
 * socket must present the per-start access token; a wrong one gets a clear error and is closed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FrontDeskHost } from '../host.ts';
import { readStaticFile } from './static-files.ts';
import { createRemoteStorageHub, databaseSource } from '../remote-storage/hub.ts';
import { frameBytes } from './frames.ts';
import { attachRxdbSocket, RXDB_SOCKET_PATH } from './rxdb-socket.ts';
import { MAX_FRAME_BYTES } from '../../../shared/ipc/json-limits.ts';
import { fail } from '../../../shared/ipc/result.ts';
import { frameRefusal, parseClientMessage, serverMessage, WS_CLOSE_UNAUTHORIZED, WS_CLOSE_FORBIDDEN_ORIGIN } from '../../../shared/ipc/ws-protocol.ts';

export interface WebServerOptions {
  host: FrontDeskHost;
  rendererDir: string;
  port: number;
  /** Loopback by default; binding elsewhere exposes the salon's data to the network. */
  bindAddress?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface RunningWebServer {
  url: string;
  /** The URL to open, with the access token. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const API_SOCKET_PATH = '/api';

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const log = options.log ?? (() => {});
  const sockets = new Set<WebSocket>();
  let origin = '';

  const server: Server = createServer((request, response) => {
    void serveHttp(request, response, rendererDir, () => origin).catch((error: unknown) => {
      log(`HTTP ${request.url ?? ''} failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error while serving the app. See the FrontDesk host output.');
    });
  });
  // Frames above MAX_FRAME_BYTES close the socket (1009) before their body is read; smaller ones that are still too
  // large for a request are read and refused with `too_large` (json-limits.ts), and the socket stays usable.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  // The renderer's RxDB reaches the host's storage on a second path, behind the same checks as the API.
  // Served before the host's database is open (see cli.ts): a page's first requests wait for it.
  const rxdbHub = createRemoteStorageHub({
    source: async () => {
      await options.host.whenRunning();
      return databaseSource(options.host.runtime.db);
    },
    log,
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== API_SOCKET_PATH && url.pathname !== RXDB_SOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const requestOrigin = request.headers.origin;
      // Browsers always send Origin; a page from elsewhere must not drive the salon's data.
      if (requestOrigin !== undefined && requestOrigin !== origin) {
        ws.send(serverMessage.error('forbidden', `Connections from ${requestOrigin} are not allowed; open ${origin} instead.`));
        ws.close(WS_CLOSE_FORBIDDEN_ORIGIN, 'origin not allowed');
        return;
      }
      if (!tokenMatches(url.searchParams.get('token'), token)) {
        ws.send(serverMessage.error('unauthorized', 'Missing or wrong access token. Open the full URL that `npm run web` printed (it ends with ?token=…).'));
        ws.close(WS_CLOSE_UNAUTHORIZED, 'missing or wrong access token');
        return;
      }
      if (url.pathname === RXDB_SOCKET_PATH) attachRxdbSocket(ws, rxdbHub, log);
      else attachApiSocket(ws, options.host, log, sockets);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} on ${bindAddress} is in use: stop the other program or pass --port N.`) : error);
    });
    server.listen(options.port, bindAddress, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
  origin = `http://${hostForUrl}:${port}`;
  const unsubscribe = options.host.onEvent((event) => {
    for (const ws of sockets) ws.send(serverMessage.event(event));
  });

  return {
    url: origin,
    openUrl: `${origin}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.close(1001, 'host stopping');
      for (const ws of wss.clients) ws.close(1001, 'host stopping');
      rxdbHub.close();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attachApiSocket(ws: WebSocket, host: FrontDeskHost, log: (line: string) => void, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.on('error', (error) => log(`API socket error: ${error.message}`));
  ws.send(serverMessage.ready());
  const reply = (text: string) => {
    if (ws.readyState === ws.OPEN) ws.send(text);
  };
  // Every frame gets exactly one answer: its call's result, or a refusal (to the call's id when it can be read).
  ws.on('message', (data, isBinary) => {
    const frame = frameBytes(data);
    const parsed = frameRefusal(frame.length, isBinary, frame.subarray(0, 64).toString('latin1')) ?? parseClientMessage(frame.toString('utf8'));
    if ('refusal' in parsed) return reply(serverMessage.refusal(parsed));
    const { id, channel, payload } = parsed.message;
    host.api.call(channel, payload).then(
      (result) => reply(serverMessage.result(id, result)),
      (error: unknown) => {
        log(`API ${channel.slice(0, 80)} failed unexpectedly: ${String(error)}`);
        reply(serverMessage.result(id, fail('handler_failed', 'The host could not answer this call; see its log.')));
      },
    );
  });
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveHttp(request: IncomingMessage, response: ServerResponse, rendererDir: string, origin: () => string): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    response.end('Only GET and HEAD are served here; the API is on the WebSocket.');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  const file = await readStaticFile(rendererDir, url.pathname);
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Not found: ${url.pathname}`);
    return;
  }
  const wsOrigin = origin().replace(/^http/, 'ws');
  response.writeHead(200, {
    'content-type': file.contentType,
    'content-length': file.body.length,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'content-security-policy': contentSecurityPolicy(wsOrigin),
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

/** Mantine injects its CSS variables in <style> tags, hence 'unsafe-inline' for styles only. */
export function contentSecurityPolicy(connectOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
