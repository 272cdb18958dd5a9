/**
 * The delivery log is append-only in code, not by convention: this storage wrapper lets entries be inserted and read,
 * and refuses every write that would change or delete an existing one (any bulkWrite row with a `previous` state),
 * as well as removing the collection. It wraps the host's storage, so the engine, the API and the renderers' storage
 * channel all meet it. Older schema versions are left alone: RxDB's migration deletes the old copies after moving
 * them to the new version, and must be able to.
 */
import type { BulkWriteRow, RxDocumentData, RxStorage, RxStorageWriteErrorValidation } from 'rxdb';
import type { CollectionName } from '../../../shared/domain/collections.ts';
import { guardCollections, withBulkWrite, type AnyInstance } from './storage-instance-wrapper.ts';

export const APPEND_ONLY_COLLECTIONS: readonly CollectionName[] = ['delivery_log'];

export const APPEND_ONLY_REFUSAL = 'the delivery log is append-only: an entry, once written, is never changed or deleted';

function refusal(row: BulkWriteRow<unknown>, context: string, schema: AnyInstance['schema'], primaryPath: string): RxStorageWriteErrorValidation<unknown> {
  return {
    status: 422,
    isError: true,
    documentId: String((row.document as Record<string, unknown>)[primaryPath]),
    writeRow: row,
    context,
    validationErrors: [{ message: APPEND_ONLY_REFUSAL, keyword: 'appendOnly', instancePath: '' } as never],
    schema,
  };
}

function appendOnlyInstance(instance: AnyInstance): AnyInstance {
  const primaryPath = String(typeof instance.schema.primaryKey === 'string' ? instance.schema.primaryKey : instance.schema.primaryKey.key);
  return withBulkWrite(
    instance,
    async (rows, context) => {
      // One pass: a planning run appends thousands of entries at once, and looking each row up in the allowed ones was
      // quadratic (5,000 rows: 12.5 million comparisons).
      const allowed: BulkWriteRow<unknown>[] = [];
      const refused: RxStorageWriteErrorValidation<unknown>[] = [];
      for (const row of rows) {
        if (row.previous === undefined && !(row.document as RxDocumentData<unknown>)._deleted) allowed.push(row);
        else refused.push(refusal(row, context, instance.schema, primaryPath));
      }
      const result = allowed.length > 0 ? await instance.bulkWrite(allowed, context) : { error: [] };
      return { error: [...result.error, ...refused] };
    },
    () => Promise.reject(new Error(`Refused to remove ${instance.collectionName}: ${APPEND_ONLY_REFUSAL}.`)),
  );
}

/** `storage` with the delivery log (current schema version) made append-only. */
export function appendOnlyLogStorage<Internals, Options>(storage: RxStorage<Internals, Options>): RxStorage<Internals, Options> {
  return guardCollections(storage, APPEND_ONLY_COLLECTIONS, appendOnlyInstance);
}
