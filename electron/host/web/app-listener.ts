/**
 * The web mode's HTTP side, light enough to run before the rest of the host has loaded: it serves the built renderer
 * on loopback at once, and holds the WebSocket upgrades (`/api`, `/rxdb`) until the host's socket handler is attached
 * (web-server.ts). The browser loads and runs the page while the host's code loads and its database opens; a socket
 * opened meanwhile is answered as soon as the handler is there (a client waits for the handshake and sends nothing
 * before it).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http } from '../node-http.ts';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { readStaticFile } from './static-files.ts';

export interface AppListenerOptions {
  rendererDir: string;
  port: number;
  /** Loopback by default; binding elsewhere exposes the salon's data to the network. */
  bindAddress?: string;
  token?: string;
  log?: (line: string) => void;
}

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

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
  /** Hands the held and all later WebSocket upgrades to the host's handler. */
  attach(handler: UpgradeHandler): void;
  close(): Promise<void>;
}

export async function listenForApp(options: AppListenerOptions): Promise<AppListener> {
  const bindAddress = options.bindAddress ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const log = options.log ?? (() => {});
  let origin = '';
  let handler: UpgradeHandler | undefined;
  const held: [IncomingMessage, Duplex, Buffer][] = [];
  const unserved = await assetsOfPage(rendererDir);
  let markLoaded = () => {};
  const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
  if (unserved.size === 0) markLoaded();

  // Page files being answered, and whether a socket was opened: the page opens its sockets while its own files still
  // load (renderer/public/held-sockets.js), and loading the host's code then would hold those files up.
  let answering = 0;
  let socketOpened = false;
  const server: Server = http.createServer((request, response) => {
    answering++;
    const served = serveHttp(request, response, rendererDir, () => origin);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    void served
      .then(() => unserved.delete(pathname), () => undefined)
      .then(() => {
        answering--;
        if (unserved.size === 0 || (socketOpened && answering === 0)) markLoaded();
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
    if (answering === 0) markLoaded();
    if (handler) return handler(request, socket, head);
    held.push([request, socket, head]);
    socket.once('close', () => {
      const index = held.findIndex(([, s]) => s === socket);
      if (index >= 0) held.splice(index, 1);
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
      for (const [request, socket, head] of held.splice(0)) next(request, socket, head);
    },
    async close() {
      for (const [, socket] of held.splice(0)) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
