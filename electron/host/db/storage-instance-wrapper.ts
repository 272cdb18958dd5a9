/**
 * A storage instance that is another one with its own `bulkWrite` (and optionally `remove`): the storage guards of
 * the host (append-only log, forward-only jobs) change what may be written and pass everything else through.
 */
import type { BulkWriteRow, RxStorageBulkWriteResponse, RxStorageInstance } from 'rxdb';

export type AnyInstance = RxStorageInstance<unknown, unknown, unknown>;

export function withBulkWrite(
  instance: AnyInstance,
  bulkWrite: (rows: BulkWriteRow<unknown>[], context: string) => Promise<RxStorageBulkWriteResponse<unknown>>,
  remove: () => Promise<void> = () => instance.remove(),
): AnyInstance {
  const wrapped: AnyInstance = {
    databaseName: instance.databaseName,
    collectionName: instance.collectionName,
    schema: instance.schema,
    internals: instance.internals,
    options: instance.options,
    ...(instance.underlyingPersistentStorage ? { underlyingPersistentStorage: instance.underlyingPersistentStorage } : {}),
    bulkWrite,
    findDocumentsById: (ids, withDeleted) => instance.findDocumentsById(ids, withDeleted),
    query: (preparedQuery) => instance.query(preparedQuery),
    count: (preparedQuery) => instance.count(preparedQuery),
    getAttachmentData: (documentId, attachmentId, digest) => instance.getAttachmentData(documentId, attachmentId, digest),
    changeStream: () => instance.changeStream(),
    cleanup: (minimumDeletedTime) => instance.cleanup(minimumDeletedTime),
    close: () => instance.close(),
    remove,
  };
  if (instance.getChangedDocumentsSince) {
    const changedSince = instance.getChangedDocumentsSince.bind(instance);
    wrapped.getChangedDocumentsSince = (limit, checkpoint) => changedSince(limit, checkpoint);
  }
  return wrapped;
}
