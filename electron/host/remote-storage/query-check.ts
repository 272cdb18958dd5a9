/**
 * A peer's Mango query, checked before the host runs it: known fields only, a fixed set of operators with bounded
 * operands, and a bounded number of conditions. Then the host plans the query itself (`prepareQuery`); the plan a peer
 * sends along is ignored, because the storage trusts a plan's index and key range.
 *
 * `$regex` is refused: a pattern like `(a+)+$` backtracks for seconds on one document, and the desk's searches run
 * over documents the page already holds (renderer/src/data/client-search.ts).
 */
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { MangoQuery, PreparedQuery, RxDocumentData, RxJsonSchema } from 'rxdb';

/** Conditions (field tests and operators) in one selector; the desk's queries use fewer than 10. */
export const MAX_SELECTOR_NODES = 500;
export const MAX_LIST_OPERANDS = 1000;
export const MAX_SORT_FIELDS = 16;
export const MAX_SKIP_OR_LIMIT = 1_000_000_000;

const LIST_OPERATORS = new Set(['$in', '$nin']);
const VALUE_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const QUERY_KEYS = new Set(['selector', 'sort', 'skip', 'limit', 'index']);
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

export class QueryRefused extends Error {}

type Schema = RxJsonSchema<RxDocumentData<unknown>>;
type Json = Record<string, unknown>;

/** The host's own plan for a checked query; throws QueryRefused with what is wrong. */
export function planPeerQuery(schema: Schema, value: unknown): PreparedQuery<unknown> {
  const query = checkMangoQuery(schema, value);
  return prepareQuery(schema, normalizeMangoQuery(schema, query)) as PreparedQuery<unknown>;
}

export function checkMangoQuery(schema: Schema, value: unknown): MangoQuery<unknown> {
  if (!isObject(value)) throw new QueryRefused('the query must be an object');
  for (const key of Object.keys(value)) {
    if (!QUERY_KEYS.has(key)) throw new QueryRefused(`the query has an unknown part "${short(key)}" (allowed: selector, sort, skip, limit, index)`);
  }
  const { selector, sort, skip, limit, index } = value;
  if (selector !== undefined) {
    if (!isObject(selector)) throw new QueryRefused('the selector must be an object');
    checkSelector(schema, selector, { nodes: 0 }, 0);
  }
  if (sort !== undefined) {
    if (!Array.isArray(sort) || sort.length > MAX_SORT_FIELDS) throw new QueryRefused(`sort must be a list of at most ${MAX_SORT_FIELDS} fields`);
    for (const part of sort) {
      const entries = isObject(part) ? Object.entries(part) : [];
      if (entries.length !== 1 || (entries[0]![1] !== 'asc' && entries[0]![1] !== 'desc')) {
        throw new QueryRefused('each sort entry must be {field: "asc" | "desc"}');
      }
      checkField(schema, entries[0]![0]);
    }
  }
  for (const [name, n] of [['skip', skip], ['limit', limit]] as const) {
    if (n !== undefined && n !== null && !(Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_SKIP_OR_LIMIT)) {
      throw new QueryRefused(`${name} must be a whole number from 0 to ${MAX_SKIP_OR_LIMIT}`);
    }
  }
  if (index !== undefined) {
    const fields = typeof index === 'string' ? [index] : index;
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_SORT_FIELDS) throw new QueryRefused('index must name the fields of one of the schema\'s indexes');
    for (const field of fields) checkField(schema, field);
  }
  // A peer's `limit: null` (JSON has no Infinity) means no limit, like RxDB's own.
  const out: Json = { ...value };
  if (out.limit === null) delete out.limit;
  if (out.skip === null) delete out.skip;
  return out as MangoQuery<unknown>;
}

function checkSelector(schema: Schema, selector: Json, budget: { nodes: number }, depth: number): void {
  if (depth > 8) throw new QueryRefused('the selector nests $and/$or/$nor/$elemMatch deeper than 8 levels');
  for (const [key, operand] of Object.entries(selector)) {
    count(budget);
    if (LOGICAL_OPERATORS.has(key)) {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length > MAX_LIST_OPERANDS) {
        throw new QueryRefused(`${key} needs a list of 1 to ${MAX_LIST_OPERANDS} selectors`);
      }
      for (const part of operand) {
        if (!isObject(part)) throw new QueryRefused(`each entry of ${key} must be a selector object`);
        checkSelector(schema, part, budget, depth + 1);
      }
    } else if (key.startsWith('$')) {
      throw new QueryRefused(`the operator ${short(key)} is not allowed at the top of a selector`);
    } else {
      checkField(schema, key);
      checkCondition(schema, key, operand, budget, depth);
    }
  }
}

function checkCondition(schema: Schema, field: string, condition: unknown, budget: { nodes: number }, depth: number): void {
  if (depth > 8) throw new QueryRefused('the selector nests $not/$elemMatch deeper than 8 levels');
  // {field: value} is equality; {field: {$op: …}} lists operators. A plain object value compares whole objects.
  if (!isObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) return checkOperand(condition);
  for (const [operator, operand] of Object.entries(condition)) {
    count(budget);
    if (VALUE_OPERATORS.has(operator)) checkOperand(operand);
    else if (LIST_OPERATORS.has(operator)) {
      if (!Array.isArray(operand) || operand.length > MAX_LIST_OPERANDS) throw new QueryRefused(`${operator} needs a list of at most ${MAX_LIST_OPERANDS} values`);
      budget.nodes += Math.floor(operand.length / 10);
      operand.forEach(checkOperand);
    } else if (operator === '$exists') {
      if (typeof operand !== 'boolean') throw new QueryRefused('$exists needs true or false');
    } else if (operator === '$size') {
      if (!Number.isInteger(operand) || (operand as number) < 0) throw new QueryRefused('$size needs a whole number');
    } else if (operator === '$type') {
      if (typeof operand !== 'string' || !['null', 'boolean', 'number', 'string', 'array', 'object'].includes(operand)) {
        throw new QueryRefused('$type needs one of null, boolean, number, string, array, object');
      }
    } else if (operator === '$mod') {
      if (!Array.isArray(operand) || operand.length !== 2 || !operand.every(Number.isInteger) || operand[0] === 0) {
        throw new QueryRefused('$mod needs [divisor, remainder] with a non-zero whole divisor');
      }
    } else if (operator === '$not') {
      if (!isObject(operand)) throw new QueryRefused('$not needs an operator object');
      checkCondition(schema, field, operand, budget, depth + 1);
    } else if (operator === '$elemMatch') {
      if (!isObject(operand)) throw new QueryRefused('$elemMatch needs a selector object');
      checkElemMatch(schema, field, operand, budget, depth + 1);
    } else if (operator === '$regex' || operator === '$options') {
      throw new QueryRefused('$regex is not allowed on the storage channel: search the documents in the page instead');
    } else {
      throw new QueryRefused(`the operator ${short(operator)} is not allowed (allowed: $eq $ne $gt $gte $lt $lte $in $nin $exists $size $type $mod $not $elemMatch $and $or $nor)`);
    }
  }
}

/** Inside $elemMatch the keys are the array items' own fields (or operators on the items themselves). */
function checkElemMatch(schema: Schema, field: string, selector: Json, budget: { nodes: number }, depth: number): void {
  if (depth > 8) throw new QueryRefused('the selector nests $elemMatch deeper than 8 levels');
  if (Object.keys(selector).every((k) => k.startsWith('$') && !LOGICAL_OPERATORS.has(k))) return checkCondition(schema, field, selector, budget, depth);
  for (const [key, operand] of Object.entries(selector)) {
    count(budget);
    if (LOGICAL_OPERATORS.has(key)) {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length > MAX_LIST_OPERANDS) throw new QueryRefused(`${key} needs a list of 1 to ${MAX_LIST_OPERANDS} selectors`);
      for (const part of operand) {
        if (!isObject(part)) throw new QueryRefused(`each entry of ${key} must be a selector object`);
        checkElemMatch(schema, field, part, budget, depth + 1);
      }
    } else if (key.startsWith('$') || !FIELD_PATH.test(key) || key.length > 200) {
      throw new QueryRefused(`"${short(key)}" is not a field name`);
    } else {
      checkCondition(schema, field, operand, budget, depth);
    }
  }
}

/** Operands are plain values; an object operand must not smuggle in operators. */
function checkOperand(operand: unknown): void {
  if (isObject(operand) && Object.keys(operand).some((k) => k.startsWith('$'))) throw new QueryRefused('a value to compare with must not contain operators');
}

function checkField(schema: Schema, path: unknown): void {
  if (typeof path !== 'string' || path.length > 200 || !FIELD_PATH.test(path)) throw new QueryRefused(`"${short(String(path))}" is not a field name`);
  const top = path.split('.')[0]!;
  if (!Object.hasOwn(schema.properties, top)) throw new QueryRefused(`"${short(path)}" is not a field of ${schema.title ?? 'this collection'}`);
}

function count(budget: { nodes: number }): void {
  if (++budget.nodes > MAX_SELECTOR_NODES) throw new QueryRefused(`the selector has more than ${MAX_SELECTOR_NODES} conditions`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
