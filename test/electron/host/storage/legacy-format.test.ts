/**
 * A data file written before compact index keys (key format 1, by the build at a821b1f) opens, answers queries as
 * RxDB's memory storage does over the same documents, takes new writes in its own format, and survives a reopen;
 * a collection created in the same file afterwards gets compact keys.
 */
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { MangoQuery, RxDocumentData, RxStorageInstance } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { LEGACY_COLLECTION, LEGACY_DATABASE, legacyDocuments } from './fixtures/legacy-documents.ts';
import { appointmentStorageSchema, makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';
import type { Appointment } from './storage-fixtures.ts';

type Doc = RxDocumentData<Appointment>;
type Instance = RxStorageInstance<Appointment, unknown, unknown>;

const schema = appointmentStorageSchema();
const tmp = tempDir('legacy');
afterAll(() => tmp.dispose());

const QUERIES: MangoQuery<Doc>[] = [
  { selector: { _deleted: { $eq: false } } },
  { selector: { _deleted: { $eq: false }, locationId: 'loc1' }, sort: [{ start: 'asc' }] },
  { selector: { _deleted: { $eq: false }, start: { $gte: '2025-03-02', $lt: '2025-03-03' } }, sort: [{ start: 'asc' }] },
  { selector: { _deleted: { $eq: false }, staffId: { $in: ['s1', 's3'] } }, sort: [{ staffId: 'asc' }, { status: 'asc' }, { start: 'asc' }] },
  { selector: { _deleted: { $eq: false }, price: { $gt: 100, $lte: 400 } }, sort: [{ price: 'asc' }], limit: 7, skip: 2 },
  { selector: { locationId: { $gt: 'loc1' } }, sort: [{ locationId: 'asc' }, { start: 'asc' }] },
];

async function sameAnswers(ours: Instance, reference: Instance): Promise<void> {
  for (const mango of QUERIES) {
    const query = prepareQuery(schema, normalizeMangoQuery<Doc>(schema, mango));
    expect((await ours.query(query)).documents, JSON.stringify(mango)).toEqual((await reference.query(query)).documents);
    expect(await ours.count(query), JSON.stringify(mango)).toEqual(await reference.count(query));
  }
}

function keyFormats(file: string): Record<string, string> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare('SELECT name, indexes FROM rx_collections').all() as { name: string; indexes: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.indexes.startsWith('[') ? 'format 1' : r.indexes.slice(0, 14)]));
  } finally {
    db.close();
  }
}

describe('a data file written before compact index keys', () => {
  it('opens, answers like the reference, takes writes and keeps its format across a reopen', async () => {
    const file = path.join(tmp.dir, `${LEGACY_DATABASE}.sqlite`);
    copyFileSync(fileURLToPath(new URL('./fixtures/legacy-v1.sqlite', import.meta.url)), file);
    const storage = getRxStorageNodeSqlite({ directory: tmp.dir });
    const reference = await openInstance(getRxStorageMemory() as never, 'legacy-reference', LEGACY_COLLECTION);
    await reference.bulkWrite(legacyDocuments().map((document) => ({ document })), 'reference');

    let ours = await openInstance(storage as never, LEGACY_DATABASE, LEGACY_COLLECTION);
    expect((await ours.findDocumentsById(['legacy001', 'legacy000'], true)).map((d) => d.id)).toEqual(['legacy001', 'legacy000']);
    await sameAnswers(ours, reference);

    const added = Array.from({ length: 30 }, (_, i) => makeAppointment(`new${i}`, i, 1_800_000_000_000 + i));
    const previous = (await reference.findDocumentsById(['legacy001'], false))[0]!;
    const moved: Doc = { ...previous, locationId: 'loc1', start: '2025-03-02T09:30', _rev: '2-moved', _meta: { lwt: 1_800_000_001_000 } };
    const rows = [...added.map((document) => ({ document })), { previous, document: moved }];
    expect((await ours.bulkWrite(structuredClone(rows), 'test')).error).toEqual([]);
    await reference.bulkWrite(structuredClone(rows), 'test');
    await sameAnswers(ours, reference);

    await ours.close();
    ours = await openInstance(storage as never, LEGACY_DATABASE, LEGACY_COLLECTION);
    await sameAnswers(ours, reference);
    const other = await openInstance(storage as never, LEGACY_DATABASE, 'newer');
    await other.close();
    await ours.close();
    await reference.close();
    expect(keyFormats(file)).toEqual({ appointments: 'format 1', newer: '{"keyFormat":2' });
  });
});
