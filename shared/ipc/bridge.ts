import type { Channel, HostEvent } from './contract.ts';
import type { ApiResult } from './result.ts';

/**
 * The one Electron IPC channel that carries RxDB's remote-storage messages between the renderer's RxDatabase and the
 * storage in main. The name follows RxDB's electron plugin (`rxdb-ipc-renderer-storage|<key>`), key "frontdesk".
 */
export const RXDB_STORAGE_KEY = 'frontdesk';
export const RXDB_IPC_CHANNEL = `rxdb-ipc-renderer-storage|${RXDB_STORAGE_KEY}`;

/**
 * The renderer's end of the RxDB storage channel: send and listen on that one channel only, never ipcRenderer itself.
 * Messages are RxDB's remote-storage messages (plain JSON-like objects); main validates the sender.
 */
export interface RxdbStorageBridge {
  send(message: unknown): void;
  /** Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

/** What the Electron preload exposes as `window.frontdesk`: one function per contract channel. */
export interface FrontDeskBridge {
  api: { [C in Channel]: (payload: unknown) => Promise<ApiResult<unknown>> };
  onEvent(listener: (event: HostEvent) => void): () => void;
  rxdbStorage: RxdbStorageBridge;
}
