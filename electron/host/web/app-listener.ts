/**
 * The web mode's HTTP side, light enough to run before the rest of the host has loaded: it serves the built renderer
 * on loopback at once, and takes the WebSocket upgrades (`/api`, `/rxdb`) as they come, holding each socket — and what
 * it sends — until the host's socket handler is attached (web-server.ts), which checks it and reads what it sent. The
 * browser loads and runs the page while the host's code loads and its database opens; the sockets' handshakes are done
 * meanwhile, not after the database's open (which holds the host's event loop), so the page's first storage requests
 * are there when the host is.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http } from '../node-http.ts';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '../../../shared/ipc/json-limits.ts';
import { readStaticFile } from './static-files.ts';

export interface AppListenerOptions {
  rendererDir: string;
  port: number;
  /** Loopback by default; binding elsewhere exposes the salon's data to the network. */
  bindAddress?: string;
  token?: string;
  log?: (line: string) => void;
}

/** The host's side of a socket: `request` is its upgrade request (path, token, origin), not yet checked. */
export type SocketHandler = (ws: WebSocket, request: IncomingMessage) => void;

/** web-server.ts's API_SOCKET_PATH and rxdb-socket.ts's RXDB_SOCKET_PATH (not imported: they bring the host's code). */
export const SOCKET_PATHS: ReadonlySet<string> = new Set(['/api', '/rxdb']);
/** What a socket may send before the host is attached (the page's first calls and storage requests are far less). */
export const MAX_HELD_BYTES = 4 * 1024 * 1024;
/** Sockets held at once before the host is attached (a page opens two; their token is checked only then). */
export const MAX_HELD_SOCKETS = 16;

export interface AppListener {
  /** http://host:port — the only origin whose pages may open the sockets. */
  url: string;
  /** The URL to open, with the access token. */
  openUrl: string;
  port: number;
  token: string;
  /**
   * Resolves once the page has what it needs to run (every asset index.html names was served), or opened a socket and
   * no file it asked for is still being answered, or after `capMs`: the host's code is loaded then, not while it would
   * hold up the page's files.
   */
  pageLoaded(capMs: number): Promise<void>;
  /** Hands the held and all later sockets to the host's handler, each held socket with what it sent meanwhile. */
  attach(handler: SocketHandler): void;
  close(): Promise<void>;
}

export async function listenForApp(options: AppListenerOptions): Promise<AppListener> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const log = options.log ?? (() => {});
  let origin = '';
  let handler: SocketHandler | undefined;
  const held = new Set<HeldSocket>();
  // Loaded once the listener is up (after the listen, so the URL is printed first), beside the page's files: the host's
  // code would bring it only later.
  let sockets: Promise<WebSocketServer> | undefined;
  const loadSockets = () => (sockets ??= import('ws').then(({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })));
  const unserved = await assetsOfPage(rendererDir);
  let markLoaded = () => {};
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  if (unserved.size === 0) markLoaded();

  // Page files being answered, and whether a socket was opened: the page opens its sockets while its own files still
  // load (renderer/public/held-sockets.js), and loading the host's code then would hold those files up. Once a page
  // opens a socket, its other one is waited for too: the host's code holds the event loop while it loads, and a
  // handshake left for after it comes only after the database's open as well (Chromium makes them one at a time).
  let answering = 0;
  let socketOpened = false;
  const accepted = new Set<string>();
  const checkLoaded = () => {
    const socketsDone = !socketOpened || [...SOCKET_PATHS].every((socketPath) => accepted.has(socketPath));
    if (socketsDone && (unserved.size === 0 || (socketOpened && answering === 0))) markLoaded();
  };
  const server: Server = http.createServer((request, response) => {
    answering++;
    const served = serveHttp(request, response, rendererDir, () => origin);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    void served
      .then(() => unserved.delete(pathname), () => undefined)
      .then(() => {
        answering--;
        checkLoaded();
      });
    void served.catch((error: unknown) => {
      log(`HTTP ${request.url ?? ''} failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Internal error while serving the app. See the FrontDesk host output.');
    });
  });
  server.on('upgrade', (request, socket, head) => {
    // A page whose files are cached (a reload) asks for none of them: its socket says it runs.
    socketOpened = true;
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!SOCKET_PATHS.has(pathname)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    void accept(request, socket, head, pathname).catch((error: unknown) => {
      log(`WebSocket upgrade failed: ${String(error)}`);
      socket.destroy();
    });
  });
  const accept = async (request: IncomingMessage, socket: Duplex, head: Buffer, pathname: string) => {
    const wss = await loadSockets();
    wss.handleUpgrade(request, socket, head, (ws) => {
      accepted.add(pathname);
      checkLoaded();
      if (handler) return handler(ws, request);
      if (held.size >= MAX_HELD_SOCKETS) return ws.close(1013, 'the host is starting; try again');
      const entry = holdSocket(ws, request, () => held.delete(entry));
      held.add(entry);
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${options.port} on ${bindAddress} is in use: stop the other program or pass --port N.`) : error);
    });
    server.listen(options.port, bindAddress, () => resolve());
  });
  loadSockets().catch(() => undefined);
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = bindAddress.includes(':') ? `[${bindAddress}]` : bindAddress;
  origin = `http://${hostForUrl}:${port}`;

  return {
    url: origin,
    openUrl: `${origin}/?token=${token}`,
    port,
    token,
    pageLoaded(capMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, capMs)));
      return Promise.race([loaded, cap]).finally(() => clearTimeout(timer));
    },
    attach(next) {
      handler = next;
      for (const entry of [...held]) {
        held.delete(entry);
        entry.handOver(next);
      }
    },
    async close() {
      for (const entry of held) entry.ws.terminate();
      held.clear();
      const wss = await sockets?.catch(() => undefined);
      for (const ws of wss?.clients ?? []) ws.close(1001, 'host stopping');
      wss?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface HeldSocket {
  ws: WebSocket;
  /** Gives the socket to `handler`, then what it sent meanwhile, in order. */
  handOver(handler: SocketHandler): void;
}

/** Keeps what an unattached socket sends (up to MAX_HELD_BYTES: beyond that it is closed, 1008). */
function holdSocket(ws: WebSocket, request: IncomingMessage, onClose: () => void): HeldSocket {
  const frames: [RawData, boolean][] = [];
  let bytes = 0;
  const keep = (data: RawData, isBinary: boolean) => {
    bytes += Array.isArray(data) ? data.reduce((n, part) => n + part.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (bytes > MAX_HELD_BYTES) return ws.close(1008, 'too much sent before the host was ready');
    frames.push([data, isBinary]);
  };
  // A socket error is followed by its close; once attached, the host's handler logs errors.
  const ignore = () => {};
  ws.on('message', keep);
  ws.on('error', ignore);
  ws.once('close', onClose);
  return {
    ws,
    handOver(handler) {
      ws.off('message', keep);
      ws.off('error', ignore);
      ws.off('close', onClose);
      if (ws.readyState !== ws.OPEN) return;
      handler(ws, request);
      for (const [data, isBinary] of frames.splice(0)) ws.emit('message', data, isBinary);
    },
  };
}

/** The URL paths of the scripts, module preloads and stylesheets the built index.html names (`/assets/…`). */
async function assetsOfPage(rendererDir: string): Promise<Set<string>> {
  const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => '');
  return new Set([...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((match) => `/${match[1]}`));
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
