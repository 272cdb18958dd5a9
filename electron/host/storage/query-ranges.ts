/**
 * Index ranges beyond RxDB's query plan. RxDB plans `field: { $in: [a, b, …] }` as one range from the smallest to
 * the largest value plus a matcher, so "the jobs of these 500 appointments" scans the whole outbox between them;
 * here it becomes one exact range per value (an index seek each, in one storage call).
 */
import { getSchemaByObjectPath, INDEX_MAX, INDEX_MIN, isSelectorSatisfiedByIndex } from 'rxdb';
import type { MangoQuerySelector, PreparedQuery, RxDocumentData, RxJsonSchema } from 'rxdb';

export type InSplit = {
  /** The index field the `$in` is on. */
  field: string;
  values: Set<string | number>;
  /** One plan range per distinct value. */
  keys: { start: unknown[]; end: unknown[] }[];
  /** The selector without the `$in`, when the ranges do not already satisfy it. */
  rest: MangoQuerySelector<unknown> | null;
};

function isFixed(start: unknown, end: unknown): boolean {
  return start === end && start !== INDEX_MIN && start !== INDEX_MAX;
}

function inValues(condition: unknown, type: string): (string | number)[] | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  const keys = Object.keys(condition);
  if (keys.length !== 1 || keys[0] !== '$in') return undefined;
  const values = (condition as { $in: unknown }).$in;
  if (!Array.isArray(values) || values.length === 0) return undefined;
  const wanted = type === 'string' ? 'string' : type === 'number' || type === 'integer' ? 'number' : undefined;
  if (!wanted) return undefined;
  for (const value of values) {
    if (typeof value !== wanted || (wanted === 'number' && !Number.isFinite(value))) return undefined;
  }
  return values as (string | number)[];
}

/**
 * The per-value ranges of an `$in` on the plan's index, if the index fields before it are fixed by equality (so that
 * each value is one contiguous range). Undefined when the query has no such `$in`.
 */
export function splitIn<T>(schema: RxJsonSchema<RxDocumentData<unknown>>, prepared: PreparedQuery<T>): InSplit | undefined {
  const { queryPlan: plan, query } = prepared;
  const selector = query.selector as Record<string, unknown>;
  for (let p = 0; p < plan.index.length; p++) {
    const field = plan.index[p]!;
    const values = inValues(selector[field], getSchemaByObjectPath(schema, field).type as string);
    if (!values) {
      if (!isFixed(plan.startKeys[p], plan.endKeys[p])) return undefined;
      continue;
    }
    const keys = [...new Set(values)].map((value) => {
      const start = [...plan.startKeys];
      const end = [...plan.endKeys];
      start[p] = value;
      end[p] = value;
      return { start, end };
    });
    const { [field]: _in, ...rest } = selector;
    const satisfied = isSelectorSatisfiedByIndex(plan.index, rest as never, keys[0]!.start, keys[0]!.end);
    return { field, values: new Set(values), keys, rest: satisfied ? null : (rest as MangoQuerySelector<unknown>) };
  }
  return undefined;
}

/** Whether the query is "every live document": `_deleted` false and nothing else, over the whole index. */
export function coversAllLiveDocuments<T>(prepared: PreparedQuery<T>): boolean {
  const plan = prepared.queryPlan;
  if (!plan.selectorSatisfiedByIndex || !plan.inclusiveStart || !plan.inclusiveEnd) return false;
  // RxDB types plan keys as strings and numbers, but a boolean `$eq` puts the boolean itself there.
  const [start, end] = [plan.startKeys[0] as unknown, plan.endKeys[0] as unknown];
  if (plan.index[0] !== '_deleted' || start !== false || end !== false) return false;
  for (let i = 1; i < plan.index.length; i++) {
    if (plan.startKeys[i] !== INDEX_MIN || plan.endKeys[i] !== INDEX_MAX) return false;
  }
  return true;
}
