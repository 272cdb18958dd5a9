/**
 * The primary keys of the documents in one index range, in primary-key order, read off the index and the table's id
 * column alone (no document is parsed). A reader that then fetches the documents by id a page at a time walks them
 * in primary-key order whatever index selected them. The engine's whole-book plan does: the jobs of a subject have
 * ids that begin with its id, so subjects planned in id order put each transaction's jobs side by side in the outbox's
 * primary-key and subject indexes, where subjects in start order scattered them over every page of both (and the
 * commit wrote each of those pages to the WAL).
 */
import type { PreparedQuery, RxStorageInstance } from 'rxdb';
import { indexName, lowerBoundKey, upperBoundKey } from './index-keys.ts';
import { splitIn } from './query-ranges.ts';
import { statement } from './shared-file.ts';
import type { SharedCollection } from './shared-file.ts';

/** Ids listed per statement: a few milliseconds each, between which the caller may give the event loop a turn. */
const IDS_PER_STEP = 4000;

/**
 * The primary keys of the documents `prepared` matches, in primary-key order. Undefined when `instance` is not
 * node:sqlite's (through any wrapper: they pass `internals` on), or when the query is more than one range of its index,
 * which is all that is answered here. Listed IDS_PER_STEP at a time along the index, with `between` awaited between
 * steps: 100k ids in one statement held the event loop for about 300 ms (each id is read from its table row). A
 * document written meanwhile may be listed in its old place, its new one, both or neither; it is listed once.
 * Sorted in code-unit order, which is SQLite's BINARY order of the ids' bytes for ids without characters from U+D800
 * up; for others the order is only less helpful.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any collection's instance, whatever its document type
export async function primaryKeysInRange<T>(instance: RxStorageInstance<T, any, any>, prepared: PreparedQuery<T>, between: () => Promise<unknown> = () => Promise.resolve()): Promise<string[] | undefined> {
  const shared = (instance.internals as { shared?: SharedCollection } | undefined)?.shared;
  if (shared?.file?.db === undefined || shared.removed) return undefined;
  const plan = prepared.queryPlan;
  if (!plan.selectorSatisfiedByIndex || splitIn(shared.schema, prepared)) return undefined;
  const def = shared.indexesByName.get(indexName(plan.index));
  if (!def) return undefined;
  const c = def.column;
  const select = (fromOp: string) =>
    `SELECT id, ${c} AS k FROM "${shared.table}" WHERE ${c} ${fromOp} ? AND ${c} ${plan.inclusiveEnd ? '<=' : '<'} ? ORDER BY ${c} LIMIT ${IDS_PER_STEP}`;
  const upper = upperBoundKey(shared.schema, plan.index, plan.endKeys, shared.keyFormat);
  const ids = new Set<string>();
  let rows = statement(shared, select(plan.inclusiveStart ? '>=' : '>')).all(lowerBoundKey(shared.schema, plan.index, plan.startKeys, shared.keyFormat), upper) as { id: string; k: string }[];
  for (;;) {
    for (const row of rows) ids.add(row.id);
    if (rows.length < IDS_PER_STEP) break;
    await between();
    // The key column holds the id too: a key is unique, and the next step starts right after the last one listed.
    rows = statement(shared, select('>')).all(rows[rows.length - 1]!.k, upper) as { id: string; k: string }[];
  }
  return [...ids].sort();
}
