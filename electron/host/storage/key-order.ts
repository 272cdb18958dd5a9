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

/**
 * The primary keys of the documents `prepared` matches, in primary-key order (SQLite's BINARY order: that of the
 * stored ids' UTF-8 bytes). Undefined when `instance` is not node:sqlite's (through any wrapper: they pass `internals`
 * on), or when the query is more than one range of its index, which is all that is answered here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any collection's instance, whatever its document type
export function primaryKeysInRange<T>(instance: RxStorageInstance<T, any, any>, prepared: PreparedQuery<T>): string[] | undefined {
  const shared = (instance.internals as { shared?: SharedCollection } | undefined)?.shared;
  if (shared?.file?.db === undefined || shared.removed) return undefined;
  const plan = prepared.queryPlan;
  if (!plan.selectorSatisfiedByIndex || splitIn(shared.schema, prepared)) return undefined;
  const def = shared.indexesByName.get(indexName(plan.index));
  if (!def) return undefined;
  const c = def.column;
  const sql = `SELECT id FROM "${shared.table}" WHERE ${c} ${plan.inclusiveStart ? '>=' : '>'} ? AND ${c} ${plan.inclusiveEnd ? '<=' : '<'} ? ORDER BY id`;
  const lower = lowerBoundKey(shared.schema, plan.index, plan.startKeys, shared.keyFormat);
  const upper = upperBoundKey(shared.schema, plan.index, plan.endKeys, shared.keyFormat);
  return (statement(shared, sql).all(lower, upper) as { id: string }[]).map((row) => row.id);
}
