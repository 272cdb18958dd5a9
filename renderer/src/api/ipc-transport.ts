import type { FrontDeskBridge } from '../../../shared/ipc/bridge.ts';
import type { ApiTransport } from '../../../shared/ipc/client.ts';

/** Electron: calls go through the named functions the preload exposed. */
export function createIpcTransport(bridge: FrontDeskBridge): ApiTransport {
  return { call: (channel, payload) => bridge.api[channel](payload) };
}
