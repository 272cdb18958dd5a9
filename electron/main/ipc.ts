/**
 * The one place Electron IPC reaches the host: checks that the caller is our own renderer frame,
 * then hands channel and payload to the host's validating router.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { IPC_INVOKE_CHANNEL } from '../../shared/ipc/contract.ts';
import { fail } from '../../shared/ipc/result.ts';
import type { FrontDeskHost } from '../host/host.ts';

export function registerApiHandlers(host: FrontDeskHost, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!event.senderFrame || event.senderFrame.parent !== null || !isTrustedUrl(frameUrl)) {
      return fail('forbidden', 'This window is not allowed to call the FrontDesk API.');
    }
    return host.api.call(channel, payload);
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}
