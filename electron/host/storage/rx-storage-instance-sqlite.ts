import type { Observable } from 'rxjs';
import { categorizeBulkWriteRows, ensureNotFalsy, getPrimaryFieldOfPrimaryKey, now } from 'rxdb';
import type { StatementSync } from 'node:sqlite';
import type {
  BulkWriteRow,
  EventBulk,
  PreparedQuery,
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageBulkWriteResponse,
  RxStorageChangeEvent,
  RxStorageCountResult,
  RxStorageDefaultCheckpoint,
  RxStorageInstance,
  RxStorageQueryResult,
  RxStorageWriteError,
  RxStorageWriteErrorConflict,
  StringKeys,
} from 'rxdb';
import { buildKeyWriter } from './index-keys.ts';
import { CollectionReader } from './collection-reader.ts';
import type { KeyWriter } from './index-keys.ts';
import { AUTOCHECKPOINT_PAGES, deferCheckpoint, dropCollection, releaseCollection, statement } from './shared-file.ts';
import type { SharedCollection } from './shared-file.ts';
import { beginGroupTransaction, groupOfCaller, waitForGroup } from './write-group.ts';
import type { WriteGroup } from './write-group.ts';

export type NodeSqliteInternals = {
  shared: SharedCollection;
};

export type NodeSqliteInstanceOptions = Record<string, never>;

/**
 * The bulkWrite context of writes that can be derived again from other data after a loss (the engine's planned
 * jobs, re-planned from the book at every start). With `synchronous: 'FULL'` such a commit skips its own fsync and
 * becomes durable with the next fsynced commit or checkpoint. The WAL is one append-only file, so a later fsync
 * covers every earlier commit and a power loss can only drop a suffix of commits — never a half-applied one, and
 * never one written before a write that survived.
 */
export const REDERIVABLE_WRITE_CONTEXT = 'frontdesk-rederivable';

/**
 * RxDB replication's own writes are re-derivable too: the documents it pulls (the endpoint has them), and its
 * bookkeeping (checkpoints and the endpoint's last known state per document, which a restart re-reads from the
 * endpoint). Losing a suffix of them re-pulls or re-checks what was lost; the pull checkpoint is written after the
 * documents it covers, so it is never kept while they are lost. Not among them: the document a conflict resolved to
 * (`replication-up-write-conflict`), a local change like any other. A live sync writes a checkpoint per collection
 * per batch, so one fsync each would stall the event loop for most of every change's trip between desks.
 */
const REPLICATION_CONTEXTS = new Set(['replication-set-checkpoint', 'replication-down-write-meta', 'replication-up-write-meta', 'replication-up-write-conflict-meta']);
const REPLICATION_PULL_PREFIX = 'replication-downstream-';

/** Whether a bulkWrite of this context may skip its own fsync (see REDERIVABLE_WRITE_CONTEXT). */
export function isRederivableWrite(context: string): boolean {
  return context === REDERIVABLE_WRITE_CONTEXT || REPLICATION_CONTEXTS.has(context) || context.startsWith(REPLICATION_PULL_PREFIX);
}

/**
 * The bulkWrite context of durable writes that come in runs of large commits (the engine's log entries of a
 * whole-book plan, between its re-derivable job writes): each commit keeps its own fsync, but the checkpoint its size
 * would set off inside the commit is deferred like a re-derivable write's (see bulkWrite). In a settings re-plan of 10k
 * visits the log's commits otherwise copied into the file, inside the commit and on the host's thread, the WAL that the
 * job writes before them had left to the checkpointer.
 */
export const DEFERRED_CHECKPOINT_WRITE_CONTEXT = 'frontdesk-deferred-checkpoint';

/** SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE: the `id` of a row that exists (a table's only unique key). */
const PRIMARY_KEY_VIOLATIONS = new Set([1555, 2067]);

function isPrimaryKeyViolation(error: unknown): boolean {
  return PRIMARY_KEY_VIOLATIONS.has((error as { errcode?: unknown }).errcode as number);
}

type Doc<T> = RxDocumentData<T>;
type Categorized<T> = ReturnType<typeof categorizeBulkWriteRows<T>>;

export class RxStorageInstanceNodeSqlite<RxDocType>
  implements RxStorageInstance<RxDocType, NodeSqliteInternals, NodeSqliteInstanceOptions, RxStorageDefaultCheckpoint>
{
  readonly storage: RxStorage<NodeSqliteInternals, NodeSqliteInstanceOptions>;
  readonly databaseName: string;
  readonly collectionName: string;
  readonly schema: Readonly<RxJsonSchema<Doc<RxDocType>>>;
  readonly internals: NodeSqliteInternals;
  readonly options: Readonly<NodeSqliteInstanceOptions>;
  readonly primaryPath: StringKeys<RxDocType>;
  closed = false;
  private readonly shared: SharedCollection;
  private readonly insertSql: string;
  /** The same, refused by the primary key when the row exists (see writeRows). */
  private readonly insertNewSql: string;
  /** UPDATE statements by the key columns they write ('1' at i: key column i), built as first needed. */
  private readonly updateSqlByKeys = new Map<string, string>();
  /** `SELECT id, data … WHERE id = ?` and `… WHERE id IN (…)`: documents by id (rowsByIds). */
  private readonly selectSql: [string, string];
  /**
   * The same with, instead of the document, its revision and the stored key columns `k0, k1, …`: what a write needs of
   * the documents it replaces (see loadForWrite).
   */
  private readonly selectForWriteSql: [string, string];
  private readonly writeKeys: KeyWriter;
  private readonly reader: CollectionReader<RxDocType>;

  constructor(
    storage: RxStorage<NodeSqliteInternals, NodeSqliteInstanceOptions>,
    databaseName: string,
    collectionName: string,
    schema: Readonly<RxJsonSchema<Doc<RxDocType>>>,
    shared: SharedCollection,
    options: Readonly<NodeSqliteInstanceOptions>,
  ) {
    this.storage = storage;
    this.databaseName = databaseName;
    this.collectionName = collectionName;
    this.schema = schema;
    this.shared = shared;
    this.internals = { shared };
    this.options = options;
    this.primaryPath = getPrimaryFieldOfPrimaryKey(schema.primaryKey) as StringKeys<RxDocType>;
    const t = `"${shared.table}"`;
    const cols = shared.indexes.map((d) => d.column);
    const insertInto = `INTO ${t} (id, data, deleted, lwt${cols.map((c) => `, ${c}`).join('')}) VALUES (?, ?, ?, ?${cols.map(() => ', ?').join('')})`;
    this.insertSql = `INSERT OR REPLACE ${insertInto}`;
    this.insertNewSql = `INSERT ${insertInto}`;
    const keyList = cols.map((c) => `, ${c}`).join('');
    const selectById = (columns: string): [string, string] => [`SELECT id, ${columns} FROM ${t} WHERE id = ?`, `SELECT id, ${columns} FROM ${t} WHERE id IN (SELECT value FROM json_each(?))`];
    this.selectSql = selectById('data');
    this.selectForWriteSql = selectById(`json_extract(data, '$._rev') AS rev${keyList}`);
    this.writeKeys = buildKeyWriter(schema as RxJsonSchema<Doc<unknown>>, shared.keyFormat, shared.indexes);
    this.reader = new CollectionReader(shared, schema, this.primaryPath);
  }

  private ensureUsable(): void {
    if (this.closed) {
      throw new Error(`node:sqlite storage: ${this.databaseName}/${this.collectionName} is closed`);
    }
    if (this.shared.removed) {
      throw new Error(`node:sqlite storage: ${this.databaseName}/${this.collectionName} was removed`);
    }
  }

  private stmt(sql: string) {
    return statement(this.shared, sql);
  }

  /**
   * The rows of these ids, `id, data` or with `forWrite` `id, rev` and the stored key columns: one statement for any
   * number of ids (the id list travels as one JSON parameter).
   */
  private rowsByIds(ids: string[], forWrite: boolean): Record<string, string>[] {
    if (ids.length === 0) {
      return [];
    }
    const [one, many] = forWrite ? this.selectForWriteSql : this.selectSql;
    return (ids.length === 1 ? this.stmt(one).all(ids[0]!) : this.stmt(many).all(JSON.stringify(ids))) as Record<string, string>[];
  }

  private loadByIds(ids: string[]): Map<string, Doc<RxDocType>> {
    const found = new Map<string, Doc<RxDocType>>();
    for (const row of this.rowsByIds(ids, false)) {
      found.set(row.id!, JSON.parse(row.data!) as Doc<RxDocType>);
    }
    return found;
  }

  /**
   * The UPDATE writing the key columns marked in `changed` ('1' at i: key column i) and no other. SQLite rewrites the entry of
   * every index whose column an UPDATE sets, even to the same value: a job cancelled keeps its [subjectId, dueAt] key,
   * and setting it anyway dirtied one more page, scattered over that index, per row (a re-plan writes thousands).
   */
  private updateStatement(changed: string): StatementSync {
    let sql = this.updateSqlByKeys.get(changed);
    if (sql === undefined) {
      const sets = this.shared.indexes.filter((_, i) => changed[i] === '1').map((d) => `, ${d.column} = ?`).join('');
      sql = `UPDATE "${this.shared.table}" SET data = ?, deleted = ?, lwt = ?${sets} WHERE id = ?`;
      this.updateSqlByKeys.set(changed, sql);
    }
    return this.stmt(sql);
  }

  /**
   * What a write needs of the stored documents it names: their revisions, as stand-ins that carry only `_rev` (all
   * that categorizeBulkWriteRows reads of a stored document, except to put it into a conflict error: see
   * fillConflictingDocuments), and their stored key columns (`keys[id][i]`: key column i). SQLite reads the revision
   * out of the stored JSON itself; parsing every replaced document in JavaScript cost a re-plan of 10k visits about
   * 10k parses of documents it had just read, and their garbage.
   */
  private loadForWrite(ids: string[]): { revisions: Map<string, Doc<RxDocType>>; keys: Map<string, string[]> } {
    const revisions = new Map<string, Doc<RxDocType>>();
    const keys = new Map<string, string[]>();
    const columns = this.shared.indexes.map((d) => d.column);
    for (const row of this.rowsByIds(ids, true)) {
      const id = row.id!;
      revisions.set(id, { _rev: row.rev! } as Doc<RxDocType>);
      keys.set(id, columns.map((c) => row[c]!));
    }
    return { revisions, keys };
  }

  /** A conflict error carries the stored document whole (RxDB's conflict handling reads it): read for those alone. */
  private fillConflictingDocuments(errors: RxStorageWriteError<RxDocType>[]): void {
    const conflicts = errors.filter((error): error is RxStorageWriteErrorConflict<RxDocType> => error.status === 409);
    if (conflicts.length === 0) {
      return;
    }
    const stored = this.loadByIds(conflicts.map((error) => error.documentId));
    for (const error of conflicts) {
      error.documentInDb = ensureNotFalsy(stored.get(error.documentId), 'a conflicting document is stored');
    }
  }

  bulkWrite(documentWrites: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    this.ensureUsable();
    const group = this.shared.file.writeGroup;
    if (group) {
      // Inside a write group: part of its transaction. Outside it: after it (see write-group.ts).
      if (groupOfCaller(this.shared.file) !== group) return waitForGroup(group).then(() => this.bulkWrite(documentWrites, context));
      try {
        return Promise.resolve(this.writeInGroup(group, documentWrites, context));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    const db = this.shared.file.db;
    const rederivable = isRederivableWrite(context);
    const deferSync = rederivable && this.shared.file.synchronous === 'FULL';
    if (deferSync) {
      db.exec('PRAGMA synchronous = NORMAL');
    }
    // With a checkpointer thread, every commit leaves its checkpoint to it (the connection never checkpoints inside a
    // commit: see openFile). Without one, bulk writes of re-derivable data, which come in runs (a whole-book plan: one
    // commit every few dozen milliseconds, each over SQLite's checkpoint threshold), checkpoint in a task of their own.
    const threaded = this.shared.file.checkpointer !== undefined;
    const deferredCheckpoint = threaded || rederivable || context === DEFERRED_CHECKPOINT_WRITE_CONTEXT;
    if (deferredCheckpoint && !threaded) {
      db.exec('PRAGMA wal_autocheckpoint = 0');
    }
    try {
      return this.writeInTransaction(documentWrites, context);
    } finally {
      if (deferSync) {
        db.exec('PRAGMA synchronous = FULL');
      }
      if (deferredCheckpoint) {
        if (!threaded) {
          db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
        }
        deferCheckpoint(this.shared.file);
      }
    }
  }

  private writeInTransaction(documentWrites: BulkWriteRow<RxDocType>[], context: string): Promise<RxStorageBulkWriteResponse<RxDocType>> {
    const db = this.shared.file.db;
    // node:sqlite is synchronous, so read-check-write below cannot interleave with another instance's write in this
    // process; BEGIN IMMEDIATE also takes the write lock up front against any other connection to the file.
    db.exec('BEGIN IMMEDIATE');
    let categorized: Categorized<RxDocType>;
    try {
      categorized = this.writeRows(documentWrites, context);
      db.exec('COMMIT');
    } catch (err) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original error is the one that matters.
      }
      throw err;
    }
    // Emitted only after COMMIT: a subscriber that reads back must see the write, and a failed write emits nothing.
    this.emitChanges(categorized);
    return Promise.resolve({ error: categorized.errors });
  }

  /** One bulkWrite of a write group: under a savepoint of its own, its change events held for the group's commit. */
  private writeInGroup(group: WriteGroup, documentWrites: BulkWriteRow<RxDocType>[], context: string): RxStorageBulkWriteResponse<RxDocType> {
    const db = this.shared.file.db;
    if (!group.begun) beginGroupTransaction(group);
    db.exec('SAVEPOINT group_write');
    let categorized: Categorized<RxDocType>;
    try {
      categorized = this.writeRows(documentWrites, context);
    } catch (err) {
      try {
        db.exec('ROLLBACK TO group_write');
        db.exec('RELEASE group_write');
      } catch {
        // The transaction itself is gone (SQLite rolled it back); the group's end rolls back what is left.
      }
      throw err;
    }
    db.exec('RELEASE group_write');
    group.afterCommit.push(() => this.emitChanges(categorized));
    return { error: categorized.errors };
  }

  private emitChanges(categorized: Categorized<RxDocType>): void {
    if (categorized.eventBulk.events.length > 0) {
      const newest = ensureNotFalsy(categorized.newestRow).document;
      categorized.eventBulk.checkpoint = { id: newest[this.primaryPath] as string, lwt: newest._meta.lwt };
      this.shared.changes$.next(categorized.eventBulk as never);
    }
  }

  /**
   * The read-check-write of a bulkWrite, inside a transaction its caller holds. A write whose rows are all inserts
   * (none names a previous revision) is first tried without reading the stored documents, under a savepoint: the
   * table's primary key refuses a row that exists, and then the savepoint is rolled back and the rows written the
   * careful way, with the same outcome as if they had been from the start. A whole-book plan writes its 200k new jobs
   * this way, and the delivery log only ever grows: looking their ids up first was a thousand index seeks a commit that
   * the inserts do again anyway.
   */
  private writeRows(documentWrites: BulkWriteRow<RxDocType>[], context: string): Categorized<RxDocType> {
    if (documentWrites.every((row) => row.previous === undefined)) {
      const db = this.shared.file.db;
      db.exec('SAVEPOINT inserts_only');
      try {
        const categorized = this.writeRowsAs(documentWrites, context, true);
        db.exec('RELEASE inserts_only');
        return categorized;
      } catch (err) {
        // Anything else is the caller's to roll back, the savepoint with it.
        if (!isPrimaryKeyViolation(err)) throw err;
        db.exec('ROLLBACK TO inserts_only');
        db.exec('RELEASE inserts_only');
      }
    }
    return this.writeRowsAs(documentWrites, context, false);
  }

  /** `insertsOnly`: nothing is read first, and a row that exists fails the write (see writeRows). */
  private writeRowsAs(documentWrites: BulkWriteRow<RxDocType>[], context: string, insertsOnly: boolean): Categorized<RxDocType> {
    const primaryPath = this.primaryPath;
    const indexCount = this.shared.indexes.length;
    const writeKeys = this.writeKeys;
    const { revisions, keys: keysInDb } = insertsOnly
      ? { revisions: new Map<string, Doc<RxDocType>>(), keys: new Map<string, string[]>() }
      : this.loadForWrite(documentWrites.map((row) => row.document[primaryPath] as string));
    const categorized = categorizeBulkWriteRows<RxDocType>(this, primaryPath, revisions, documentWrites, context);
    this.fillConflictingDocuments(categorized.errors);
    const params: unknown[] = new Array(4 + indexCount);
    if (categorized.bulkInsertDocs.length > 0) {
      const insert = this.stmt(insertsOnly ? this.insertNewSql : this.insertSql);
      for (const row of categorized.bulkInsertDocs) {
        const doc = row.document;
        params[0] = doc[primaryPath];
        params[1] = JSON.stringify(doc);
        params[2] = doc._deleted ? 1 : 0;
        params[3] = doc._meta.lwt;
        writeKeys(doc, params, 4);
        insert.run(...(params as string[]));
      }
    }
    if (categorized.bulkUpdateDocs.length > 0) {
      const newKeys: unknown[] = new Array(indexCount);
      for (const row of categorized.bulkUpdateDocs) {
        const doc = row.document;
        const id = doc[primaryPath] as string;
        writeKeys(doc, newKeys, 0);
        // Only the key columns whose value changes (see updateStatement).
        const stored = keysInDb.get(id);
        let changed = '';
        const update: unknown[] = [JSON.stringify(doc), doc._deleted ? 1 : 0, doc._meta.lwt];
        for (let i = 0; i < indexCount; i++) {
          if (stored === undefined || stored[i] !== newKeys[i]) {
            changed += '1';
            update.push(newKeys[i]);
          } else {
            changed += '0';
          }
        }
        update.push(id);
        this.updateStatement(changed).run(...(update as string[]));
      }
    }
    return categorized;
  }

  findDocumentsById(ids: string[], withDeleted: boolean): Promise<Doc<RxDocType>[]> {
    this.ensureUsable();
    const found = this.loadByIds(ids);
    const ret: Doc<RxDocType>[] = [];
    for (const id of ids) {
      const doc = found.get(id);
      if (doc && (withDeleted || !doc._deleted)) {
        ret.push(doc);
      }
    }
    return Promise.resolve(ret);
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureUsable();
    return Promise.resolve({ documents: this.reader.query(preparedQuery) });
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureUsable();
    return Promise.resolve({ count: this.reader.count(preparedQuery), mode: 'fast' });
  }

  getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: Doc<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureUsable();
    return Promise.resolve(this.reader.changedSince(limit, checkpoint));
  }

  changeStream(): Observable<EventBulk<RxStorageChangeEvent<Doc<RxDocType>>, RxStorageDefaultCheckpoint>> {
    this.ensureUsable();
    return this.shared.changes$.asObservable() as never;
  }

  cleanup(minimumDeletedTime: number): Promise<boolean> {
    this.ensureUsable();
    const group = this.shared.file.writeGroup;
    // Not inside a write group's transaction: a rolled-back group would take the cleanup with it.
    if (group && groupOfCaller(this.shared.file) !== group) return waitForGroup(group).then(() => this.cleanup(minimumDeletedTime));
    const maxDeletionTime = now() - minimumDeletedTime;
    this.stmt(`DELETE FROM "${this.shared.table}" WHERE deleted = 1 AND lwt <= ?`).run(maxDeletionTime);
    return Promise.resolve(true);
  }

  getAttachmentData(documentId: string, attachmentId: string): Promise<Blob> {
    return Promise.reject(
      new Error(
        `node:sqlite storage does not support attachments (${this.collectionName}: ${documentId}/${attachmentId})`,
      ),
    );
  }

  close(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    releaseCollection(this.shared);
    return Promise.resolve();
  }

  async remove(): Promise<void> {
    this.ensureUsable();
    dropCollection(this.shared, this.collectionName);
    await this.close();
  }
}
