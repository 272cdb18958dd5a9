/**
 * Electron: the renderer's RxDatabase reaches the host's storage over one IPC channel (RXDB_IPC_CHANNEL), speaking
 * RxDB's remote-storage protocol — the same hub as the web mode's `/rxdb` socket (electron/host/remote-storage/hub.ts),
 * so message validation and size limits, per-window connection ids and cleanup when a window reloads or closes are
 * shared. Every message is handed to the hub, which bounds it (json-limits.ts) before anything else reads it.
 * (RxDB's `exposeIpcMainRxStorage` would accept any sender and broadcast every answer to every window.)
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import { RXDB_IPC_CHANNEL } from '../../shared/ipc/bridge.ts';
import type { FrontDeskHost } from '../host/host.ts';
import { createRemoteStorageHub, databaseSource, type RemoteStoragePeer } from '../host/remote-storage/hub.ts';

export function exposeRxdbStorage(host: FrontDeskHost, isTrustedUrl: (url: string) => boolean, log: (line: string) => void): () => void {
  const hub = createRemoteStorageHub({ source: () => databaseSource(host.runtime.db), log });
  const peers = new Map<WebContents, RemoteStoragePeer>();

  const watched = new WeakSet<WebContents>();
  const drop = (contents: WebContents) => {
    peers.get(contents)?.close();
    peers.delete(contents);
  };

  const peerOf = (contents: WebContents): RemoteStoragePeer => {
    let peer = peers.get(contents);
    if (!peer) {
      peer = hub.connect((message) => {
        if (!contents.isDestroyed()) contents.send(RXDB_IPC_CHANNEL, message);
      });
      peers.set(contents, peer);
      if (!watched.has(contents)) {
        watched.add(contents);
        // A reload starts a new RxDatabase (did-navigate is not fired for hash changes): close the old one's instances.
        contents.on('did-navigate', () => drop(contents));
        contents.on('render-process-gone', () => drop(contents));
        contents.once('destroyed', () => drop(contents));
      }
    }
    return peer;
  };

  const onMessage = (event: IpcMainEvent, message: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!event.senderFrame || event.senderFrame.parent !== null || !isTrustedUrl(frameUrl)) {
      log(`refused an RxDB storage message from ${frameUrl || 'an unknown frame'}`);
      return;
    }
    // RxDB's IPC renderer announces itself with `false` before its first request.
    if (message === false || message === undefined || message === null) return;
    peerOf(event.sender).receive(message);
  };

  ipcMain.on(RXDB_IPC_CHANNEL, onMessage);
  return () => {
    ipcMain.removeListener(RXDB_IPC_CHANNEL, onMessage);
    hub.close();
    peers.clear();
  };
}
