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
import { DIRECT_ANSWER_FRESH_MS } from './direct-read.ts';
import { ipcStorage, webSocketStorage, webSocketUrl } from './remote-storage.ts';
import { markStart } from '../app/start-marks.ts';
// Declares window.frontdesk (the Electron preload's bridge), which picks the storage below.
import type {} from '../api/connect.ts';

let opening: Promise<PageDatabase> | undefined;
let opened: PageDatabase | undefined;
const reopenListeners = new Set<() => void>();

/**
 * The collections a screen reads live. Notification settings, team events and providers reach the page only as the
 * API's answers and events, so they are not opened here: each opened collection costs its schema's preparation and a
 * storage round trip, and a change stream the host feeds for as long as it is open.
 */
export const PAGE_COLLECTIONS = ['locations', 'staff', 'services', 'clients', 'appointments', 'jobs', 'delivery_log', 'client_perks'] as const satisfies readonly CollectionName[];

/**
 * Opened only while a screen shows messages (a visit card, a client's loyalty tab), by useMessagesDatabase. The engine
 * writes jobs and their log entries all the time (a desk that was closed catches up on hours of due reminders at
 * start, one change event each), and while these are open every one of them crosses the storage socket and is parsed
 * and handled on the page's main thread, between a day switch's tasks: 584 jobs and 959 log events (2.6 MB) in 36 day
 * switches after a start 3 hours after the previous one.
 */
export const MESSAGE_COLLECTIONS = ['jobs', 'delivery_log'] as const satisfies readonly PageCollectionName[];

/** The collections opened with the database (the page's start opens these and no more). */
export const START_COLLECTIONS = PAGE_COLLECTIONS.filter((name): name is StartCollectionName => !(MESSAGE_COLLECTIONS as readonly string[]).includes(name));

/** After this long with no screen showing messages, their collections close again (and stop the host's change stream). */
export const MESSAGE_COLLECTIONS_IDLE_MS = 30_000;

/**
 * Opened only for prefetches (a visit pointed at, screens/visit-card/prefetch-visit.ts) and by no screen, they close
 * after this long unused instead: a pointer moving over the calendar would otherwise keep them, and the host's change
 * stream, open. As long as a prefetch's answer is shown as fresh (direct-read.ts): a card opened in that time finds
 * the answer on the collections it was read from.
 */
export const PREFETCH_ONLY_IDLE_MS = DIRECT_ANSWER_FRESH_MS;

export type PageCollectionName = (typeof PAGE_COLLECTIONS)[number];
export type MessageCollectionName = (typeof MESSAGE_COLLECTIONS)[number];
export type StartCollectionName = Exclude<PageCollectionName, MessageCollectionName>;

/** The page's database as it opens: a screen that reads jobs or the delivery log needs useMessagesDatabase. */
export type PageDatabase = RxDatabase<Pick<FrontDeskCollections, StartCollectionName>>;

/** The page's database while its message collections are open (useMessagesDatabase). */
export type MessagesDatabase = RxDatabase<Pick<FrontDeskCollections, PageCollectionName>>;

const withoutMigration = <N extends PageCollectionName>(names: readonly N[]) => Object.fromEntries(names.map((name) => [name, { ...collections[name], autoMigrate: false }])) as unknown as Pick<typeof collections, N>;
const startCollectionsWithoutMigration = withoutMigration(START_COLLECTIONS);
const messageCollectionsWithoutMigration = withoutMigration(MESSAGE_COLLECTIONS);

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
  const db = await createRxDatabase<Pick<FrontDeskCollections, StartCollectionName>>({
    name: 'frontdesk',
    storage,
    multiInstance: false,
    eventReduce: true,
  });
  markStart('database_created');
  try {
    await db.addCollections(startCollectionsWithoutMigration);
    markStart('collections_added');
  } catch (error) {
    await db.close();
    throw error;
  }
  window.addEventListener('pagehide', () => void db.close());
  opened = db;
  return db;
}

interface MessageCollectionsState {
  /** Screens (and prefetches) using the message collections now. */
  users: number;
  /** Whether a screen (not only prefetches) has held them since they were opened: which idle time applies. */
  heldByScreen: boolean;
  /** The collections being added or open; undefined while closed. */
  open?: Promise<MessagesDatabase>;
  /** Set once `open` has resolved, until they are closed. */
  opened?: MessagesDatabase;
  /** A close under way: the next open waits for it (RxDB refuses a collection that is still there). */
  closing?: Promise<unknown>;
  idleTimer?: ReturnType<typeof setTimeout>;
}

const messageCollections = new WeakMap<PageDatabase, MessageCollectionsState>();

function messageState(db: PageDatabase): MessageCollectionsState {
  let state = messageCollections.get(db);
  if (!state) messageCollections.set(db, (state = { users: 0, heldByScreen: false }));
  return state;
}

/** The database with its message collections if they are open now (a screen that mounts then has them at once). */
export function openedMessagesDatabase(db: PageDatabase): MessagesDatabase | undefined {
  return messageCollections.get(db)?.opened;
}

/**
 * Opens the message collections (if they are not open) and holds them open until `release`; once nobody holds them
 * for MESSAGE_COLLECTIONS_IDLE_MS they are closed — for PREFETCH_ONLY_IDLE_MS if only prefetches held them since they
 * opened. Each lease must be released once.
 */
export function leaseMessageCollections(db: PageDatabase, holder: 'screen' | 'prefetch' = 'screen'): { ready: Promise<MessagesDatabase>; release(): void } {
  const state = messageState(db);
  state.users++;
  if (holder === 'screen') state.heldByScreen = true;
  clearTimeout(state.idleTimer);
  state.idleTimer = undefined;
  if (!state.open) {
    const open = (state.closing ?? Promise.resolve())
      .then(() => db.addCollections(messageCollectionsWithoutMigration))
      .then(() => db as unknown as MessagesDatabase);
    state.open = open;
    open.then(
      (messagesDb) => {
        if (state.open === open) state.opened = messagesDb;
      },
      () => {
        if (state.open === open) state.open = undefined;
      },
    );
  }
  let released = false;
  return {
    ready: state.open,
    release() {
      if (released) return;
      released = true;
      state.users--;
      if (state.users === 0) state.idleTimer = setTimeout(() => closeIdleMessageCollections(state), state.heldByScreen ? MESSAGE_COLLECTIONS_IDLE_MS : PREFETCH_ONLY_IDLE_MS);
    },
  };
}

function closeIdleMessageCollections(state: MessageCollectionsState): void {
  state.idleTimer = undefined;
  if (state.users > 0 || !state.open) return;
  const open = state.open;
  state.open = undefined;
  state.opened = undefined;
  state.heldByScreen = false;
  const closing = open
    .then((messagesDb) => Promise.all(MESSAGE_COLLECTIONS.map((name) => messagesDb.collections[name]?.close())))
    .catch(() => undefined)
    .finally(() => {
      if (state.closing === closing) state.closing = undefined;
    });
  state.closing = closing;
}
