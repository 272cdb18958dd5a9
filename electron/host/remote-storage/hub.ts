/**
 * The host's collections, served read-only to renderers with RxDB's remote-storage protocol, so the renderer's
 * RxDatabase (`getRxStorageRemote` / RxDB's IPC renderer storage, unchanged) keeps its live queries.
 *
 * One hub serves every peer: a WebSocket of the web mode (`/rxdb`, electron/host/web/rxdb-socket.ts) or an Electron
 * renderer over IPC (electron/main/rxdb-ipc.ts). It replaces RxDB's `exposeRxStorageRemote`, which trusts its peer
 * (a `create` with `params: {}` throws in an async subscriber and ends the process; it creates any table a peer names;
 * it drops malformed requests without an answer). Here:
 * - every message is checked completely before anything acts on it (storage-requests.ts, query-check.ts), and every
 *   request gets exactly one answer — its result or an error saying what was wrong; nothing a peer sends can throw
 *   outside a request's own promise;
 * - `create` opens only the host's own collections with exactly the host's schema (same version); the page's RxDB
 *   internal store stays in the page (renderer/src/data/remote-storage.ts) and the host's is never shared;
 * - peers read through the host database's own storage instances: nothing a peer does creates, closes or removes one;
 * - the host plans every query itself; the plan a peer sends is ignored;
 * - connection ids are per peer, so a peer never sees answers or change events meant for another, and a peer's
 *   subscriptions end when it goes away (tab closed, window reloaded).
 */
import { fillWithDefaultSettings, getChangedDocumentsSince, type RxCollection, type RxDocumentData, type RxJsonSchema, type RxStorageInstance } from 'rxdb';
import type { MessageFromRemote } from 'rxdb/plugins/storage-remote';
import type { Subscription } from 'rxjs';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { noteWindowRequest } from '../engine/time-slice.ts';
import { planPeerQuery, QueryRefused } from './query-check.ts';
import { parseStorageMessage, type CreateParams, type Envelope, type RefusalCode, type StorageRequest } from './storage-requests.ts';

/** Each peer opens one connection per collection (ten); a reload opens a new peer. */
export const MAX_CONNECTIONS_PER_PEER = 64;
/** RxDB's internal store (collection metadata, storage token): each side keeps its own. */
export const RXDB_INTERNAL_COLLECTION = '_rxdb_internal';

export interface SourceCollection {
  schema: RxJsonSchema<RxDocumentData<unknown>>;
  instance: RxStorageInstance<unknown, unknown, unknown>;
}

/** What the hub serves: the host database's name and its collections' storage instances. */
export interface StorageSource {
  databaseName: string;
  collection(name: string): SourceCollection | undefined;
}

export function databaseSource(db: FrontDeskDatabase): StorageSource {
  const collections: Record<string, RxCollection> = db.collections;
  return {
    databaseName: db.name,
    collection(name) {
      if (!Object.hasOwn(collections, name)) return undefined;
      const collection = collections[name]!;
      return { schema: collection.schema.jsonSchema as RxJsonSchema<RxDocumentData<unknown>>, instance: collection.internalStorageInstance as RxStorageInstance<unknown, unknown, unknown> };
    },
  };
}

/** Error codes of the hub's answers (a subset of the API's, shared/ipc/result.ts). */
export type StorageErrorCode = RefusalCode | 'unavailable' | 'handler_failed';

/** A protocol-level error for a message that had no request id to answer to. */
export interface StorageProtocolError {
  type: 'error';
  error: { code: StorageErrorCode; message: string };
}
export type HubMessage = MessageFromRemote | StorageProtocolError;

/** One renderer: it hands incoming messages to `receive`, and `close` when it goes away. */
export interface RemoteStoragePeer {
  /** Settles once the message's answer has been handed to the peer's `send` (the web socket bounds its requests by it). */
  receive(message: unknown): Promise<void>;
  /** Answer a request the transport refused before reading it (e.g. a frame too large), so it is not left hanging. */
  refuse(envelope: Envelope | undefined, code: RefusalCode, message: string): void;
  close(): void;
}

export interface RemoteStorageHub {
  connect(send: (message: HubMessage) => void): RemoteStoragePeer;
  /** Ends every peer's subscriptions (host stopping); later requests are answered "unavailable". */
  close(): void;
  /** Open connections across peers, for tests and diagnostics. */
  readonly openConnections: number;
}

/** The database's name and its collections' schemas, known without the database (they are the build's own). */
export interface StorageCatalog {
  databaseName: string;
  schema(collectionName: string): RxJsonSchema<RxDocumentData<unknown>> | undefined;
}

/** The host's collections as this build defines them: what its database has once open. */
export function buildCatalog(databaseName: string, definitions: Readonly<Record<string, { schema: object }>>): StorageCatalog {
  // As RxDB derives a collection's schema from its definition, defaults filled in; RxDB also sorts its keys, which
  // sameJson does not mind (arrays keep their order either way), and that sort (localeCompare on every key) cost the
  // host 10-40 ms before its database could open.
  const schemas = new Map(Object.entries(definitions).map(([name, definition]) => [name, fillWithDefaultSettings(definition.schema as RxJsonSchema<unknown>)]));
  return { databaseName, schema: (collectionName) => schemas.get(collectionName) };
}

export interface RemoteStorageHubOptions {
  /**
   * Called per `create`, so the hub can exist before the host's database is open: it may wait for the database, and
   * throws (or rejects) when there is none.
   */
  source: () => StorageSource | Promise<StorageSource>;
  /**
   * With a catalog, a `create` is checked against it and answered at once, without waiting for the database: a page
   * finishes opening its collections while the host opens the database, and the connection's first read waits for it
   * instead (and is refused "unavailable" if it never opens).
   */
  catalog?: StorageCatalog;
  log?: (line: string) => void;
}

class Refusal extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

interface Connection {
  collection: Promise<SourceCollection>;
  subscription?: Subscription;
  closed?: boolean;
}

export function createRemoteStorageHub(options: RemoteStorageHubOptions): RemoteStorageHub {
  const log = options.log ?? (() => {});
  const peers = new Set<{ close(): void; connections: Map<string, Connection> }>();
  let hubClosed = false;
  let nextPeer = 1;

  return {
    get openConnections() {
      let n = 0;
      for (const peer of peers) n += peer.connections.size;
      return n;
    },
    connect(send) {
      const name = `peer ${nextPeer++}`;
      const connections = new Map<string, Connection>();
      const creating = new Map<string, Promise<string>>();
      let closed = false;
      let refusals = 0;

      const deliver = (message: HubMessage) => {
        if (closed) return;
        try {
          send(message);
        } catch (error) {
          log(`RxDB storage: cannot answer ${name}: ${String(error)}`);
        }
      };
      const refuse = (envelope: Envelope | undefined, code: StorageErrorCode, message: string) => {
        // A peer that sends junk gets an answer each time, and the log a sample rather than a flood.
        if (++refusals <= 5 || refusals % 1000 === 0) log(`RxDB storage: refused a request from ${name} (${refusals} so far): ${message}`);
        if (!envelope) return deliver({ type: 'error', error: { code, message } });
        deliver({ connectionId: envelope.connectionId, answerTo: envelope.requestId, method: envelope.method as never, error: { name: 'FrontDeskStorageError', message, code } as never });
      };

      const handle = async (envelope: Envelope, request: StorageRequest): Promise<unknown> => {
        if (request.method === 'create') {
          const created = create(envelope.connectionId, request.params);
          creating.set(envelope.connectionId, created);
          return created.finally(() => creating.delete(envelope.connectionId));
        }
        // A request sent right behind its connection's `create` (which may wait for the database) comes after it.
        await creating.get(envelope.connectionId)?.catch(() => undefined);
        const connection = connections.get(envelope.connectionId);
        if (!connection) throw new Refusal('invalid_request', 'This storage connection is not open (closed, or never created): its first request must be "create".');
        if (request.method === 'close') {
          closeConnection(connection);
          connections.delete(envelope.connectionId);
          return null;
        }
        const { instance, schema } = await connection.collection;
        switch (request.method) {
          case 'query':
            return instance.query(plan(schema, request.query));
          case 'count':
            return instance.count(plan(schema, request.query));
          case 'findDocumentsById':
            return instance.findDocumentsById(request.ids, request.withDeleted);
          case 'getChangedDocumentsSince':
            return instance.getChangedDocumentsSince
              ? instance.getChangedDocumentsSince(request.limit, request.checkpoint)
              : getChangedDocumentsSince(instance, request.limit, request.checkpoint);
        }
      };

      const openSource = async (): Promise<StorageSource> => {
        let source: StorageSource;
        try {
          source = await options.source();
        } catch (error) {
          throw new Refusal('unavailable', `FrontDesk storage is not available: ${(error as Error).message}`);
        }
        // The page went away, or the host began to stop, while the database was opening.
        if (closed || hubClosed) throw new Refusal('unavailable', 'This storage connection was closed.');
        return source;
      };
      const sourceCollection = (source: StorageSource, collectionName: string): SourceCollection => {
        const collection = source.collection(collectionName);
        if (!collection) throw new Refusal('invalid_request', `Unknown collection "${short(collectionName)}".`);
        return collection;
      };

      const create = async (connectionId: string, params: CreateParams): Promise<string> => {
        const source = options.catalog ? undefined : await openSource();
        const { databaseName, collectionName, schema } = params;
        const expectedName = options.catalog?.databaseName ?? source!.databaseName;
        if (databaseName !== expectedName) throw new Refusal('invalid_request', `Unknown database "${short(databaseName)}"; the host's database is "${expectedName}".`);
        if (collectionName === RXDB_INTERNAL_COLLECTION) {
          throw new Refusal('forbidden', 'RxDB\'s internal store is not shared: the page keeps its own in memory (see renderer/src/data/remote-storage.ts).');
        }
        const expected = options.catalog ? options.catalog.schema(collectionName) : sourceCollection(source!, collectionName).schema;
        if (!expected) throw new Refusal('invalid_request', `Unknown collection "${short(collectionName)}".`);
        if (schema.version !== expected.version) {
          throw new Refusal('invalid_request', `The page opens ${collectionName} with schema version ${short(String(schema.version))}, the host has version ${expected.version}: reload the page.`);
        }
        if (!sameJson(expected, schema)) {
          throw new Refusal('invalid_request', `The page's schema of ${collectionName} (version ${expected.version}) differs from the host's: reload the page; if that does not help, this build is inconsistent.`);
        }
        if (connections.has(connectionId)) throw new Refusal('invalid_request', 'This storage connection is already open.');
        if (connections.size >= MAX_CONNECTIONS_PER_PEER) throw new Refusal('invalid_request', `A page may open at most ${MAX_CONNECTIONS_PER_PEER} storage connections.`);
        const collection = source ? Promise.resolve(sourceCollection(source, collectionName)) : openSource().then((opened) => sourceCollection(opened, collectionName));
        const connection: Connection = { collection };
        connections.set(connectionId, connection);
        // Read by the connection's requests; a database that never opens is their refusal, not an unhandled rejection.
        collection.then(
          ({ instance }) => {
            if (connection.closed || closed) return;
            connection.subscription = instance.changeStream().subscribe((changes) => {
              deliver({ connectionId, answerTo: 'changestream', method: 'changeStream', return: changes });
            });
          },
          () => undefined,
        );
        return 'ok';
      };

      const close = () => {
        if (closed) return;
        closed = true;
        peers.delete(peer);
        for (const connection of connections.values()) closeConnection(connection);
        connections.clear();
      };
      const peer = { close, connections };
      peers.add(peer);

      return {
        receive(message) {
          if (closed) return Promise.resolve();
          noteWindowRequest();
          const parsed = parseStorageMessage(message);
          if (!parsed.ok) return Promise.resolve(refuse(parsed.envelope, parsed.code, parsed.message));
          const { envelope, request } = parsed;
          if (hubClosed) return Promise.resolve(refuse(envelope, 'unavailable', 'FrontDesk is stopping.'));
          return handle(envelope, request).then(
            (value) => deliver({ connectionId: envelope.connectionId, answerTo: envelope.requestId, method: envelope.method as never, return: value }),
            (error: unknown) => {
              if (error instanceof Refusal) return refuse(envelope, error.code, error.message);
              if (error instanceof QueryRefused) return refuse(envelope, 'invalid_request', `Query refused: ${error.message}.`);
              refuse(envelope, 'handler_failed', `${envelope.method} failed: ${error instanceof Error ? error.message : String(error)}`);
            },
          );
        },
        refuse,
        close,
      };
    },
    close() {
      hubClosed = true;
      for (const peer of [...peers]) {
        for (const connection of peer.connections.values()) closeConnection(connection);
        peer.connections.clear();
      }
    },
  };
}

function closeConnection(connection: Connection): void {
  connection.closed = true;
  connection.subscription?.unsubscribe();
}

function plan(schema: RxJsonSchema<RxDocumentData<unknown>>, query: unknown) {
  return planPeerQuery(schema, query) as never;
}

/** Deep equality driven by the host's schema (so its cost is bounded by that), ignoring keys whose value is undefined. */
export function sameJson(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((item, i) => sameJson(item, actual[i]));
  }
  if (Array.isArray(actual)) return false;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = Object.keys(e).filter((k) => e[k] !== undefined);
  let actualKeys = 0;
  for (const k of Object.keys(a)) if (a[k] !== undefined) actualKeys++;
  return keys.length === actualKeys && keys.every((k) => Object.hasOwn(a, k) && sameJson(e[k], a[k]));
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
