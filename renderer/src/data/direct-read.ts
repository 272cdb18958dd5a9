/**
 * RxDB runs a query again, 20 ms later, whenever a change of its collection came in while the query was out, and
 * again each time that happens (RxQueryBase._execOverDatabase, rxdb#7067). While the engine works through due messages
 * it writes jobs and log entries several times a second, so nearly every query of a visit's messages met one: a card
 * waited 20 ms or more per query, twice in a row (the jobs, then their log), for answers the page already had.
 *
 * A direct read takes the storage's answer as it comes, once, and keeps it for the live query of the same selector
 * (RxDB hands out one query object per selector): the live query shows it at once (hooks.ts heldResult) and still
 * runs, bringing anything the answer missed a moment later.
 */
import type { RxDocument, RxQuery } from 'rxdb';

/** How long a direct answer is shown as a first result: beyond that the live query's own answer is awaited. */
export const DIRECT_ANSWER_FRESH_MS = 5_000;

interface DirectAnswer {
  documents: readonly object[];
  at: number;
}

const answers = new WeakMap<object, DirectAnswer>();
const listeners = new WeakMap<object, Set<() => void>>();

/** Reads `query`'s documents from the storage once and keeps them as its direct answer. */
export async function readDirectly<T>(query: RxQuery<T, RxDocument<T>[]>): Promise<RxDocument<T>[]> {
  const collection = query.collection;
  const { documents: data } = await collection.storageInstance.query(query.getPreparedQuery());
  const documents = collection._docCache.getCachedRxDocuments(data) as RxDocument<T>[];
  answers.set(query, { documents, at: performance.now() });
  for (const listener of listeners.get(query) ?? []) listener();
  return documents;
}

/** The direct answer of `query` if it is fresh (DIRECT_ANSWER_FRESH_MS). */
export function directAnswer(query: object): readonly object[] | undefined {
  const answer = answers.get(query);
  return answer && performance.now() - answer.at < DIRECT_ANSWER_FRESH_MS ? answer.documents : undefined;
}

/** Calls `listener` whenever a direct answer of `query` comes in; returns what stops it. */
export function onDirectAnswer(query: object, listener: () => void): () => void {
  let set = listeners.get(query);
  if (!set) listeners.set(query, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
