/**
 * The host's RxStorage, exposed to renderers with RxDB's remote-storage protocol (`rxdb/plugins/storage-remote`).
 *
 * One hub serves every peer: a WebSocket of the web mode (path `/rxdb`, same token and origin checks as `/api`) or an
 * Electron renderer over IPC (electron/main/rxdb-ipc.ts). Compared with RxDB's ready-made
 * `startRxStorageRemoteWebsocketServer`, the hub
 * - namespaces connection ids per peer, so one peer can never read answers or change streams meant for another;
 * - closes a peer's storage instances when the peer goes away (tab closed, window reloaded), instead of leaking them;
 * - validates every write against the collection's JSON schema (`wrappedValidateAjvStorage`) here, at the trust
 *   boundary: a refused write comes back as a 422 row naming the field, which `validationMessage` turns into text.
 *   (The renderer cannot run ajv itself: ajv compiles schemas with `new Function`, which the app's CSP forbids.)
 * The wire format is RxDB's own JSON messages, so the renderer uses RxDB's `getRxStorageRemote` unchanged.
 */
import type { RxStorage } from 'rxdb';
import { exposeRxStorageRemote, type MessageFromRemote, type MessageToRemote } from 'rxdb/plugins/storage-remote';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { Subject } from 'rxjs';
import type { WebSocket } from 'ws';

export const RXDB_SOCKET_PATH = '/rxdb';

/** One renderer: it hands incoming messages to `receive`, and `close` when it goes away. */
export interface RemoteStoragePeer {
  receive(message: unknown): void;
  close(): void;
}

export interface RemoteStorageHub {
  connect(send: (message: MessageFromRemote) => void): RemoteStoragePeer;
  /** Closes every peer's storage instances (host stopping). */
  close(): void;
  /** Open connections (storage instances) across peers, for tests and diagnostics. */
  readonly openConnections: number;
}

export interface RemoteStorageHubOptions {
  /** Called on the first request, so the hub can be created before the host's database is open. */
  storage: () => RxStorage<unknown, unknown>;
  /** Validate writes against the schema (default true). */
  validate?: boolean;
  log?: (line: string) => void;
}

const METHODS = new Set(['create', 'bulkWrite', 'findDocumentsById', 'query', 'count', 'getAttachmentData', 'getChangedDocumentsSince', 'cleanup', 'close', 'remove']);

function isMessageToRemote(value: unknown): value is MessageToRemote {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.connectionId === 'string' && m.connectionId.length <= 200 &&
    typeof m.requestId === 'string' && m.requestId.length <= 200 &&
    typeof m.method === 'string' && METHODS.has(m.method)
  );
}

export function createRemoteStorageHub(options: RemoteStorageHubOptions): RemoteStorageHub {
  const log = options.log ?? (() => {});
  const messages$ = new Subject<MessageToRemote>();
  /** Namespaced connection id → the peer's send and its own id. */
  const routes = new Map<string, { send: (message: MessageFromRemote) => void; ownId: string }>();
  const peers = new Set<() => void>();
  let exposed = false;
  let nextPeer = 1;

  const expose = () => {
    if (exposed) return;
    exposed = true;
    const base = options.storage();
    const storage = options.validate === false ? base : (wrappedValidateAjvStorage({ storage: base }) as RxStorage<unknown, unknown>);
    exposeRxStorageRemote({
      storage,
      messages$: messages$.asObservable(),
      send(message) {
        const route = routes.get(message.connectionId);
        if (!route) return; // the peer went away: drop
        try {
          route.send({ ...message, connectionId: route.ownId });
        } catch (error) {
          log(`RxDB remote storage: cannot answer a peer: ${String(error)}`);
        }
      },
    });
  };

  return {
    get openConnections() {
      return routes.size;
    },
    connect(send) {
      const prefix = `p${nextPeer++}/`;
      const own = new Set<string>();
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        peers.delete(close);
        // Close this peer's storage instances as if it had asked to; the answers are dropped (no route).
        const ids = [...own].map((id) => prefix + id);
        for (const id of ids) routes.delete(id);
        for (const id of ids) messages$.next({ connectionId: id, requestId: 'peer-closed', method: 'close', version: RXDB_VERSION, params: [] });
        own.clear();
      };
      peers.add(close);
      return {
        receive(message) {
          if (closed) return;
          if (!isMessageToRemote(message)) {
            log('RxDB remote storage: dropped a malformed message from a peer');
            return;
          }
          if (!own.has(message.connectionId)) {
            if (message.method !== 'create') {
              send({ connectionId: message.connectionId, answerTo: message.requestId, method: message.method, error: { name: 'Error', message: 'The first call of a storage connection must be "create".' } as never });
              return;
            }
            own.add(message.connectionId);
            routes.set(prefix + message.connectionId, { send, ownId: message.connectionId });
          }
          try {
            expose();
          } catch (error) {
            send({ connectionId: message.connectionId, answerTo: message.requestId, method: message.method, error: { name: 'Error', message: `FrontDesk storage is not available: ${(error as Error).message}` } as never });
            return;
          }
          messages$.next({ ...message, connectionId: prefix + message.connectionId });
        },
        close,
      };
    },
    close() {
      for (const close of [...peers]) close();
    },
  };
}

/** Web mode: one authenticated WebSocket on `/rxdb` becomes a peer of the hub. */
export function attachRxdbSocket(ws: WebSocket, hub: RemoteStorageHub, log: (line: string) => void): void {
  const peer = hub.connect((message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('close', () => peer.close());
  ws.on('error', (error) => log(`RxDB socket error: ${error.message}`));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return void log('RxDB socket: binary frames are not part of the protocol');
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      log('RxDB socket: dropped a message that is not JSON');
      return;
    }
    peer.receive(message);
  });
}
