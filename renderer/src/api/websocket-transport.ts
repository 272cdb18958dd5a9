/** Web mode: calls travel over one WebSocket to the host, authenticated by the per-start token. */
import type { ApiTransport } from '../../../shared/ipc/client.ts';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import type { ApiResult, ErrorParams } from '../../../shared/ipc/result.ts';
import type { ServerMessage } from '../../../shared/ipc/ws-protocol.ts';
import { takeHeldSocket } from './held-sockets.ts';

export interface WebSocketTransport extends ApiTransport {
  onEvent(listener: (event: HostEvent) => void): () => void;
  /**
   * Calls `listener` once the socket has closed (at once if it has): the host stopped, refused the page or was
   * restarted, and this page's token and calls end with it. Every call from then on fails at once with the reason.
   */
  onClosed(listener: (error: ConnectionClosedError) => void): () => void;
  /** Resolves when the host accepted the token; rejects with the host's reason otherwise. */
  ready: Promise<void>;
}

type RefusalBody = Extract<ServerMessage, { type: 'error' }>['error'];

/**
 * Why the socket closed: `reason` is the key the desk translates (`error.<reason>`: a missing token, a page from
 * another address, a message too large, a host gone) with its `params`; the message is the host's English, shown only
 * where no reason is known (a host that could not start says why in its own words).
 */
export class ConnectionClosedError extends Error {
  readonly reason: string | undefined;
  readonly params: ErrorParams | undefined;
  constructor(message: string, reason: string | undefined, params?: ErrorParams) {
    super(message);
    this.reason = reason;
    this.params = params;
  }
}

function closedError(refusal: RefusalBody | undefined, event: CloseEvent): ConnectionClosedError {
  if (refusal) return new ConnectionClosedError(refusal.message, refusal.reason, refusal.params);
  if (event.code === 1009) return new ConnectionClosedError('The page sent the FrontDesk host more data than it accepts in one message, so the host closed the connection. Reload the page.', 'connection.tooLarge');
  return new ConnectionClosedError(event.reason || 'The connection to the FrontDesk host was closed. Is the host still running?', 'connection.closed');
}

export function createWebSocketTransport(url: string): WebSocketTransport {
  // Opened before the app's scripts ran (public/held-sockets.js) when it could be: its handshake is done by now.
  const held = takeHeldSocket(url);
  const socket = held?.socket ?? new WebSocket(url);
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners = new Set<(event: HostEvent) => void>();
  const closeListeners = new Set<(error: ConnectionClosedError) => void>();
  let closed: ConnectionClosedError | undefined;
  let nextId = 1;
  let refusal: RefusalBody | undefined;
  let markReady: () => void = () => {};
  let markFailed: (error: Error) => void = () => {};
  let isReady = false;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = () => {
      isReady = true;
      resolve();
    };
    markFailed = reject;
  });

  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    if (message.type === 'ready') markReady();
    else if (message.type === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (message.type === 'event') for (const listener of listeners) listener(message.event);
    else if (message.type === 'error') refusal = message.error;
  });
  socket.addEventListener('close', (event) => {
    closed = closedError(refusal, event);
    markFailed(closed);
    for (const resolve of pending.values()) resolve(failure(closed));
    pending.clear();
    for (const listener of closeListeners) listener(closed);
    closeListeners.clear();
  });
  held?.replay();

  return {
    ready,
    async call(channel, payload) {
      // Once the host is ready a call leaves at once, not a microtask later: by then React may have queued its own
      // render of the click first, and the request waited for it.
      if (!isReady) await ready;
      // A closed socket drops what is sent on it without a word: the call would wait for ever.
      if (closed) return failure(closed);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, payload }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClosed(listener) {
      if (closed) {
        const error = closed;
        let wanted = true;
        queueMicrotask(() => wanted && listener(error));
        return () => (wanted = false);
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}

function failure(closed: ConnectionClosedError): ApiResult<never> {
  return { ok: false, error: { code: 'transport_failed', message: closed.message, ...(closed.reason ? { reason: closed.reason } : {}), ...(closed.params ? { params: closed.params } : {}) } };
}
