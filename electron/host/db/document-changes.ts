/**
 * Every document written to a collection, one event each (insert, update, delete), from RxDB's bulk stream.
 *
 * Use this instead of `collection.$`: in RxDB 17.6 `collection.$` (and `database.$`) turn each event bulk into change
 * events through a module-level Map that is never emptied (EVENT_BULK_CACHE in rx-change-event.js), so while anything
 * subscribes to `$`, every document ever written to that collection stays in memory — a cold plan's 200,000 jobs, a
 * day's delivery log. The bulks themselves carry the same events (document id, data, previous data, operation).
 */
import { mergeMap, type Observable } from 'rxjs';
import type { RxCollection, RxDocumentData, RxStorageChangeEvent } from 'rxdb';

export type DocumentChange<T> = RxStorageChangeEvent<RxDocumentData<T>>;

export function documentChanges<T>(collection: RxCollection<T>): Observable<DocumentChange<T>> {
  return collection.eventBulks$.pipe(mergeMap((bulk) => bulk.events as DocumentChange<T>[]));
}
