/**
 * The preload exposes named, typed functions built from the IPC contract — never ipcRenderer itself.
 * Each function forwards to the one invoke channel; main validates sender and payload. The renderer's RxDB storage
 * gets a send/listen pair restricted to its one channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/ipc/channels.ts';
import type { HostEvent } from '../../shared/ipc/contract.ts';
import { RXDB_IPC_CHANNEL, type FrontDeskBridge } from '../../shared/ipc/bridge.ts';

const api = Object.fromEntries(
  CHANNEL_NAMES.map((channel) => [channel, (payload: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, payload)]),
) as FrontDeskBridge['api'];

const bridge: FrontDeskBridge = {
  api,
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, hostEvent: HostEvent) => listener(hostEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
  },
  // The renderer's RxDatabase storage: this one channel only, never ipcRenderer itself.
  rxdbStorage: {
    send(message) {
      ipcRenderer.send(RXDB_IPC_CHANNEL, message);
    },
    onMessage(listener) {
      const forward = (_event: IpcRendererEvent, message: unknown) => listener(message);
      ipcRenderer.on(RXDB_IPC_CHANNEL, forward);
      return () => ipcRenderer.removeListener(RXDB_IPC_CHANNEL, forward);
    },
  },
};

contextBridge.exposeInMainWorld('frontdesk', bridge);
