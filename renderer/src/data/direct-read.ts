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

/** Any query of any collection (hooks.ts and prefetches hold queries of several). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a query of Job is not an RxQuery<unknown> to TypeScript
export type AnyQuery = RxQuery<any, any>;

interface DirectAnswer {
  documents: readonly { readonly primary: string }[];
  at: number;
  /** The collection's change counter before the read was sent: a change after it may be missing from the answer. */
  counter: number;
}

const answers = new WeakMap<object, DirectAnswer>();
const listeners = new WeakMap<object, Set<() => void>>();

/** Reads `query`'s documents from the storage once and keeps them as its direct answer. */
export async function readDirectly<T>(query: RxQuery<T, RxDocument<T>[]>): Promise<RxDocument<T>[]> {
  const collection = query.collection;
  const counter = collection._changeEventBuffer.getCounter();
  const { documents: data } = await collection.storageInstance.query(query.getPreparedQuery());
  const documents = collection._docCache.getCachedRxDocuments(data) as RxDocument<T>[];
  answers.set(query, { documents, at: performance.now(), counter });
  for (const listener of listeners.get(query) ?? []) listener();
  return documents;
}

/**
 * The direct answer of `query` if it is fresh: younger than DIRECT_ANSWER_FRESH_MS, and no change the page heard of
 * since the read was sent touches it (a document it holds, or one that matches its selector now or did before). A
 * visit pointed at is read seconds before its card opens; a reminder sent meanwhile must not show as planned first.
 * Changes to other documents (the engine at work on other visits) leave it fresh.
 */
export function directAnswer(query: AnyQuery): readonly object[] | undefined {
  const answer = answers.get(query);
  if (!answer || performance.now() - answer.at >= DIRECT_ANSWER_FRESH_MS) return undefined;
  return changedSince(query, answer) ? undefined : answer.documents;
}

function changedSince(query: AnyQuery, answer: DirectAnswer): boolean {
  const buffer = query.collection._changeEventBuffer;
  if (buffer.getCounter() === answer.counter) return false;
  const events = buffer.getFrom(answer.counter + 1);
  // More changes since than the collection keeps: whether one touched the answer cannot be told.
  if (events === null) return true;
  const held = new Set(answer.documents.map((doc) => doc.primary));
  return events.some(
    (event) =>
      held.has(event.documentId) ||
      query.doesDocumentDataMatch(event.documentData) ||
      (event.previousDocumentData !== undefined && query.doesDocumentDataMatch(event.previousDocumentData)),
  );
}

/** Calls `listener` whenever a direct answer of `query` comes in; returns what stops it. */
export function onDirectAnswer(query: object, listener: () => void): () => void {
  let set = listeners.get(query);
  if (!set) listeners.set(query, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
