/**
 * The four contenders of the storage benchmark behind one small interface: our node:sqlite RxStorage, RxDB's memory
 * storage, RxDB's Dexie storage over fake-indexeddb, and raw node:sqlite (plain INSERT/SELECT of the same JSON).
 */
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { RxDocumentData, RxStorage, RxStorageInstance } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageNodeSqlite } from '../../electron/host/storage/index.ts';
import { appointmentStorageSchema, openInstance } from '../electron/host/storage/storage-fixtures.ts';
import type { Appointment } from '../electron/host/storage/storage-fixtures.ts';

export type Doc = RxDocumentData<Appointment>;
export type ContenderName = 'ours' | 'memory' | 'dexie' | 'raw';
export const LOCATIONS = 10;
export const PER_LOCATION_DAY = 100;

export type Contender = {
  name: ContenderName;
  insert(docs: Doc[]): Promise<void>;
  dayQuery(locationId: string, day: string): Promise<number>;
  /** Every live document (RxDB's `collection.count()`). */
  countAll(): Promise<number>;
  /** One location's live documents: an index range of [locationId, start] (raw: its expression index). */
  countRange(locationId: string): Promise<number>;
  update(id: string, price: number): Promise<void>;
  /** Closes, opens again from scratch and answers a first day query; undefined when the contender cannot persist. */
  reopenAndQuery?: (locationId: string, day: string) => Promise<number>;
  dispose(): Promise<void>;
};

export function dayOf(n: number): string {
  return new Date(Date.UTC(2023, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Appointment i of a salon chain: LOCATIONS locations, PER_LOCATION_DAY appointments per location and day. */
export function makeDoc(i: number, lwt: number): Doc {
  const locationNo = i % LOCATIONS;
  const slot = Math.floor(i / LOCATIONS) % PER_LOCATION_DAY;
  const day = Math.floor(i / (LOCATIONS * PER_LOCATION_DAY));
  const minutes = 8 * 60 + ((slot * 7) % 600);
  const start = `${dayOf(day)}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:${String(slot % 60).padStart(2, '0')}.000Z`;
  return {
    id: `appt${String(i).padStart(9, '0')}`,
    locationId: `loc${locationNo}`,
    staffId: `staff${locationNo}-${slot % 8}`,
    start,
    status: ['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'no-show'][i % 6]!,
    price: 20 + ((i * 7919) % 18000) / 100,
    note: i % 3 === 0 ? 'first visit, allergic to latex gloves' : '',
    _deleted: false,
    _rev: '1-bench',
    _meta: { lwt },
    _attachments: {},
  };
}

const schema = appointmentStorageSchema();

function dayQueryOf(locationId: string, day: string) {
  const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
  return prepareQuery(
    schema,
    normalizeMangoQuery<Doc>(schema, {
      selector: { locationId, start: { $gte: day, $lt: next }, _deleted: { $eq: false } },
      sort: [{ start: 'asc' }],
    }),
  );
}

const countAllQuery = prepareQuery(schema, normalizeMangoQuery<Doc>(schema, { selector: { _deleted: { $eq: false } } }));
const countRangeQuery = (locationId: string) =>
  prepareQuery(schema, normalizeMangoQuery<Doc>(schema, { selector: { locationId, _deleted: { $eq: false } }, index: ['_deleted', 'locationId', 'start'] }));

async function rxStorageContender(
  name: Exclude<ContenderName, 'raw'>,
  makeStorage: () => RxStorage<unknown, unknown>,
  databaseName: string,
): Promise<Contender> {
  let instance: RxStorageInstance<Appointment, unknown, unknown> = await openInstance(makeStorage(), databaseName);
  const dayQuery = async (locationId: string, day: string) =>
    (await instance.query(dayQueryOf(locationId, day))).documents.length;
  const contender: Contender = {
    name,
    async insert(docs) {
      const result = await instance.bulkWrite(docs.map((document) => ({ document })), 'bench');
      if (result.error.length > 0) throw new Error(`${name}: ${result.error.length} write errors`);
    },
    dayQuery,
    async countAll() {
      return (await instance.count(countAllQuery)).count;
    },
    async countRange(locationId) {
      return (await instance.count(countRangeQuery(locationId))).count;
    },
    async update(id, price) {
      const [previous] = await instance.findDocumentsById([id], false);
      if (!previous) throw new Error(`${name}: ${id} not found`);
      const height = Number.parseInt(previous._rev, 10) + 1;
      const document = { ...previous, price, _rev: `${height}-bench`, _meta: { lwt: previous._meta.lwt + 1 } };
      const result = await instance.bulkWrite([{ previous, document }], 'bench');
      if (result.error.length > 0) throw new Error(`${name}: update conflict`);
    },
    async dispose() {
      await instance.remove();
    },
  };
  if (name !== 'memory') {
    contender.reopenAndQuery = async (locationId, day) => {
      await instance.close();
      instance = await openInstance(makeStorage(), databaseName);
      return dayQuery(locationId, day);
    };
  }
  return contender;
}

export function oursContender(directory: string, databaseName: string): Promise<Contender> {
  return rxStorageContender('ours', () => getRxStorageNodeSqlite({ directory }) as never, databaseName);
}

export function memoryContender(databaseName: string): Promise<Contender> {
  return rxStorageContender('memory', () => getRxStorageMemory() as never, databaseName);
}

export function dexieContender(databaseName: string): Promise<Contender> {
  return rxStorageContender('dexie', () => getRxStorageDexie({ indexedDB, IDBKeyRange }) as never, databaseName);
}

/**
 * The floor: the same JSON in a two-column table, same WAL + synchronous=FULL. For the day query and the range count
 * it gets an expression index on (locationId, start), built after the timed insert so that the insert stays a plain
 * INSERT.
 */
export function rawContender(filePath: string): Contender {
  let db: DatabaseSync;
  let dayStmt: StatementSync;
  let countStmt: StatementSync;
  const open = () => {
    db = new DatabaseSync(filePath);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -16000;');
    db.exec('CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL)');
  };
  const ensureIndex = () => {
    db.exec(
      "CREATE INDEX IF NOT EXISTS docs_day ON docs (json_extract(data, '$.locationId'), json_extract(data, '$.start'))",
    );
    dayStmt = db.prepare(
      "SELECT data FROM docs WHERE json_extract(data, '$.locationId') = ? AND json_extract(data, '$.start') >= ? AND json_extract(data, '$.start') < ? ORDER BY json_extract(data, '$.start')",
    );
    countStmt = db.prepare("SELECT COUNT(*) AS n FROM docs WHERE json_extract(data, '$.locationId') = ?");
  };
  const dayQuery = async (locationId: string, day: string) => {
    if (!dayStmt) ensureIndex();
    const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    const rows = dayStmt.all(locationId, day, next) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Doc).length;
  };
  open();
  return {
    name: 'raw',
    async insert(docs) {
      const stmt = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
      db.exec('BEGIN IMMEDIATE');
      for (const doc of docs) stmt.run(doc.id, JSON.stringify(doc));
      db.exec('COMMIT');
    },
    dayQuery,
    async countAll() {
      return (db.prepare('SELECT COUNT(*) AS n FROM docs').get() as { n: number }).n;
    },
    async countRange(locationId) {
      if (!dayStmt) ensureIndex();
      return (countStmt.get(locationId) as { n: number }).n;
    },
    async update(id, price) {
      const row = db.prepare('SELECT data FROM docs WHERE id = ?').get(id) as { data: string };
      const doc = JSON.parse(row.data) as Doc;
      db.prepare('UPDATE docs SET data = ? WHERE id = ?').run(JSON.stringify({ ...doc, price }), id);
    },
    async reopenAndQuery(locationId, day) {
      db.close();
      open();
      ensureIndex();
      return dayQuery(locationId, day);
    },
    async dispose() {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(filePath + suffix, { force: true });
    },
  };
}
