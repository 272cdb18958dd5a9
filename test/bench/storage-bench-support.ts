/**
 * The four contenders of the storage benchmark behind one small interface: our node:sqlite RxStorage, RxDB's memory
 * storage, RxDB's Dexie storage over fake-indexeddb, and raw node:sqlite (the same rows and indexes by hand, RAW_BASELINE).
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
  /** Raw only, for reference: COUNT(*) of the whole table, deleted rows included (no index range at all). */
  countTable?: () => Promise<number>;
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
// Planned once per location, as an RxQuery keeps its plan and raw keeps its prepared statement: the count lines time
// the storage's count, not RxDB's query planner.
const countRangeQueries = new Map<string, ReturnType<typeof prepareQuery<Doc>>>();
const countRangeQuery = (locationId: string) => {
  let prepared = countRangeQueries.get(locationId);
  if (!prepared) {
    prepared = prepareQuery(schema, normalizeMangoQuery<Doc>(schema, { selector: { locationId, _deleted: { $eq: false } }, index: ['_deleted', 'locationId', 'start'] }));
    countRangeQueries.set(locationId, prepared);
  }
  return prepared;
};

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

/** What the raw baseline does, printed beside every ratio so that nobody has to read this file to judge it. */
export const RAW_BASELINE =
  'node:sqlite by hand: the same JSON rows, the indexed fields as plain columns with the same indexes as the normalized schema (each prefixed by deleted, ending in id, plus (lwt, id)), WAL, synchronous=FULL, the same 32 MiB cache and the same 10,000-document transactions; counts are COUNT(*) with WHERE over the same index range';
/** The older, lighter floor kept for reference: only the JSON in an (id, data) table, no secondary index. */
export const RAW_JSON_ONLY_BASELINE = 'node:sqlite (id, data) table, no secondary index, same WAL, synchronous=FULL, cache and transactions';

/** Our storage's default page cache (index.ts); the raw baseline gets the same. */
const CACHE_KIB = 32768;
/** The raw table's column for each schema field that an index names. */
const RAW_COLUMNS: Record<string, string> = {
  _deleted: 'deleted',
  '_meta.lwt': 'lwt',
  id: 'id',
  start: 'start',
  price: 'price',
  locationId: 'locationId',
  staffId: 'staffId',
  status: 'status',
};

function rawIndexes(): string[] {
  return (schema.indexes ?? []).map((index, n) => {
    const fields = typeof index === 'string' ? [index] : [...index];
    const columns = fields.map((field) => {
      const column = RAW_COLUMNS[field];
      if (!column) throw new Error(`raw baseline: no column for index field ${field}`);
      return column;
    });
    return `CREATE INDEX IF NOT EXISTS docs_i${n} ON docs (${columns.join(', ')})`;
  });
}

/**
 * The floor a hand-written node:sqlite app would reach for the same collection: the JSON, plus the indexed fields as
 * columns under the same indexes as the normalized RxDB schema (see RAW_BASELINE). `jsonOnly` keeps the older floor
 * (id and JSON only), which the benchmark times for inserts only, for reference.
 */
export function rawContender(filePath: string, jsonOnly = false): Contender {
  let db: DatabaseSync;
  let insertStmt: StatementSync;
  let dayStmt: StatementSync;
  let countAllStmt: StatementSync;
  let countStmt: StatementSync;
  const open = () => {
    db = new DatabaseSync(filePath);
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -${CACHE_KIB}; PRAGMA temp_store = MEMORY;`);
    if (jsonOnly) {
      db.exec('CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL)');
      insertStmt = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
      return;
    }
    db.exec(`CREATE TABLE IF NOT EXISTS docs (
      id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL,
      start TEXT NOT NULL, price REAL NOT NULL, locationId TEXT NOT NULL, staffId TEXT NOT NULL, status TEXT NOT NULL
    )`);
    for (const sql of rawIndexes()) db.exec(sql);
    insertStmt = db.prepare(
      'INSERT INTO docs (id, data, deleted, lwt, start, price, locationId, staffId, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    dayStmt = db.prepare(
      'SELECT data FROM docs WHERE deleted = 0 AND locationId = ? AND start >= ? AND start < ? ORDER BY start, id',
    );
    countAllStmt = db.prepare('SELECT COUNT(*) AS n FROM docs WHERE deleted = 0');
    countStmt = db.prepare('SELECT COUNT(*) AS n FROM docs WHERE deleted = 0 AND locationId = ?');
  };
  const dayQuery = async (locationId: string, day: string) => {
    const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
    const rows = dayStmt.all(locationId, day, next) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as Doc).length;
  };
  open();
  return {
    name: 'raw',
    async insert(docs) {
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const doc of docs) {
          if (jsonOnly) insertStmt.run(doc.id, JSON.stringify(doc));
          else insertStmt.run(doc.id, JSON.stringify(doc), doc._deleted ? 1 : 0, doc._meta.lwt, doc.start, doc.price, doc.locationId, doc.staffId, doc.status);
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    dayQuery,
    async countAll() {
      return (countAllStmt.get() as { n: number }).n;
    },
    async countRange(locationId) {
      return (countStmt.get(locationId) as { n: number }).n;
    },
    async countTable() {
      return (db.prepare('SELECT COUNT(*) AS n FROM docs').get() as { n: number }).n;
    },
    async update(id, price) {
      const row = db.prepare('SELECT data FROM docs WHERE id = ?').get(id) as { data: string };
      const doc = JSON.parse(row.data) as Doc;
      const next = { ...doc, price, _meta: { lwt: doc._meta.lwt + 1 } };
      db.prepare('UPDATE docs SET data = ?, lwt = ?, price = ? WHERE id = ?').run(JSON.stringify(next), next._meta.lwt, price, id);
    },
    async reopenAndQuery(locationId, day) {
      db.close();
      open();
      return dayQuery(locationId, day);
    },
    async dispose() {
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(filePath + suffix, { force: true });
    },
  };
}
