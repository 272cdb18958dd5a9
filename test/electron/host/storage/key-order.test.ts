/**
 * primaryKeysInRange (storage/key-order.ts): the ids of the documents one index range holds, in primary-key order —
 * what the engine's whole-book plan pages through — and no answer where it cannot give one exactly.
 */
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { MangoQuery, RxDocumentData } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageNodeSqlite, primaryKeysInRange } from '../../../../electron/host/storage/index.ts';
import { appointmentStorageSchema, makeAppointment, openInstance, tempDir, type Appointment } from './storage-fixtures.ts';

const tmp = tempDir('key-order');
afterAll(() => tmp.dispose());

const schema = appointmentStorageSchema();
const prepared = (query: MangoQuery<RxDocumentData<Appointment>>) => prepareQuery(schema, normalizeMangoQuery(schema, query));
/** loc1's appointments from the 10th on, through the [locationId, start] index. */
const fromTenth = prepared({ selector: { _deleted: { $eq: false }, locationId: { $eq: 'loc1' }, start: { $gte: '2025-03-10' } }, index: ['_deleted', 'locationId', 'start', 'id'] });

describe('primaryKeysInRange', () => {
  it('answers the ids of the range in id order, without deleted documents or documents outside it', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'ids');
    try {
      // Ids whose order is not their start order: i 1, 11, 21, … are loc1, on days 2, 12, 22, 4, 14, 24, …
      const docs = Array.from({ length: 60 }, (_, i) => makeAppointment(`a-${String(99 - i).padStart(2, '0')}`, i, 1_700_000_000_000 + i));
      expect((await instance.bulkWrite(docs.map((document) => ({ document })), 'test')).error).toEqual([]);
      const deleted = docs.find((doc) => doc.locationId === 'loc1' && doc.start >= '2025-03-10')!;
      expect((await instance.bulkWrite([{ previous: deleted, document: { ...deleted, _deleted: true, _rev: '2-b' } }], 'test')).error).toEqual([]);
      const expected = docs
        .filter((doc) => doc !== deleted && doc.locationId === 'loc1' && doc.start >= '2025-03-10')
        .map((doc) => doc.id)
        .sort();
      expect(expected.length).toBeGreaterThan(2);
      const ids = await primaryKeysInRange(instance, fromTenth);
      expect(ids).toEqual(expected);
      // What the index order alone would have given: the same documents, in another order.
      const { documents } = await instance.query(fromTenth);
      expect(documents.map((doc) => doc.id)).not.toEqual(expected);
      expect(documents.map((doc) => doc.id).sort()).toEqual(expected);
    } finally {
      await instance.close();
    }
  });

  it('lists a long range in steps with `between` awaited between them, each id once though a write moved it ahead meanwhile', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'steps');
    try {
      const docs = Array.from({ length: 9000 }, (_, i) => makeAppointment(`s-${String(9000 - i).padStart(5, '0')}`, i, 1_700_000_000_000 + i));
      expect((await instance.bulkWrite(docs.map((document) => ({ document })), 'test')).error).toEqual([]);
      const byStart = prepared({ selector: { _deleted: { $eq: false }, start: { $gte: '2025-03-01' } }, index: ['_deleted', 'start', 'id'] });
      const firstInIndex = (await instance.query(byStart)).documents[0]!;
      let steps = 0;
      const ids = await primaryKeysInRange(instance, byStart, async () => {
        // Listed in the first step, then moved to the end of the range: the next steps meet it again.
        if (steps++ === 0) expect((await instance.bulkWrite([{ previous: firstInIndex, document: { ...firstInIndex, start: '2025-03-31T23:00:00.000Z', _rev: '2-b' } }], 'test')).error).toEqual([]);
      });
      expect(steps).toBe(2);
      expect(ids).toEqual(docs.map((doc) => doc.id).sort());
    } finally {
      await instance.close();
    }
  });

  it('gives no answer for a query that is more than one index range, nor for another storage', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'partial');
    const memory = await openInstance(getRxStorageMemory() as never, 'memory');
    try {
      // `note` is in no index: the range alone does not answer the selector.
      const filtered = prepared({ selector: { _deleted: { $eq: false }, locationId: { $eq: 'loc1' }, note: { $eq: 'note 1' } }, index: ['_deleted', 'locationId', 'start', 'id'] });
      expect(await primaryKeysInRange(instance, filtered)).toBeUndefined();
      const several = prepared({ selector: { _deleted: { $eq: false }, locationId: { $in: ['loc1', 'loc2'] } }, index: ['_deleted', 'locationId', 'start', 'id'] });
      expect(await primaryKeysInRange(instance, several)).toBeUndefined();
      expect(await primaryKeysInRange(memory, fromTenth)).toBeUndefined();
    } finally {
      await Promise.all([instance.close(), memory.close()]);
    }
  });
});
