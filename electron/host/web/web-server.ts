/**
 * Web mode: serves the built renderer on loopback (app-listener.ts) and carries the API over a WebSocket (`/api`) and
 * the renderer's RxDB storage over a second one (`/rxdb`, see rxdb-socket.ts). Every socket must present the
 * per-start access token; a wrong one gets a clear error and is closed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { FrontDeskHost } from '../host.ts';
import { listenForApp, type AppListener, type AppListenerOptions } from './app-listener.ts';
import { buildCatalog, createRemoteStorageHub, databaseSource } from '../remote-storage/hub.ts';
import { collections } from '../../../shared/domain/collections.ts';
import { DATABASE_NAME } from '../data-folder.ts';
import { frameBytes, runFramesInTurn } from './frames.ts';
import { startFailureOf } from '../start-failure.ts';
import { attachRxdbSocket, RXDB_SOCKET_PATH } from './rxdb-socket.ts';
import { fail } from '../../../shared/ipc/result.ts';
import { frameRefusal, parseClientMessage, serverMessage, WS_CLOSE_UNAUTHORIZED, WS_CLOSE_FORBIDDEN_ORIGIN } from '../../../shared/ipc/ws-protocol.ts';

export interface WebServerOptions extends AppListenerOptions {
  host: FrontDeskHost;
}

export interface RunningWebServer {
  url: string;
  /** The URL to open, with the access token. */
  openUrl: string;
  port: number;
  token: string;
  /**
   * Closes every socket and the listener. With `startError` (the host could not start: a damaged or newer database…),
   * open pages are told why first, by reason, so the page says what to fix, in its language, instead of only that
   * the host is gone.
   */
  close(startError?: unknown): Promise<void>;
}

export const API_SOCKET_PATH = '/api';
/**
 * Calls of one API socket being run or answered at once (a desk has a few out; an import sends its chunks one by one).
 * Unbounded, 20,000 `log.list` calls sent at once held ~300 KB of answer each and took the host past its heap.
 */
export const MAX_CALLS_IN_FLIGHT = 32;

export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const listener = await listenForApp(options);
  return attachHost(listener, options.host, options.log ?? (() => {}));
}

/**
 * The host's sockets on a listener that serves the page already (the web mode attaches them once the host's code has
 * loaded, see cli.ts): every socket must come from the listener's own origin and present its token.
 */
export function attachHost(listener: AppListener, host: FrontDeskHost, log: (line: string) => void): RunningWebServer {
  const sockets = new Set<WebSocket>();
  const origin = listener.url;

  // The renderer's RxDB reaches the host's storage on a second path, behind the same checks as the API.
  // Attached before the host's database is open (see cli.ts): a page's first requests wait for it, not for the engine.
  // Its collections are opened against this build's own schemas at once, while the database opens (buildCatalog).
  const rxdbHub = createRemoteStorageHub({
    source: async () => databaseSource(await host.whenDatabaseReady()),
    catalog: buildCatalog(DATABASE_NAME, collections),
    log,
  });

  // Frames above MAX_FRAME_BYTES close the socket (1009) before their body is read (app-listener.ts); smaller ones that
  // are still too large for a request are read and refused with `too_large` (json-limits.ts), and the socket stays usable.
  listener.attach((ws, request) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const requestOrigin = request.headers.origin;
    // Browsers always send Origin; a page from elsewhere must not drive the salon's data.
    if (requestOrigin !== undefined && requestOrigin !== origin) {
      ws.send(serverMessage.error('forbidden', `Connections from ${requestOrigin} are not allowed; open ${origin} instead.`, { reason: 'connection.otherOrigin', params: { origin: requestOrigin.slice(0, 200), expected: origin } }));
      ws.close(WS_CLOSE_FORBIDDEN_ORIGIN, 'origin not allowed');
      return;
    }
    if (!tokenMatches(url.searchParams.get('token'), listener.token)) {
      ws.send(serverMessage.error('unauthorized', 'Missing or wrong access token. Open the full URL that `npm run web` printed (it ends with ?token=…).', { reason: 'connection.token' }));
      ws.close(WS_CLOSE_UNAUTHORIZED, 'missing or wrong access token');
      return;
    }
    if (url.pathname === RXDB_SOCKET_PATH) attachRxdbSocket(ws, rxdbHub, log);
    else attachApiSocket(ws, host, log, sockets);
  });

  const unsubscribe = host.onEvent((event) => {
    for (const ws of sockets) ws.send(serverMessage.event(event));
  });

  return {
    url: origin,
    openUrl: listener.openUrl,
    port: listener.port,
    token: listener.token,
    async close(startError) {
      const failure = startError === undefined ? undefined : startFailureOf(startError);
      unsubscribe();
      for (const ws of sockets) {
        if (failure) ws.send(serverMessage.error('unavailable', failure.message, { reason: failure.reason, params: { ...failure.params } }));
        ws.close(failure ? 1011 : 1001, failure ? 'host could not start' : 'host stopping');
      }
      rxdbHub.close();
      // Closes every other socket (1001).
      await listener.close();
    },
  };
}

function attachApiSocket(ws: WebSocket, host: FrontDeskHost, log: (line: string) => void, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
  ws.on('error', (error) => log(`API socket error: ${error.message}`));
  ws.send(serverMessage.ready());
  // Every frame holds one of MAX_CALLS_IN_FLIGHT slots until its answer is written to the socket (runFramesInTurn).
  const answer = (text: string) =>
    new Promise<void>((written) => {
      if (ws.readyState === ws.OPEN) ws.send(text, () => written());
      else written();
    });
  // Every frame gets exactly one answer: its call's result, or a refusal (to the call's id when it can be read).
  runFramesInTurn(ws, MAX_CALLS_IN_FLIGHT, (data, isBinary) => {
    const frame = frameBytes(data);
    const parsed = frameRefusal(frame.length, isBinary, frame.subarray(0, 64).toString('latin1')) ?? parseClientMessage(frame.toString('utf8'));
    if ('refusal' in parsed) return answer(serverMessage.refusal(parsed));
    const { id, channel, payload } = parsed.message;
    return host.api.call(channel, payload).then(
      (result) => answer(serverMessage.result(id, result)),
      (error: unknown) => {
        log(`API ${channel.slice(0, 80)} failed unexpectedly: ${String(error)}`);
        return answer(serverMessage.result(id, fail('handler_failed', 'The host could not answer this call; see its log.')));
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
