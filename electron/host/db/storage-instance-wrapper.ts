/**
 * A storage instance that is another one with its own `bulkWrite` (and optionally `remove`): the storage guards of
 * the host (append-only log, forward-only jobs) change what may be written and pass everything else through.
 */
import type { BulkWriteRow, RxStorage, RxStorageBulkWriteResponse, RxStorageInstance, RxStorageInstanceCreationParams } from 'rxdb';
import { collections, type CollectionName } from '../../../shared/domain/collections.ts';

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

/**
 * `storage` whose instances of these collections, at their current schema version, are wrapped by `guard`. Older
 * versions are left alone: RxDB's migration reads and deletes the old copies and must be able to.
 */
export function guardCollections<Internals, Options>(storage: RxStorage<Internals, Options>, names: readonly CollectionName[], guard: (instance: AnyInstance) => AnyInstance): RxStorage<Internals, Options> {
  return {
    name: storage.name,
    rxdbVersion: storage.rxdbVersion,
    async createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, Options>) {
      const instance = await storage.createStorageInstance(params);
      const name = params.collectionName as CollectionName;
      const guarded = names.includes(name) && collections[name]?.schema.version === params.schema.version;
      return (guarded ? guard(instance as unknown as AnyInstance) : instance) as typeof instance;
    },
  };
}
