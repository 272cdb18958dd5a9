/** Web mode: calls travel over one WebSocket to the host, authenticated by the per-start token. */
import type { ApiTransport } from '../../../shared/ipc/client.ts';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import type { ApiResult } from '../../../shared/ipc/result.ts';
import type { ServerMessage } from '../../../shared/ipc/ws-protocol.ts';
import { takeHeldSocket } from './held-sockets.ts';

export interface WebSocketTransport extends ApiTransport {
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** Resolves when the host accepted the token; rejects with the host's reason otherwise. */
  ready: Promise<void>;
}

export function createWebSocketTransport(url: string): WebSocketTransport {
  // Opened before the app's scripts ran (public/held-sockets.js) when it could be: its handshake is done by now.
  const held = takeHeldSocket(url);
  const socket = held?.socket ?? new WebSocket(url);
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners = new Set<(event: HostEvent) => void>();
  let nextId = 1;
  let closedReason: string | undefined;
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
    else if (message.type === 'error') closedReason = message.error.message;
  });
  socket.addEventListener('close', (event) => {
    const tooBig = event.code === 1009 ? 'The page sent the FrontDesk host more data than it accepts in one message, so the host closed the connection. Reload the page.' : undefined;
    const reason = closedReason ?? (event.reason || tooBig || 'The connection to the FrontDesk host was closed. Is the host still running?');
    markFailed(new Error(reason));
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'transport_failed', message: reason } });
    pending.clear();
  });
  held?.replay();

  return {
    ready,
    async call(channel, payload) {
      // Once the host is ready a call leaves at once, not a microtask later: by then React may have queued its own
      // render of the click first, and the request waited for it.
      if (!isReady) await ready;
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
  };
}
