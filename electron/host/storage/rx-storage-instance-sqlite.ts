import type { Observable } from 'rxjs';
import {
  categorizeBulkWriteRows,
  ensureNotFalsy,
  getPrimaryFieldOfPrimaryKey,
  getQueryMatcher,
  getSortComparator,
  now,
  objectPathMonad,
} from 'rxdb';
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
import { buildKeyWriter, indexName, lowerBoundKey, upperBoundKey } from './index-keys.ts';
import { coversAllLiveDocuments, splitIn } from './query-ranges.ts';
import type { IndexDef, KeyWriter } from './index-keys.ts';
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

type DataRow = { data: string };

/** SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE: the `id` of a row that exists (a table's only unique key). */
const PRIMARY_KEY_VIOLATIONS = new Set([1555, 2067]);

function isPrimaryKeyViolation(error: unknown): boolean {
  return PRIMARY_KEY_VIOLATIONS.has((error as { errcode?: unknown }).errcode as number);
}
type Scan<T> = {
  def: IndexDef;
  /** `key >= ? AND key <= ?` (or strict) on the index's key column. */
  where: string;
  /** [lower, upper] key pairs, in key order. */
  ranges: [string, string][];
  /** Documents in the ranges that the query still has to test; null when the ranges are exactly the answer. */
  matcher: ((doc: RxDocumentData<T>) => boolean) | null;
};
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
  private readonly lwtIndex: IndexDef;
  private readonly writeKeys: KeyWriter;

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
    this.lwtIndex = ensureNotFalsy(
      shared.indexesByName.get(indexName(['_meta.lwt', this.primaryPath])),
      'the normalized schema always has the [_meta.lwt, primary] index',
    );
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

  /** The index ranges of a query: one, or one per value of an `$in` on an index field (see `splitIn`). */
  private scanOf(preparedQuery: PreparedQuery<RxDocType>): Scan<RxDocType> {
    const plan = preparedQuery.queryPlan;
    const def = this.shared.indexesByName.get(indexName(plan.index));
    if (!def) {
      throw new Error(`node:sqlite storage: index does not exist: ${indexName(plan.index)}`);
    }
    const schema = this.schema as RxJsonSchema<Doc<unknown>>;
    const format = this.shared.keyFormat;
    const c = def.column;
    const where = `${c} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${c} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
    const split = splitIn(schema, preparedQuery);
    if (!split) {
      const bounds: [string, string] = [lowerBoundKey(schema, plan.index, plan.startKeys, format), upperBoundKey(schema, plan.index, plan.endKeys, format)];
      return { def, where, ranges: [bounds], matcher: plan.selectorSatisfiedByIndex ? null : getQueryMatcher(this.schema, preparedQuery.query) };
    }
    const byLower = new Map<string, [string, string]>();
    for (const keys of split.keys) {
      const lower = lowerBoundKey(schema, plan.index, keys.start, format);
      if (!byLower.has(lower)) byLower.set(lower, [lower, upperBoundKey(schema, plan.index, keys.end, format)]);
    }
    // Ranges in key (byte) order, so that their concatenation is in index order; values with one key are one range.
    // SQL keys hold no code unit from U+D800 up but the halves of supplementary characters (toSqlKey), so JavaScript's
    // code-unit order is their code-point order, which is the order of their UTF-8 bytes: no Buffer per range needed
    // (a page of a settings re-plan sorts 500).
    const ranges = [...byLower.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const { field, values, rest } = split;
    const restMatcher = rest ? getQueryMatcher(this.schema, { ...preparedQuery.query, selector: rest as typeof preparedQuery.query.selector }) : null;
    const getValue = objectPathMonad(field);
    // A key range holds every value with the same index string (RxDB pads strings and rounds numbers); `$in` itself
    // compares exactly, so the value is checked again.
    const matcher = (doc: Doc<RxDocType>) => values.has(getValue(doc) as string | number) && (!restMatcher || restMatcher(doc));
    return { def, where, ranges, matcher };
  }

  /**
   * The rows of a scan in index order. `whole`: every row will be read (no limit to stop at), so they come in one call
   * (`all`) instead of one call per row (`iterate`): a re-plan's page of jobs is a thousand rows, and stepping them one
   * by one cost about as much as parsing them.
   */
  private rows(scan: Scan<RxDocType>, whole: boolean): Iterable<DataRow> {
    const stmt = this.stmt(`SELECT data FROM "${this.shared.table}" WHERE ${scan.where} ORDER BY ${scan.def.column}`);
    if (scan.ranges.length === 1) {
      return (whole ? stmt.all(...scan.ranges[0]!) : stmt.iterate(...scan.ranges[0]!)) as Iterable<DataRow>;
    }
    const join = this.rangeJoin(scan);
    if (join) {
      const ranges = JSON.stringify(scan.ranges);
      return (whole ? join.all(ranges) : join.iterate(ranges)) as Iterable<DataRow>;
    }
    return (function* () {
      for (const range of scan.ranges) yield* stmt.all(...range) as DataRow[];
    })();
  }

  /**
   * Many ranges (an `$in`) in one statement: the ranges travel as one JSON array, and CROSS JOIN makes SQLite walk
   * them in array order with an index search each — so rows come in range order, then index order, as one range
   * scan per value would give them, at a fraction of the per-call cost. Used only if SQLite plans it that way.
   */
  private rangeJoin(scan: Scan<RxDocType>): StatementSync | undefined {
    const c = scan.def.column;
    const [lowerOp, upperOp] = scan.where.split(' AND ').map((part) => part.split(' ')[1]);
    const sql = `SELECT t.data AS data FROM json_each(?) AS r CROSS JOIN "${this.shared.table}" AS t ON t.${c} ${lowerOp} r.value ->> 0 AND t.${c} ${upperOp} r.value ->> 1`;
    let checked = this.shared.rangeJoins.get(sql);
    if (checked === undefined) {
      const plan = (this.shared.file.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as { detail: string }[]).map((row) => row.detail);
      const expected = plan.length === 2 && plan[0]!.startsWith('SCAN r') && plan[1]!.startsWith(`SEARCH t USING INDEX "${this.shared.table}_${c}"`.replace(/"/g, ''));
      checked = expected ? this.stmt(sql) : null;
      this.shared.rangeJoins.set(sql, checked);
    }
    return checked ?? undefined;
  }

  query(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageQueryResult<RxDocType>> {
    this.ensureUsable();
    const { queryPlan: plan, query } = preparedQuery;
    const skip = query.skip ? query.skip : 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const wanted = skip + limit;
    if (limit <= 0) {
      return Promise.resolve({ documents: [] });
    }
    const scan = this.scanOf(preparedQuery);
    const matcher = scan.matcher;

    if (plan.sortSatisfiedByIndex) {
      if (!matcher && scan.ranges.length === 1) {
        // The index answers everything: SQLite skips and limits on the index alone.
        const sql = `SELECT data FROM "${this.shared.table}" WHERE ${scan.where} ORDER BY ${scan.def.column} LIMIT ? OFFSET ?`;
        const rows = this.stmt(sql).all(...scan.ranges[0]!, Number.isFinite(limit) ? limit : -1, skip) as DataRow[];
        return Promise.resolve({ documents: rows.map((r) => JSON.parse(r.data) as Doc<RxDocType>) });
      }
      const documents: Doc<RxDocType>[] = [];
      let matched = 0;
      for (const row of this.rows(scan, !Number.isFinite(wanted))) {
        const doc = JSON.parse(row.data) as Doc<RxDocType>;
        if (matcher && !matcher(doc)) {
          continue;
        }
        matched++;
        if (matched > skip) {
          documents.push(doc);
        }
        if (matched >= wanted) {
          break;
        }
      }
      return Promise.resolve({ documents });
    }

    // The index gives the range but not the order: keep only the best skip+limit documents while streaming.
    const comparator = getSortComparator(this.schema, query);
    let best: Doc<RxDocType>[] = [];
    for (const row of this.rows(scan, !Number.isFinite(wanted))) {
      const doc = JSON.parse(row.data) as Doc<RxDocType>;
      if (matcher && !matcher(doc)) {
        continue;
      }
      if (!Number.isFinite(wanted)) {
        best.push(doc);
        continue;
      }
      if (best.length >= wanted && comparator(doc, best[best.length - 1]!) >= 0) {
        continue;
      }
      // Binary search for the first element that sorts after doc: equal documents keep index order (stable).
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (comparator(best[mid]!, doc) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      best.splice(lo, 0, doc);
      if (best.length > wanted) {
        best.pop();
      }
    }
    if (!Number.isFinite(wanted)) {
      best = best.sort(comparator);
    }
    return Promise.resolve({ documents: best.slice(skip, wanted) });
  }

  count(preparedQuery: PreparedQuery<RxDocType>): Promise<RxStorageCountResult> {
    this.ensureUsable();
    const table = `"${this.shared.table}"`;
    if (coversAllLiveDocuments(preparedQuery)) {
      // Every live document, e.g. `collection.count()`: SQLite counts a whole table from its smallest B-tree without
      // reading rows, and the deleted ones from the small partial cleanup index.
      const sql = `SELECT (SELECT COUNT(*) FROM ${table}) - (SELECT COUNT(*) FROM ${table} WHERE deleted = 1) AS n`;
      const row = this.stmt(sql).get() as { n: number };
      return Promise.resolve({ count: row.n, mode: 'fast' });
    }
    const scan = this.scanOf(preparedQuery);
    if (!scan.matcher && scan.ranges.length === 1) {
      const row = this.stmt(`SELECT COUNT(*) AS n FROM ${table} WHERE ${scan.where}`).get(...scan.ranges[0]!) as { n: number };
      return Promise.resolve({ count: row.n, mode: 'fast' });
    }
    let count = 0;
    for (const row of this.rows(scan, false)) {
      if (!scan.matcher || scan.matcher(JSON.parse(row.data) as Doc<RxDocType>)) {
        count++;
      }
    }
    // Same mode as RxDB's memory storage reports for a matcher count over an index range.
    return Promise.resolve({ count, mode: 'fast' });
  }

  getChangedDocumentsSince(
    limit: number,
    checkpoint?: RxStorageDefaultCheckpoint,
  ): Promise<{ documents: Doc<RxDocType>[]; checkpoint: RxStorageDefaultCheckpoint }> {
    this.ensureUsable();
    const sinceLwt = checkpoint ? checkpoint.lwt : 0;
    const sinceId = checkpoint ? checkpoint.id : '';
    const def = this.lwtIndex;
    // Start at the checkpoint's lwt on the [_meta.lwt, id] index; the few documents sharing that lwt are filtered by
    // id in JavaScript, with the same string comparison RxDB's own fallback query uses.
    const lower = lowerBoundKey(this.schema as RxJsonSchema<Doc<unknown>>, def.fields, [sinceLwt, null], this.shared.keyFormat);
    const documents: Doc<RxDocType>[] = [];
    if (limit > 0) {
      const sql = `SELECT data FROM "${this.shared.table}" WHERE ${def.column} >= ? ORDER BY ${def.column}`;
      for (const row of this.stmt(sql).iterate(lower) as Iterable<DataRow>) {
        const doc = JSON.parse(row.data) as Doc<RxDocType>;
        const lwt = doc._meta.lwt;
        if (lwt > sinceLwt || (lwt === sinceLwt && (doc[this.primaryPath] as string) > sinceId)) {
          documents.push(doc);
          if (documents.length >= limit) {
            break;
          }
        }
      }
    }
    const last = documents[documents.length - 1];
    return Promise.resolve({
      documents,
      checkpoint: last
        ? { id: last[this.primaryPath] as string, lwt: last._meta.lwt }
        : checkpoint
          ? checkpoint
          : { id: '', lwt: 0 },
    });
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
