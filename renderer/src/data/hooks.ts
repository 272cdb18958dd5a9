/**
 * React hooks over the renderer's RxDatabase. Queries are live: writes by this window, by the host's notification
 * engine or by another window arrive through the storage's change stream and re-render the component.
 */
import { useEffect, useState } from 'react';
import type { RxDocument, RxQuery } from 'rxdb';
import type { CollectionName, FrontDeskDocTypes } from '../../../shared/domain/collections.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { getDatabase } from './database.ts';

export type DatabaseState = { status: 'loading' } | { status: 'ready'; db: FrontDeskDatabase } | { status: 'failed'; message: string };

let current: DatabaseState = { status: 'loading' };

/** The shared database, or why it is not there (yet). */
export function useDatabaseState(): DatabaseState {
  const [state, setState] = useState<DatabaseState>(current);
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
export function useDatabase(): FrontDeskDatabase | undefined {
  const state = useDatabaseState();
  return state.status === 'ready' ? state.db : undefined;
}

export interface LiveResult<T> {
  docs: T[];
  loading: boolean;
  error?: string;
}

type AnyQuery = RxQuery<unknown, unknown>;

/**
 * Live query: `make` builds the query from the database (or returns undefined to skip); `deps` say when to rebuild
 * it. Returns plain documents (RxDocument.toJSON()), which are stable between emissions of unchanged documents.
 */
export function useRxQuery<T>(make: (db: FrontDeskDatabase) => RxQuery<T, unknown> | RxQuery<T, unknown[]> | undefined, deps: readonly unknown[]): LiveResult<T> {
  const db = useDatabase();
  const [result, setResult] = useState<LiveResult<T>>({ docs: [], loading: true });
  useEffect(() => {
    if (!db) return;
    const query = make(db) as AnyQuery | undefined;
    if (!query) {
      setResult({ docs: [], loading: false });
      return;
    }
    setResult((previous) => ({ ...previous, loading: true }));
    const subscription = query.$.subscribe({
      next(value: unknown) {
        const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : [value];
        setResult({ docs: list.map((doc) => toPlain<T>(doc as RxDocument<T>)), loading: false });
      },
      error(error: unknown) {
        setResult({ docs: [], loading: false, error: error instanceof Error ? error.message : String(error) });
      },
    });
    return () => subscription.unsubscribe();
  }, [db, ...deps]);
  return result;
}

const plainCache = new WeakMap<object, unknown>();

function toPlain<T>(doc: RxDocument<T>): T {
  let plain = plainCache.get(doc);
  if (plain === undefined) {
    plain = doc.toJSON() as T;
    plainCache.set(doc, plain);
  }
  return plain as T;
}

/** One document by primary key, live; undefined while loading or when it does not exist. */
export function useRxDocument<K extends CollectionName>(collection: K, id: string | undefined): { doc: FrontDeskDocTypes[K] | undefined; loading: boolean } {
  const result = useRxQuery<FrontDeskDocTypes[K]>(
    (db) => (id ? (db.collections[collection] as unknown as { findOne(id: string): RxQuery<FrontDeskDocTypes[K], unknown> }).findOne(id) : undefined),
    [collection, id],
  );
  return { doc: result.docs[0], loading: result.loading };
}
