/**
 * React hooks over the renderer's RxDatabase. Queries are live: writes by this window, by the host's notification
 * engine or by another window arrive through the storage's change stream and re-render the component.
 */
import { useEffect, useMemo, useState, type DependencyList } from 'react';
import { flushSync } from 'react-dom';
import type { RxDocument, RxQuery } from 'rxdb';
import type { FrontDeskDocTypes } from '../../../shared/domain/collections.ts';
import { directAnswer, onDirectAnswer, type AnyQuery } from './direct-read.ts';
import { getDatabase, leaseMessageCollections, onDatabaseReopened, openedDatabase, openedMessagesDatabase, type MessagesDatabase, type PageDatabase, type StartCollectionName } from './database.ts';

export type DatabaseState = { status: 'loading' } | { status: 'ready'; db: PageDatabase } | { status: 'failed'; message: string };

let current: DatabaseState = { status: 'loading' };
onDatabaseReopened(() => {
  current = { status: 'loading' };
});

/** The shared database, or why it is not there (yet). */
export function useDatabaseState(): DatabaseState {
  const [state, setState] = useState<DatabaseState>(() => {
    const db = current.status === 'ready' ? current.db : openedDatabase();
    return db ? { status: 'ready', db } : current;
  });
  // A reopened database (the host was started again): load it anew; live queries are rebuilt on it.
  useEffect(() => onDatabaseReopened(() => setState({ status: 'loading' })), []);
  useEffect(() => {
    let live = true;
    if (state.status !== 'ready') {
      getDatabase()
        .then((db) => {
          current = { status: 'ready', db };
          if (live) setState(current);
        })
        .catch((error: unknown) => {
          if (live) setState({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        });
    }
    return () => {
      live = false;
    };
  }, [state.status]);
  return state;
}

/** The database once open; undefined while it opens (the caller shows a loader). */
export function useDatabase(): PageDatabase | undefined {
  const state = useDatabaseState();
  return state.status === 'ready' ? state.db : undefined;
}

export interface LiveResult<T> {
  docs: T[];
  loading: boolean;
  /**
   * The docs answer the current query. False between a change of the query and its first result: `docs` are then
   * still the previous query's (kept on screen on purpose, e.g. while switching days), and `loading` is true.
   */
  fresh: boolean;
  error?: string;
}

interface Emitted<T> {
  query: AnyQuery | undefined;
  docs: T[];
  error?: string;
}

const NO_DOCS: never[] = [];

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

/**
 * Live query: `make` builds the query from the database (or returns undefined to skip); `deps` say when to rebuild
 * it (lint checks them at every call site: `additionalHooks` in eslint.config.js). Returns plain documents
 * (RxDocument.toJSON()), the same object for an unchanged document, and tells whether they answer the current query.
 */
export interface LiveQueryOptions {
  /**
   * Render an answer in the task that brought it from the host. Otherwise React schedules that render as a task of
   * its own, and when a frame is due first the answer shows a frame later: worth it for what a person waits to see
   * right after a click (a visit card's messages), not for queries that arrive in bursts.
   */
  renderAtOnce?: boolean;
}

type MakeQuery<D, T> = (db: D) => RxQuery<T, unknown> | RxQuery<T, unknown[]> | undefined;

export function useRxQuery<T>(make: MakeQuery<PageDatabase, T>, deps: DependencyList, options: LiveQueryOptions = {}): LiveResult<T> {
  return useLiveQuery(useDatabase(), make, deps, options);
}

/**
 * The database with the message collections (jobs, delivery_log) open, held open while the component is mounted;
 * undefined while they open. They are opened only for the screens that show messages (database.ts MESSAGE_COLLECTIONS).
 */
export function useMessagesDatabase(): MessagesDatabase | undefined {
  const db = useDatabase();
  const [ready, setReady] = useState<{ db: PageDatabase; messagesDb: MessagesDatabase } | undefined>(undefined);
  useEffect(() => {
    if (!db) return;
    let live = true;
    const lease = leaseMessageCollections(db);
    lease.ready.then(
      (messagesDb) => {
        if (live) setReady({ db, messagesDb });
      },
      () => undefined,
    );
    return () => {
      live = false;
      lease.release();
    };
  }, [db]);
  if (!db) return undefined;
  // Open already (a card opened after another, or after its prefetch): in the first render, without waiting for a lease.
  return ready?.db === db ? ready.messagesDb : openedMessagesDatabase(db);
}

/** useRxQuery for the message collections (jobs, delivery_log): loading until they are open. */
export function useMessagesQuery<T>(make: MakeQuery<MessagesDatabase, T>, deps: DependencyList, options: LiveQueryOptions = {}): LiveResult<T> {
  const db = useMessagesDatabase();
  // The collections are new objects each time they are opened again: their queries are built anew on them.
  return useLiveQuery(db, make, [db?.jobs, db?.delivery_log, ...deps], options);
}

function useLiveQuery<D, T>(db: D | undefined, make: MakeQuery<D, T>, deps: DependencyList, options: LiveQueryOptions): LiveResult<T> {
  const renderAtOnce = options.renderAtOnce === true;
  // The query is rebuilt when the database or the caller's deps change (the deps stand for `make`, whose closure is
  // new every render). Kept in state and replaced during render: React's pattern for a value of the previous render.
  const [built, setBuilt] = useState<{ db: D | undefined; deps: DependencyList; query: AnyQuery | undefined } | undefined>(undefined);
  let query = built?.query;
  if (!built || built.db !== db || !sameDeps(built.deps, deps)) {
    query = db ? (make(db) as AnyQuery | undefined) : undefined;
    setBuilt({ db, deps, query });
  }
  const [emitted, setEmitted] = useState<Emitted<T>>({ query: undefined, docs: NO_DOCS });
  // What RxDB already holds for a new query is derived, not stored: set in state during render, it was lost whenever
  // React rebased the state on an older one (an update of a lower priority pending), and the subscription's first
  // answer, the same documents, then landed on the previous query's state and rendered the whole day again within the
  // day switch (every other switch in bench:ui).
  const held = useMemo(() => (query ? heldResult<T>(query) : undefined), [query]);
  useEffect(() => {
    if (!query) return;
    // A result RxDB replays to a new subscriber arrives inside subscribe(), in this effect, where React cannot flush.
    let subscribing = true;
    const subscription = query.$.subscribe({
      next(value: unknown) {
        const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : [value];
        const docs = list.map((doc) => toPlain<T>(doc as RxDocument<T>));
        // The first answer repeats what heldResult showed: no second render for it.
        const show = () =>
          setEmitted((shown) => {
            const onScreen: Emitted<T> | undefined = shown.query === query ? shown : held ? { query, docs: held } : undefined;
            return onScreen && onScreen.error === undefined && sameItems(onScreen.docs, docs) ? shown : { query, docs };
          });
        if (renderAtOnce && !subscribing) flushSync(show);
        else show();
      },
      error(error: unknown) {
        setEmitted({ query, docs: NO_DOCS, error: error instanceof Error ? error.message : String(error) });
      },
    });
    subscribing = false;
    // A direct read's answer (direct-read.ts) that comes before the live query's first one is shown meanwhile.
    const stopDirect = onDirectAnswer(query, () => {
      const direct = directAnswer(query);
      if (!direct) return;
      const docs = direct.map((doc) => toPlain<T>(doc as RxDocument<T>));
      const show = () => setEmitted((shown) => (shown.query === query || held ? shown : { query, docs }));
      if (renderAtOnce) flushSync(show);
      else show();
    });
    return () => {
      subscription.unsubscribe();
      stopDirect();
    };
  }, [query, held, renderAtOnce]);
  if (!db) return { docs: NO_DOCS, loading: true, fresh: false };
  if (!query) return { docs: NO_DOCS, loading: false, fresh: true };
  if (emitted.query === query) return { docs: emitted.docs, loading: false, fresh: true, ...(emitted.error !== undefined ? { error: emitted.error } : {}) };
  if (held) return { docs: held, loading: false, fresh: true };
  return { docs: emitted.docs, loading: true, fresh: false };
}

/**
 * What RxDB already holds for a query, as of the last change it has seen: the result of the same query run before
 * (RxDB hands out one query object per selector, so a screen's query is the one its prefetch or another screen ran),
 * or, for one document by id, the document RxDB keeps (its own findOne reads it from there without asking the
 * storage). Shown at once, in the render that built the query: the subscription's first answer comes only after a
 * few promise turns and a scheduled render, and a card opened over the calendar waited for three of them in a row
 * (the location, the visit, then its client) although every one was already here. The subscription still runs and
 * replaces this with anything newer. Else a direct read's fresh answer for the same query (direct-read.ts), for the same
 * reason.
 */
function heldResult<T>(query: AnyQuery): T[] | undefined {
  const collection = query.collection;
  if (query._result && query._latestChangeEvent >= collection._changeEventBuffer.getCounter() && query.op !== 'count') {
    return query._result.documents.map((doc) => toPlain<T>(doc as RxDocument<T>));
  }
  const direct = directAnswer(query);
  if (direct) return direct.map((doc) => toPlain<T>(doc as RxDocument<T>));
  const id = query.isFindOneByIdQuery;
  if (query.op === 'findOne' && typeof id === 'string' && Object.keys(query.mangoQuery.selector ?? {}).length === 1) {
    const data = collection._docCache.getLatestDocumentDataIfExists(id);
    if (data && !data._deleted) return [toPlain<T>(collection._docCache.getCachedRxDocument(data) as RxDocument<T>)];
  }
  return undefined;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

const plainCache = new WeakMap<object, unknown>();
const revisions = new WeakMap<object, string>();

function toPlain<T>(doc: RxDocument<T>): T {
  let plain = plainCache.get(doc);
  if (plain === undefined) {
    plain = doc.toJSON() as T;
    plainCache.set(doc, plain);
    revisions.set(plain as object, doc.revision);
  }
  return plain as T;
}

/**
 * The database revision of a document a live query answered: what an edit command sends as `expectedRevision`, so
 * the host refuses it if the document changed since the desk saw it.
 */
export function revisionOf(doc: object): string {
  const revision = revisions.get(doc);
  if (revision === undefined) throw new Error('revisionOf: not a document from a live query');
  return revision;
}

/** RxDB revisions are "<height>-<hash>": each write of a document raises its height. */
export function revisionHeight(revision: string): number {
  return Number.parseInt(revision, 10);
}

/**
 * An edit is done when the form shows it. The host answers on the API socket and the document's new version comes on
 * the storage socket, sometimes later; until `doc` (from a live query) shows at least the revision the answer named,
 * `waiting` is true and the form stays busy. Done at the answer, the form still held the old revision, and an edit
 * sent meanwhile carried it and was refused as changed at another desk.
 */
export function useAwaitedRevision(doc: object | undefined): { waiting: boolean; awaitRevision(revision: string): void } {
  const [awaited, setAwaited] = useState<string | undefined>();
  const waiting = awaited !== undefined && doc !== undefined && revisionHeight(revisionOf(doc)) < revisionHeight(awaited);
  return { waiting, awaitRevision: setAwaited };
}

/**
 * The last `live` value that was `ready`, and `empty` until the first: a screen whose parts arrive separately (log
 * entries from the host, their clients' names from the storage) shows them together, in one render, instead of a pass
 * with one part missing. `live` must keep its identity while unchanged (memoised).
 */
export function useShownWhenReady<T>(live: T, ready: boolean, empty: T): T {
  const [shown, setShown] = useState<T>(ready ? live : empty);
  if (ready && shown !== live) setShown(live);
  return ready ? live : shown;
}

/** One document by primary key, live; undefined while loading or when it does not exist. */
export function useRxDocument<K extends StartCollectionName>(collection: K, id: string | undefined): { doc: FrontDeskDocTypes[K] | undefined; loading: boolean } {
  const result = useRxQuery<FrontDeskDocTypes[K]>(
    (db) => (id ? (db.collections[collection] as unknown as { findOne(id: string): RxQuery<FrontDeskDocTypes[K], unknown> }).findOne(id) : undefined),
    [collection, id],
  );
  return { doc: result.docs[0], loading: result.loading };
}
