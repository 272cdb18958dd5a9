/**
 * The renderer's RxStorage: the host's collections reached through RxDB's remote-storage protocol — over the preload's
 * one RxDB IPC channel in Electron, over the `/rxdb` WebSocket (same token as the API) in the web mode. The host serves
 * only its own collections (electron/host/remote-storage/hub.ts); RxDB's internal store of this page's database
 * (collection metadata, storage token) stays in memory here.
 */
import { INTERNAL_STORAGE_NAME, type RxStorage } from 'rxdb';
import { getRxStorageIpcRenderer } from 'rxdb/plugins/electron';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageRemote, type MessageFromRemote, type MessageToRemote, type RemoteMessageChannel } from 'rxdb/plugins/storage-remote';
import { Subject } from 'rxjs';
import { RXDB_IPC_CHANNEL, RXDB_STORAGE_KEY, type RxdbStorageBridge } from '../../../shared/ipc/bridge.ts';
import { takeHeldSocket } from '../api/held-sockets.ts';

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
  return withLocalInternalStore(getRxStorageIpcRenderer({ key: RXDB_STORAGE_KEY, ipcRenderer, mode: 'one' }) as AnyStorage);
}

/**
 * RxDB writes its internal store when a database opens and collections are added. That bookkeeping belongs to this
 * page's database, not to the host's (the host refuses to share its own), so it lives in memory: the host has already
 * migrated its data, and a page only reads.
 */
export function withLocalInternalStore(remote: AnyStorage): AnyStorage {
  const local = getRxStorageMemory() as AnyStorage;
  return {
    name: `${remote.name}+local-internal`,
    rxdbVersion: remote.rxdbVersion,
    createStorageInstance: (params) => (params.collectionName === INTERNAL_STORAGE_NAME ? local : remote).createStorageInstance(params),
  };
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
  return withLocalInternalStore(
    getRxStorageRemote({
      identifier: `frontdesk-rxdb-websocket|${url}`,
      mode: 'one',
      messageChannelCreator: () => openChannel(url),
    }) as AnyStorage,
  );
}

function openChannel(url: string): Promise<RemoteMessageChannel> {
  return new Promise((resolve, reject) => {
    // Opened before the app's scripts ran (public/held-sockets.js) when it could be: its handshake is done by now.
    const held = takeHeldSocket(url);
    const socket = held?.socket ?? new WebSocket(url);
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
      const message = JSON.parse(String(event.data)) as MessageFromRemote | { type: 'error'; error: { code: string; message: string } };
      if ('type' in message && message.type === 'error') {
        // Sent before the host closes a socket it refuses; other protocol errors answer nothing this page sent.
        if (message.error.code === 'unauthorized' || message.error.code === 'forbidden') refusal = message.error.message;
        else console.warn(`FrontDesk storage: ${message.error.message}`);
        return;
      }
      const answer = message as MessageFromRemote;
      open.delete(answer.answerTo);
      messages$.next(answer);
    });
    socket.addEventListener('close', (event) => {
      const reason = refusal ?? (event.reason || closeReason(event.code));
      if (!opened) reject(new Error(reason));
      for (const message of open.values()) answerWithError(message, reason);
      open.clear();
    });
    held?.replay();
    function answerWithError(message: MessageToRemote, reason: string) {
      messages$.next({ connectionId: message.connectionId, answerTo: message.requestId, method: message.method, error: { name: 'Error', message: reason } as never });
    }
  });
}

export function closeReason(code: number): string {
  if (code === 1009) return 'The page sent the FrontDesk host more data than it accepts in one message, so the host closed the connection. Reload the page.';
  return 'The connection to the FrontDesk host was closed. Is the host still running? Reload the page.';
}
