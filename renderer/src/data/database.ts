/**
 * The renderer's RxDatabase: those of the host's collections that the page reads (PAGE_COLLECTIONS), on the host's
 * storage (remote-storage protocol), for live queries only — the renderer never writes a document: every change is a
 * command of the API, which the host checks and writes. No dev-mode (it loads remote content), no validator (ajv
 * compiles schemas with `new Function`, which the CSP forbids; nothing is written here to validate), no schema
 * migration: the host migrated its documents before it served them, and this page's RxDB bookkeeping is new at every
 * load (remote-storage.ts), so there is never an older version here to migrate from; at start, checking that for each
 * collection was work on the way to the first day. Opened once per page; every screen shares it.
 */
import { createRxDatabase, type RxDatabase } from 'rxdb';
import { collections, type CollectionName } from '../../../shared/domain/collections.ts';
import type { FrontDeskCollections } from '../../../shared/domain/database-types.ts';
import { ipcStorage, webSocketStorage, webSocketUrl } from './remote-storage.ts';
import { markStart } from '../app/start-marks.ts';

let opening: Promise<PageDatabase> | undefined;
let opened: PageDatabase | undefined;
const reopenListeners = new Set<() => void>();

/**
 * The collections a screen reads live. Notification settings, team events and providers reach the page only as the
 * API's answers and events, so they are not opened here: each opened collection costs its schema's preparation and a
 * storage round trip on the way to the first day, and a change stream the host feeds for as long as the page lives.
 */
export const PAGE_COLLECTIONS = ['locations', 'staff', 'services', 'clients', 'appointments', 'jobs', 'delivery_log', 'client_perks'] as const satisfies readonly CollectionName[];

export type PageCollectionName = (typeof PAGE_COLLECTIONS)[number];

export type PageCollections = Pick<FrontDeskCollections, PageCollectionName>;

/** The page's database: only the collections of PAGE_COLLECTIONS (a screen that needs another fails to typecheck). */
export type PageDatabase = RxDatabase<PageCollections>;

const pageCollectionsWithoutMigration = Object.fromEntries(PAGE_COLLECTIONS.map((name) => [name, { ...collections[name], autoMigrate: false }])) as unknown as Pick<typeof collections, PageCollectionName>;

export function getDatabase(): Promise<PageDatabase> {
  opening ??= openDatabase().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/**
 * The host was started again (desktop app: its process died and main started a new one): the storage connections of
 * this page's database ended with it. Closes the database and opens a new one; screens re-run their live queries on it.
 */
export function reopenDatabase(): void {
  opened = undefined;
  const previous = opening;
  opening = (previous ? previous.then((db) => db.close()).catch(() => undefined) : Promise.resolve()).then(() => openDatabase());
  opening.catch(() => {
    opening = undefined;
  });
  for (const listener of reopenListeners) listener();
}

/**
 * The database once it is open, without waiting for a promise: a component that mounts after that has it in its first
 * render (at start, the shell renders while the database opens).
 */
export function openedDatabase(): PageDatabase | undefined {
  return opened;
}

/** Called after `reopenDatabase`; returns the unsubscribe function. */
export function onDatabaseReopened(listener: () => void): () => void {
  reopenListeners.add(listener);
  return () => reopenListeners.delete(listener);
}

async function openDatabase(): Promise<PageDatabase> {
  const storage = window.frontdesk?.rxdbStorage ? ipcStorage(window.frontdesk.rxdbStorage) : webSocketStorage(webSocketUrl());
  markStart('database_opening');
  const db = await createRxDatabase<PageCollections>({
    name: 'frontdesk',
    storage,
    multiInstance: false,
    eventReduce: true,
  });
  markStart('database_created');
  try {
    await db.addCollections(pageCollectionsWithoutMigration);
    markStart('collections_added');
  } catch (error) {
    await db.close();
    throw error;
  }
  window.addEventListener('pagehide', () => void db.close());
  opened = db;
  return db;
}
