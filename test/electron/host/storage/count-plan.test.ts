/**
 * `collection.count()` counts a whole table minus its deleted rows. SQLite counts a table on the B-tree it estimates
 * smallest from the declared column types; that must be the primary key's index (the ids alone), not a key index,
 * whose entries are several times larger and at a million documents outgrow the page cache (shared-file.ts).
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { RxDocumentData } from 'rxdb';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { appointmentStorageSchema, makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';
import type { Appointment } from './storage-fixtures.ts';

const tmp = tempDir('count-plan');
afterAll(() => tmp.dispose());

describe('counting every live document', () => {
  it('reads the primary key index and leaves out deleted documents', async () => {
    const storage = getRxStorageNodeSqlite({ directory: tmp.dir });
    const instance = await openInstance(storage as never, 'counts');
    const docs = Array.from({ length: 30 }, (_, i) => makeAppointment(`a${i}`, i, 1_000 + i));
    await instance.bulkWrite(docs.map((document) => ({ document })), 'test');
    const previous = docs[3]!;
    await instance.bulkWrite([{ previous, document: { ...previous, _deleted: true, _rev: '2-b', _meta: { lwt: 5_000 } } }], 'test');
    const schema = appointmentStorageSchema();
    const everyLive = prepareQuery(schema, normalizeMangoQuery<RxDocumentData<Appointment>>(schema, { selector: { _deleted: { $eq: false } } }));
    expect((await instance.count(everyLive)).count).toBe(29);

    const db = new DatabaseSync(path.join(tmp.dir, 'counts.sqlite'), { readOnly: true });
    try {
      const { tbl } = db.prepare('SELECT tbl FROM rx_collections').get() as { tbl: string };
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM "${tbl}"`).all() as { detail: string }[]).map((row) => row.detail);
      expect(plan).toEqual([`SCAN ${tbl} USING COVERING INDEX sqlite_autoindex_${tbl}_1`]);
    } finally {
      db.close();
    }
    await instance.close();
  });
});
