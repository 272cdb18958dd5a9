/**
 * The renderer's RxStorage: the host's storage reached through RxDB's remote-storage protocol — over the preload's
 * one RxDB IPC channel in Electron, over the `/rxdb` WebSocket (same token as the API) in the web mode.
 */
import type { RxStorage } from 'rxdb';
import { getRxStorageIpcRenderer } from 'rxdb/plugins/electron';
import { getRxStorageRemote, type MessageFromRemote, type MessageToRemote, type RemoteMessageChannel } from 'rxdb/plugins/storage-remote';
import { Subject } from 'rxjs';
import { RXDB_IPC_CHANNEL, RXDB_STORAGE_KEY, type RxdbStorageBridge } from '../../../shared/ipc/bridge.ts';

export const RXDB_SOCKET_PATH = '/rxdb';
const TOKEN_KEY = 'frontdesk.token';

type AnyStorage = RxStorage<unknown, unknown>;

/** Electron: RxDB's IPC renderer storage, given a stand-in ipcRenderer that can use only the one channel. */
export function ipcStorage(bridge: RxdbStorageBridge): AnyStorage {
  const listeners = new Map<(event: unknown, message: unknown) => void, () => void>();
  const ipcRenderer = {
    on(channel: string, listener: (event: unknown, message: unknown) => void) {
      if (channel !== RXDB_IPC_CHANNEL) throw new Error(`RxDB storage: unexpected IPC channel ${channel}`);
      listeners.set(listener, bridge.onMessage((message) => listener(undefined, message)));
    },
    removeListener(_channel: string, listener: (event: unknown, message: unknown) => void) {
      listeners.get(listener)?.();
      listeners.delete(listener);
    },
    postMessage(channel: string, message: unknown) {
      if (channel !== RXDB_IPC_CHANNEL) throw new Error(`RxDB storage: unexpected IPC channel ${channel}`);
      bridge.send(message);
    },
  };
  return getRxStorageIpcRenderer({ key: RXDB_STORAGE_KEY, ipcRenderer, mode: 'one' }) as AnyStorage;
}

export function webSocketUrl(): string {
  const url = new URL(RXDB_SOCKET_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  const token = new URL(window.location.href).searchParams.get('token') ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Web mode: RxDB's remote storage over one browser WebSocket. (RxDB's own websocket client needs the Node `ws`
 * package and reconnects forever; a desk tab needs the browser's WebSocket and a clear error when the host refuses
 * or goes away — every open request is then answered with that error instead of hanging.)
 */
export function webSocketStorage(url: string): AnyStorage {
  return getRxStorageRemote({
    identifier: `frontdesk-rxdb-websocket|${url}`,
    mode: 'one',
    messageChannelCreator: () => openChannel(url),
  }) as AnyStorage;
}

function openChannel(url: string): Promise<RemoteMessageChannel> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messages$ = new Subject<MessageFromRemote>();
    const open = new Map<string, MessageToRemote>();
    let refusal: string | undefined;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        messages$: messages$.asObservable(),
        send(message) {
          if (socket.readyState !== WebSocket.OPEN) {
            answerWithError(message, refusal ?? 'The connection to the FrontDesk host is closed. Is the host still running? Reload the page.');
            return;
          }
          open.set(message.requestId, message);
          socket.send(JSON.stringify(message));
        },
        close() {
          socket.close(1000, 'closed by the app');
          return Promise.resolve();
        },
      });
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as MessageFromRemote | { type: 'error'; error: { message: string } };
      if ('type' in message && message.type === 'error') {
        refusal = message.error.message;
        return;
      }
      const answer = message as MessageFromRemote;
      open.delete(answer.answerTo);
      messages$.next(answer);
    });
    socket.addEventListener('close', (event) => {
      const reason = refusal ?? (event.reason || 'The connection to the FrontDesk host was closed. Is the host still running? Reload the page.');
      if (!opened) reject(new Error(reason));
      for (const message of open.values()) answerWithError(message, reason);
      open.clear();
    });
    function answerWithError(message: MessageToRemote, reason: string) {
      messages$.next({ connectionId: message.connectionId, answerTo: message.requestId, method: message.method, error: { name: 'Error', message: reason } as never });
    }
  });
}
