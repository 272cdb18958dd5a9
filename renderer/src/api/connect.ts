/** Picks the transport: the Electron preload bridge when present, else the web mode's WebSocket. */
import type { FrontDeskBridge } from '../../../shared/ipc/bridge.ts';
import { createApiClient, type ApiClient } from '../../../shared/ipc/client.ts';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import { createIpcTransport } from './ipc-transport.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

declare global {
  interface Window {
    frontdesk?: FrontDeskBridge;
  }
}

export interface Connection {
  api: ApiClient;
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** Calls `listener` once the connection to the host is gone for good, with why (see WebSocketTransport.onClosed). */
  onClosed(listener: (error: Error) => void): () => void;
  ready: Promise<void>;
}

const TOKEN_KEY = 'frontdesk.token';

/** The token arrives once in the URL; it is kept for reloads of this tab and removed from the address bar. */
function takeWebToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function connect(): Connection {
  if (window.frontdesk) {
    const bridge = window.frontdesk;
    // The desktop app's bridge does not close: main restarts a host that stopped and says so (hostRestarted).
    return { api: createApiClient(createIpcTransport(bridge)), onEvent: bridge.onEvent, onClosed: () => () => {}, ready: Promise.resolve() };
  }
  const token = takeWebToken();
  const wsUrl = new URL('/api', window.location.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  wsUrl.searchParams.set('token', token);
  const transport = createWebSocketTransport(wsUrl.toString());
  return { api: createApiClient(transport), onEvent: transport.onEvent, onClosed: transport.onClosed, ready: transport.ready };
}
