import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { Subject } from 'rxjs';
import type { EventBulk, RxDocumentData, RxJsonSchema, RxStorageChangeEvent, RxStorageDefaultCheckpoint } from 'rxdb';
import { breakSeal, sealAfterCleanClose, unchangedSinceCleanClose } from './clean-close.ts';
import { classifySqliteOpenError, DatabaseFileError } from './database-file-error.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import type { WriteGroup } from './write-group.ts';
import { buildIndexDefs, CURRENT_KEY_FORMAT, indexFieldLists, indexName } from './index-keys.ts';
import type { IndexDef, KeyFormat } from './index-keys.ts';

export type SynchronousMode = 'FULL' | 'NORMAL';

/**
 * Everything that must be shared by all storage instances on one collection of one file in this process: the
 * connection, the statements and — above all — the change stream, so that a write made through one RxDatabase
 * instance shows up in the change streams of every other instance on the same file.
 */
export type SharedCollection = {
  file: SharedFile;
  key: string;
  table: string;
  schema: RxJsonSchema<RxDocumentData<unknown>>;
  /** How this table's key columns are encoded; fixed when the table is created. */
  keyFormat: KeyFormat;
  indexes: IndexDef[];
  indexesByName: Map<string, IndexDef>;
  changes$: Subject<EventBulk<RxStorageChangeEvent<RxDocumentData<unknown>>, RxStorageDefaultCheckpoint>>;
  refCount: number;
  removed: boolean;
  statements: Map<string, StatementSync>;
  /** Multi-range join statements, or null where SQLite would not run them as ordered index searches. */
  rangeJoins: Map<string, StatementSync | null>;
};

export type SharedFile = {
  filePath: string;
  db: DatabaseSync;
  synchronous: SynchronousMode;
  /** Opened with verifyOnOpen: a clean close leaves a seal, so the next open can skip the full check (clean-close.ts). */
  sealOnClose: boolean;
  refCount: number;
  collections: Map<string, SharedCollection>;
  /** A checkpoint deferred to its own task (see deferCheckpoint). */
  checkpointTimer?: ReturnType<typeof setTimeout>;
  /** Runs the deferred checkpoints on a thread of its own; without it they run on this thread. */
  checkpointer: WalCheckpointer | undefined;
  /** The writes of several collections being made as one transaction (write-group.ts); others wait for it. */
  writeGroup?: WriteGroup;
};

/**
 * SQLite's default `wal_autocheckpoint`, in pages: what a connection without a checkpointer thread runs with outside
 * deferred-checkpoint writes.
 */
export const AUTOCHECKPOINT_PAGES = 1000;

const OPEN_FILES = new Map<string, SharedFile>();

/** Database names become file names: keep readable names as they are, make anything else safe and collision-free. */
export function databaseFileName(databaseName: string): string {
  const safe = databaseName.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  if (safe === databaseName && safe.length > 0) {
    return `${safe}.sqlite`;
  }
  const hash = createHash('sha256').update(databaseName).digest('hex').slice(0, 10);
  return `${safe}-${hash}.sqlite`;
}

/**
 * What of its WAL file a database keeps between bursts of writes (SQLite's journal_size_limit), in bytes. A WAL file
 * never shrinks by itself: a whole-book plan grows it for as long as it writes faster than the checkpointer copies
 * (a first plan of 100k visits to about 880 MB, a settings re-plan of 10k to about 90 MB), and it stayed that size on
 * the salon's disk until the file was closed — for the host, the rest of the day. With the limit the first commit
 * after a checkpoint that caught up cuts it back; a day's ordinary commits fit in what is kept.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

function openFile(filePath: string, synchronous: SynchronousMode, cacheSizeKiB: number, verifyOnOpen: boolean, checkpointThread: boolean, walSizeLimitBytes: number): SharedFile {
  let file = OPEN_FILES.get(filePath);
  if (file) {
    file.refCount++;
    return file;
  }
  // Only this user may read a salon's data: the folder 0700, the files 0600.
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const existed = fileSize(filePath) > 0;
  const unchanged = verifyOnOpen && existed && unchangedSinceCleanClose(filePath);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(filePath);
    // SQLite gives the -wal and -shm files the mode of the database file, so this covers them as they are created.
    restrictMode(filePath);
    if (verifyOnOpen && existed && !unchanged) verifyDatabase(db, filePath);
    if (existed) refuseForeignDatabase(db, filePath);
    // From here on the file may change, until the next clean close seals it again (a refused file keeps its seal).
    if (verifyOnOpen) breakSeal(filePath);
    db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = ${synchronous};
      PRAGMA busy_timeout = 5000;
      PRAGMA temp_store = MEMORY;
      PRAGMA cache_size = -${Math.floor(cacheSizeKiB)};
      PRAGMA journal_size_limit = ${Math.floor(walSizeLimitBytes)};
      CREATE TABLE IF NOT EXISTS rx_collections (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        tbl TEXT NOT NULL UNIQUE,
        indexes TEXT NOT NULL,
        PRIMARY KEY (name, version)
      );
    `);
    // A checkpoint inside a commit holds the host's thread; with a checkpointer thread every commit defers it there
    // (a command right after a large plan otherwise copied the plan's WAL inside its own commit).
    if (checkpointThread) db.exec('PRAGMA wal_autocheckpoint = 0');
    for (const suffix of ['-wal', '-shm']) restrictMode(filePath + suffix);
  } catch (error) {
    db?.close();
    throw classifySqliteOpenError(filePath, error) ?? error;
  }
  file = { filePath, db, synchronous, sealOnClose: verifyOnOpen, refCount: 1, collections: new Map(), checkpointer: checkpointThread ? new WalCheckpointer(filePath) : undefined };
  OPEN_FILES.set(filePath, file);
  return file;
}

function fileSize(filePath: string): number {
  try {
    return statSync(filePath).size;
  } catch {
    return 0;
  }
}

/** Tightens a file this storage owns to 0600 (files of older builds were 0644). Path-based: never opens the file. */
function restrictMode(filePath: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(filePath).mode & 0o077) !== 0) chmodSync(filePath, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * A truncated or partly overwritten file opens without complaint and fails later, in the middle of the desk's work;
 * `quick_check` reads every page once (about 60 ms for 80 MB, seconds for a large book) and finds it before anything is
 * written — unless the file is as this storage left it at a clean close (clean-close.ts).
 */
function verifyDatabase(db: DatabaseSync, filePath: string): void {
  const rows = db.prepare('PRAGMA quick_check').all() as { quick_check: string }[];
  const first = rows[0]?.quick_check ?? 'no answer';
  if (first !== 'ok') throw new DatabaseFileError('damaged', filePath, `quick_check: ${first.split('\n').slice(0, 2).join(' ').slice(0, 200)}`);
}

/**
 * A sound SQLite file with tables and none of this storage's (another program's database, put in the folder by mistake
 * or restored from the wrong backup): the host opened it as an empty book and wrote its own tables into it.
 */
function refuseForeignDatabase(db: DatabaseSync, filePath: string): void {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
  if (tables.length === 0 || tables.includes('rx_collections')) return;
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
  throw new DatabaseFileError('notOurs', filePath, `its tables: ${shown}`.slice(0, 200));
}

/**
 * How long a deferred checkpoint waits, gathering the commits that follow: each checkpoint costs two fsyncs, and a
 * page that several commits rewrote is copied once. A cold plan of 100k visits (200k jobs, a commit every ~40 ms),
 * bench:engine cold_plan_ui_read, load 3.5–4.4: 0 ms — 200 checkpoints, plan 11.3 s, reads p95 46 / max 61 ms;
 * 100 ms — 9.4 s, 59 / 92 ms; 200 ms — 32 checkpoints, 8.2 s, 68 / 91 ms.
 */
const DEFERRED_CHECKPOINT_DELAY_MS = 200;

/**
 * A commit that SQLite would have followed with a checkpoint (copying the WAL back into the file, with an fsync of
 * each) made without it: the checkpoint runs a little later (DEFERRED_CHECKPOINT_DELAY_MS) on the file's checkpointer
 * thread (wal-checkpointer.ts), so that a run of bulk writes (a whole-book plan, a replication pull) never waits for
 * the disk inside its own tasks, nor the UI's requests behind a checkpoint; in a task of its own on this thread when
 * there is no such thread. One pending checkpoint covers every commit before it.
 */
export function deferCheckpoint(file: SharedFile): void {
  if (file.checkpointTimer !== undefined) return;
  file.checkpointTimer = setTimeout(() => {
    file.checkpointTimer = undefined;
    if (OPEN_FILES.get(file.filePath) !== file) return;
    if (file.checkpointer?.request()) return;
    try {
      file.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // A busy or failing checkpoint is retried by the next commit over the threshold (SQLite's own autocheckpoint).
    }
  }, DEFERRED_CHECKPOINT_DELAY_MS);
  file.checkpointTimer.unref?.();
}

function releaseFile(file: SharedFile): void {
  file.refCount--;
  if (file.refCount > 0) {
    return;
  }
  OPEN_FILES.delete(file.filePath);
  clearTimeout(file.checkpointTimer);
  file.checkpointTimer = undefined;
  // Before the host's connection closes: then it is the file's last (see wal-checkpointer.ts).
  file.checkpointer?.close();
  const row = file.db.prepare('SELECT COUNT(*) AS n FROM rx_collections').get() as { n: number };
  file.db.close();
  // RxDB removes a database collection by collection; once none is left the file itself goes.
  if (row.n === 0) {
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(file.filePath + suffix, { force: true });
    }
  } else if (file.sealOnClose) {
    sealAfterCleanClose(file.filePath);
  }
}

function createTables(db: DatabaseSync, table: string, indexes: IndexDef[]): void {
  // VARCHAR(1000) has TEXT affinity, but SQLite estimates it at 250 units where plain TEXT (or TEXT(1000)) is 5.
  // Counting a whole table, SQLite reads the B-tree it estimates smallest; with TEXT keys it took a key index, at 1M
  // appointments the 43 MB of [_deleted, id] keys, beyond the 32 MiB page cache, so collection.count() read them again
  // each time (37 ms). Now it counts on the primary key's own index (the ids alone).
  const keyColumns = indexes.map((d) => `, ${d.column} VARCHAR(1000) NOT NULL`).join('');
  db.exec(`CREATE TABLE "${table}" (
    id TEXT PRIMARY KEY NOT NULL,
    data TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    lwt REAL NOT NULL${keyColumns}
  )`);
  for (const d of indexes) {
    db.exec(`CREATE INDEX "${table}_${d.column}" ON "${table}" (${d.column})`);
  }
  // Only cleanup() reads deleted documents by age; a partial index keeps that cheap without indexing live documents.
  db.exec(`CREATE INDEX "${table}_cleanup" ON "${table}" (lwt) WHERE deleted = 1`);
}

export function acquireCollection(
  directory: string,
  databaseName: string,
  collectionName: string,
  schema: RxJsonSchema<RxDocumentData<unknown>>,
  synchronous: SynchronousMode,
  cacheSizeKiB: number,
  verifyOnOpen = false,
  checkpointThread = false,
  walSizeLimitBytes = WAL_SIZE_LIMIT_BYTES,
): SharedCollection {
  const filePath = path.resolve(directory, databaseFileName(databaseName));
  const file = openFile(filePath, synchronous, cacheSizeKiB, verifyOnOpen, checkpointThread, walSizeLimitBytes);
  const key = `${collectionName}|${schema.version}`;
  const existing = file.collections.get(key);
  if (existing) {
    if (JSON.stringify(existing.schema) !== JSON.stringify(schema)) {
      releaseFile(file);
      throw new Error(
        `node:sqlite storage: collection "${collectionName}" v${schema.version} of "${databaseName}" is already open with a different schema`,
      );
    }
    existing.refCount++;
    return existing;
  }
  try {
    const fields = indexFieldLists(schema);
    const db = file.db;
    db.exec('BEGIN IMMEDIATE');
    let table: string;
    let keyFormat: KeyFormat;
    try {
      const row = db
        .prepare('SELECT tbl, indexes FROM rx_collections WHERE name = ? AND version = ?')
        .get(collectionName, schema.version) as { tbl: string; indexes: string } | undefined;
      if (row) {
        const stored = parseIndexLayout(row.indexes);
        if (JSON.stringify(stored.fields) !== JSON.stringify(fields)) {
          throw new Error(
            `node:sqlite storage: collection "${collectionName}" v${schema.version} was stored with indexes ${JSON.stringify(stored.fields)} but the schema now declares ${JSON.stringify(fields)}; changing indexes needs a new schema version`,
          );
        }
        table = row.tbl;
        keyFormat = stored.keyFormat;
      } else {
        const seq = db.prepare('SELECT COALESCE(MAX(rowid), 0) + 1 AS n FROM rx_collections').get() as { n: number };
        table = `docs_${seq.n}_${collectionName.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}`;
        keyFormat = CURRENT_KEY_FORMAT;
        db.prepare('INSERT INTO rx_collections (name, version, tbl, indexes) VALUES (?, ?, ?, ?)').run(
          collectionName,
          schema.version,
          table,
          JSON.stringify({ keyFormat, indexes: fields }),
        );
        createTables(db, table, buildIndexDefs(schema, keyFormat));
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    const indexes = buildIndexDefs(schema, keyFormat);
    const shared: SharedCollection = {
      file,
      key,
      table,
      schema,
      keyFormat,
      indexes,
      indexesByName: new Map(indexes.map((d) => [indexName(d.fields), d])),
      changes$: new Subject(),
      refCount: 1,
      removed: false,
      statements: new Map(),
      rangeJoins: new Map(),
    };
    file.collections.set(key, shared);
    return shared;
  } catch (err) {
    releaseFile(file);
    throw err;
  }
}

/**
 * `rx_collections.indexes` holds the index layout of a table. Files written before key format 2 hold a bare JSON
 * array of index field lists (format 1, RxDB's padded keys); later tables hold `{"keyFormat":2,"indexes":[…]}`. A
 * build that only knows the bare array refuses such a table with its "changing indexes" error instead of reading
 * compact keys as padded ones.
 */
function parseIndexLayout(text: string): { keyFormat: KeyFormat; fields: string[][] } {
  const parsed = JSON.parse(text) as string[][] | { keyFormat: number; indexes: string[][] };
  if (Array.isArray(parsed)) return { keyFormat: 1, fields: parsed };
  if (parsed.keyFormat !== 1 && parsed.keyFormat !== 2) {
    throw new Error(`node:sqlite storage: a table uses key format ${String(parsed.keyFormat)}, which this build does not know; open the data folder with a newer FrontDesk`);
  }
  return { keyFormat: parsed.keyFormat, fields: parsed.indexes };
}

export function statement(shared: SharedCollection, sql: string): StatementSync {
  let stmt = shared.statements.get(sql);
  if (!stmt) {
    stmt = shared.file.db.prepare(sql);
    shared.statements.set(sql, stmt);
  }
  return stmt;
}

export function releaseCollection(shared: SharedCollection): void {
  shared.refCount--;
  if (shared.refCount === 0 && shared.file.collections.get(shared.key) === shared) {
    shared.file.collections.delete(shared.key);
    shared.statements.clear();
    shared.rangeJoins.clear();
  }
  releaseFile(shared.file);
}

export function dropCollection(shared: SharedCollection, collectionName: string): void {
  const db = shared.file.db;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`DROP TABLE IF EXISTS "${shared.table}"`);
    db.prepare('DELETE FROM rx_collections WHERE name = ? AND version = ?').run(collectionName, shared.schema.version);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
  shared.removed = true;
  shared.statements.clear();
  shared.rangeJoins.clear();
  // Instances still holding this state fail from now on; a later open starts with a fresh table.
  if (shared.file.collections.get(shared.key) === shared) {
    shared.file.collections.delete(shared.key);
  }
}

/** For tests: whether this process still holds a connection to the file. */
export function isFileOpen(filePath: string): boolean {
  return OPEN_FILES.has(path.resolve(filePath));
}
