/**
 * A bulk write of inserts alone is tried without reading the stored documents first (writeInTransaction): when a
 * row exists after all, it must end exactly as the careful write does — a 409 carrying the stored document for that
 * row, every other row written, change events for the written rows only.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { createRxDatabase } from 'rxdb';
import type { RxCollection, RxDatabase, RxDocumentData, RxJsonSchema, RxStorageWriteErrorConflict } from 'rxdb';
import { getRxStorageNodeSqlite, writeTogether } from '../../../../electron/host/storage/index.ts';
import { appointmentSchemaLiteral, tempDir } from './storage-fixtures.ts';
import type { Appointment } from './storage-fixtures.ts';

type Db = RxDatabase<{ appointments: RxCollection<Appointment> }>;

const tmp = tempDir('insert-only');
const opened: Db[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(() => tmp.dispose());

let counter = 0;
async function open(): Promise<Db> {
  const db = await createRxDatabase<{ appointments: RxCollection<Appointment> }>({ name: `insert-only-${counter++}`, storage: getRxStorageNodeSqlite({ directory: tmp.dir }), multiInstance: false });
  opened.push(db);
  await db.addCollections({ appointments: { schema: appointmentSchemaLiteral as unknown as RxJsonSchema<Appointment> } });
  return db;
}

function row(id: string, note = ''): { document: RxDocumentData<Appointment> } {
  return { document: { id, locationId: 'loc1', staffId: 's1', start: '2025-03-01T09:00', status: 'booked', price: 45, note, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } };
}

it('answers a conflict for a row that exists and writes the others, with change events for them alone', async () => {
  const db = await open();
  const instance = db.appointments.storageInstance;
  await instance.bulkWrite([row('a2', 'stored')], 'test');
  const events: string[] = [];
  const subscription = instance.changeStream().subscribe((bulk) => events.push(...bulk.events.map((event) => `${event.operation} ${event.documentId}`)));

  const result = await instance.bulkWrite([row('a1'), row('a2', 'again'), row('a3')], 'test');

  subscription.unsubscribe();
  expect(result.error.map((error) => [error.documentId, error.status])).toEqual([['a2', 409]]);
  expect((result.error[0] as RxStorageWriteErrorConflict<Appointment>).documentInDb.note).toBe('stored');
  const stored = await instance.findDocumentsById(['a1', 'a2', 'a3'], false);
  expect(stored.map((doc) => [doc.id, doc.note]).sort()).toEqual([['a1', ''], ['a2', 'stored'], ['a3', '']]);
  expect(events.sort()).toEqual(['INSERT a1', 'INSERT a3']);
});

it('writes one id twice in one batch as the careful write does: the last row stays', async () => {
  const db = await open();
  const instance = db.appointments.storageInstance;
  const result = await instance.bulkWrite([row('b1', 'first'), row('b1', 'second'), row('b2')], 'test');
  expect(result.error).toEqual([]);
  const stored = await instance.findDocumentsById(['b1', 'b2'], false);
  expect(stored.map((doc) => [doc.id, doc.note]).sort()).toEqual([['b1', 'second'], ['b2', '']]);
  expect(await db.appointments.count().exec()).toBe(2);
});

it('in a write group, gives way for its own rows alone: the group’s earlier writes stay and commit', async () => {
  const db = await open();
  const instance = db.appointments.storageInstance;
  await instance.bulkWrite([row('c2', 'stored')], 'test');
  const result = await writeTogether(instance, async () => {
    await instance.bulkWrite([row('c1')], 'test');
    return instance.bulkWrite([row('c2', 'again'), row('c3')], 'test');
  });
  expect(result.error.map((error) => [error.documentId, error.status])).toEqual([['c2', 409]]);
  const stored = await instance.findDocumentsById(['c1', 'c2', 'c3'], false);
  expect(stored.map((doc) => [doc.id, doc.note]).sort()).toEqual([['c1', ''], ['c2', 'stored'], ['c3', '']]);
});
