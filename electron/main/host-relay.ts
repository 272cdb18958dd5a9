/**
 * Main's whole part in the data path: the host runs in a utility process (electron/host/process/), and this relays
 * the contract (ipcMain.handle) and the storage channel (one IPC channel per window) to it, after checking that the
 * sender is our own top frame. The host checks every call and storage message itself, as for the web mode's sockets.
 */
import path from 'node:path';
import { ipcMain, utilityProcess, webContents, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { RXDB_IPC_CHANNEL } from '../../shared/ipc/bridge.ts';
import { IPC_INVOKE_CHANNEL } from '../../shared/ipc/contract.ts';
import { fail } from '../../shared/ipc/result.ts';
import { createHostLink, type HostChild, type HostLink, type HostLinkOptions } from '../host/process/host-link.ts';
import type { FromHost } from '../host/process/protocol.ts';

export type HostRelayOptions = Omit<HostLinkOptions, 'spawn' | 'onStorage'> & { isTrustedUrl: (url: string) => boolean };

function forkHost(): HostChild {
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'host.js'), [], { serviceName: 'FrontDesk host', stdio: 'inherit' });
  return {
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (message: FromHost) => listener(message)),
    onExit: (listener) => child.on('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}

export function startHostRelay(options: HostRelayOptions): HostLink {
  const link = createHostLink({
    ...options,
    spawn: forkHost,
    onStorage: (peer, message) => {
      const contents = webContents.fromId(peer);
      if (contents && !contents.isDestroyed()) contents.send(RXDB_IPC_CHANNEL, message);
    },
  });
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent) =>
    !!event.senderFrame && event.senderFrame.parent === null && options.isTrustedUrl(event.senderFrame.url);

  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, channel: unknown, payload: unknown) =>
    trusted(event) ? link.call(channel, payload) : fail('forbidden', 'This window is not allowed to call the FrontDesk API.'),
  );

  const watched = new WeakSet<WebContents>();
  ipcMain.on(RXDB_IPC_CHANNEL, (event, message: unknown) => {
    if (!trusted(event)) return options.log(`refused an RxDB storage message from ${event.senderFrame?.url || 'an unknown frame'}`);
    // RxDB's IPC renderer announces itself with `false` before its first request.
    if (message === false || message === undefined || message === null) return;
    const contents = event.sender;
    if (!watched.has(contents)) {
      watched.add(contents);
      // A reload starts a new RxDatabase in the page (hash changes fire no did-navigate): the old one's connections end.
      const peer = contents.id;
      const closed = () => link.storageClosed(peer);
      contents.on('did-navigate', closed);
      contents.on('render-process-gone', closed);
      contents.once('destroyed', closed);
    }
    link.storage(contents.id, message);
  });
  return link;
}
