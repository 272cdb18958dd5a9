/**
 * The read side of one collection in node:sqlite: queries as index range scans (one range, or one per value of an
 * `$in`), counts, and the changes since a checkpoint. Documents are stored as JSON beside their index keys
 * (index-keys.ts); what the index ranges cannot decide is tested with RxDB's own query matcher.
 */
import type { StatementSync } from 'node:sqlite';
import { ensureNotFalsy, getQueryMatcher, getSortComparator, objectPathMonad } from 'rxdb';
import type { PreparedQuery, RxDocumentData, RxJsonSchema, RxStorageDefaultCheckpoint, StringKeys } from 'rxdb';
import { indexName, lowerBoundKey, upperBoundKey } from './index-keys.ts';
import type { IndexDef } from './index-keys.ts';
import { coversAllLiveDocuments, splitIn } from './query-ranges.ts';
import { statement } from './shared-file.ts';
import type { SharedCollection } from './shared-file.ts';

type Doc<T> = RxDocumentData<T>;
type DataRow = { data: string };
type Scan<T> = {
  def: IndexDef;
  /** `key >= ? AND key <= ?` (or strict) on the index's key column. */
  where: string;
  /** [lower, upper] key pairs, in key order. */
  ranges: [string, string][];
  /** Documents in the ranges that the query still has to test; null when the ranges are exactly the answer. */
  matcher: ((doc: RxDocumentData<T>) => boolean) | null;
};

export class CollectionReader<T> {
  readonly #shared: SharedCollection;
  readonly #schema: Readonly<RxJsonSchema<Doc<T>>>;
  readonly #primaryPath: StringKeys<T>;
  readonly #lwtIndex: IndexDef;

  constructor(shared: SharedCollection, schema: Readonly<RxJsonSchema<Doc<T>>>, primaryPath: StringKeys<T>) {
    this.#shared = shared;
    this.#schema = schema;
    this.#primaryPath = primaryPath;
    this.#lwtIndex = ensureNotFalsy(
      shared.indexesByName.get(indexName(['_meta.lwt', primaryPath])),
      'the normalized schema always has the [_meta.lwt, primary] index',
    );
  }

  #stmt(sql: string): StatementSync {
    return statement(this.#shared, sql);
  }

  /** The index ranges of a query: one, or one per value of an `$in` on an index field (see `splitIn`). */
  #scanOf(preparedQuery: PreparedQuery<T>): Scan<T> {
    const plan = preparedQuery.queryPlan;
    const def = this.#shared.indexesByName.get(indexName(plan.index));
    if (!def) {
      throw new Error(`node:sqlite storage: index does not exist: ${indexName(plan.index)}`);
    }
    const schema = this.#schema as RxJsonSchema<Doc<unknown>>;
    const format = this.#shared.keyFormat;
    const c = def.column;
    const where = `${c} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${c} ${plan.inclusiveEnd ? '<=' : '<'} ?`;
    const split = splitIn(schema, preparedQuery);
    if (!split) {
      const bounds: [string, string] = [lowerBoundKey(schema, plan.index, plan.startKeys, format), upperBoundKey(schema, plan.index, plan.endKeys, format)];
      return { def, where, ranges: [bounds], matcher: plan.selectorSatisfiedByIndex ? null : getQueryMatcher(this.#schema, preparedQuery.query) };
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
    const restMatcher = rest ? getQueryMatcher(this.#schema, { ...preparedQuery.query, selector: rest as typeof preparedQuery.query.selector }) : null;
    const getValue = objectPathMonad(field);
    // A key range holds every value with the same index string (RxDB pads strings and rounds numbers); `$in` itself
    // compares exactly, so the value is checked again.
    const matcher = (doc: Doc<T>) => values.has(getValue(doc) as string | number) && (!restMatcher || restMatcher(doc));
    return { def, where, ranges, matcher };
  }

  /**
   * The rows of a scan in index order. `whole`: every row will be read (no limit to stop at), so they come in one call
   * (`all`) instead of one call per row (`iterate`): a re-plan's page of jobs is a thousand rows, and stepping them one
   * by one cost about as much as parsing them.
   */
  #rows(scan: Scan<T>, whole: boolean): Iterable<DataRow> {
    const stmt = this.#stmt(`SELECT data FROM "${this.#shared.table}" WHERE ${scan.where} ORDER BY ${scan.def.column}`);
    if (scan.ranges.length === 1) {
      return (whole ? stmt.all(...scan.ranges[0]!) : stmt.iterate(...scan.ranges[0]!)) as Iterable<DataRow>;
    }
    const join = this.#rangeJoin(scan);
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
  #rangeJoin(scan: Scan<T>): StatementSync | undefined {
    const c = scan.def.column;
    const [lowerOp, upperOp] = scan.where.split(' AND ').map((part) => part.split(' ')[1]);
    const sql = `SELECT t.data AS data FROM json_each(?) AS r CROSS JOIN "${this.#shared.table}" AS t ON t.${c} ${lowerOp} r.value ->> 0 AND t.${c} ${upperOp} r.value ->> 1`;
    let checked = this.#shared.rangeJoins.get(sql);
    if (checked === undefined) {
      const plan = (this.#shared.file.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as { detail: string }[]).map((row) => row.detail);
      const expected = plan.length === 2 && plan[0]!.startsWith('SCAN r') && plan[1]!.startsWith(`SEARCH t USING INDEX "${this.#shared.table}_${c}"`.replace(/"/g, ''));
      checked = expected ? this.#stmt(sql) : null;
      this.#shared.rangeJoins.set(sql, checked);
    }
    return checked ?? undefined;
  }

  /** The documents of a query, in its sort order, after its skip and within its limit. */
  query(preparedQuery: PreparedQuery<T>): Doc<T>[] {
    const { queryPlan: plan, query } = preparedQuery;
    const skip = query.skip ? query.skip : 0;
    const limit = typeof query.limit === 'number' ? query.limit : Infinity;
    const wanted = skip + limit;
    if (limit <= 0) {
      return [];
    }
    const scan = this.#scanOf(preparedQuery);
    const matcher = scan.matcher;

    if (plan.sortSatisfiedByIndex) {
      if (!matcher && scan.ranges.length === 1) {
        // The index answers everything: SQLite skips and limits on the index alone.
        const sql = `SELECT data FROM "${this.#shared.table}" WHERE ${scan.where} ORDER BY ${scan.def.column} LIMIT ? OFFSET ?`;
        const rows = this.#stmt(sql).all(...scan.ranges[0]!, Number.isFinite(limit) ? limit : -1, skip) as DataRow[];
        return rows.map((r) => JSON.parse(r.data) as Doc<T>);
      }
      const documents: Doc<T>[] = [];
      let matched = 0;
      for (const row of this.#rows(scan, !Number.isFinite(wanted))) {
        const doc = JSON.parse(row.data) as Doc<T>;
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
      return documents;
    }

    // The index gives the range but not the order: keep only the best skip+limit documents while streaming.
    const comparator = getSortComparator(this.#schema, query);
    let best: Doc<T>[] = [];
    for (const row of this.#rows(scan, !Number.isFinite(wanted))) {
      const doc = JSON.parse(row.data) as Doc<T>;
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
    return best.slice(skip, wanted);
  }

  /** How many documents a query matches (RxDB's 'fast' mode: exact, from the index ranges). */
  count(preparedQuery: PreparedQuery<T>): number {
    const table = `"${this.#shared.table}"`;
    if (coversAllLiveDocuments(preparedQuery)) {
      // Every live document, e.g. `collection.count()`: SQLite counts a whole table from its smallest B-tree without
      // reading rows, and the deleted ones from the small partial cleanup index.
      const sql = `SELECT (SELECT COUNT(*) FROM ${table}) - (SELECT COUNT(*) FROM ${table} WHERE deleted = 1) AS n`;
      const row = this.#stmt(sql).get() as { n: number };
      return row.n;
    }
    const scan = this.#scanOf(preparedQuery);
    if (!scan.matcher && scan.ranges.length === 1) {
      const row = this.#stmt(`SELECT COUNT(*) AS n FROM ${table} WHERE ${scan.where}`).get(...scan.ranges[0]!) as { n: number };
      return row.n;
    }
    let count = 0;
    for (const row of this.#rows(scan, false)) {
      if (!scan.matcher || scan.matcher(JSON.parse(row.data) as Doc<T>)) {
        count++;
      }
    }
    return count;
  }

  /** Documents written after the checkpoint, in write order (what replication and RxDB's cleanup walk). */
  changedSince(limit: number, checkpoint?: RxStorageDefaultCheckpoint): { documents: Doc<T>[]; checkpoint: RxStorageDefaultCheckpoint } {
    const sinceLwt = checkpoint ? checkpoint.lwt : 0;
    const sinceId = checkpoint ? checkpoint.id : '';
    const def = this.#lwtIndex;
    // Start at the checkpoint's lwt on the [_meta.lwt, id] index; the few documents sharing that lwt are filtered by
    // id in JavaScript, with the same string comparison RxDB's own fallback query uses.
    const lower = lowerBoundKey(this.#schema as RxJsonSchema<Doc<unknown>>, def.fields, [sinceLwt, null], this.#shared.keyFormat);
    const documents: Doc<T>[] = [];
    if (limit > 0) {
      const sql = `SELECT data FROM "${this.#shared.table}" WHERE ${def.column} >= ? ORDER BY ${def.column}`;
      for (const row of this.#stmt(sql).iterate(lower) as Iterable<DataRow>) {
        const doc = JSON.parse(row.data) as Doc<T>;
        const lwt = doc._meta.lwt;
        if (lwt > sinceLwt || (lwt === sinceLwt && (doc[this.#primaryPath] as string) > sinceId)) {
          documents.push(doc);
          if (documents.length >= limit) {
            break;
          }
        }
      }
    }
    const last = documents[documents.length - 1];
    return {
      documents,
      checkpoint: last
        ? { id: last[this.#primaryPath] as string, lwt: last._meta.lwt }
        : checkpoint
          ? checkpoint
          : { id: '', lwt: 0 },
    };
  }
}
