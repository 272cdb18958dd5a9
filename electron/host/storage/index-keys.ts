import {
  INDEX_MAX,
  INDEX_MIN,
  getIndexMeta,
  getIndexableStringMonad,
  getSchemaByObjectPath,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
} from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';

/**
 * How a table's key columns encode RxDB's index order (stored per table in `rx_collections`):
 * - 1: RxDB's own indexable string — every string field padded with spaces to its maxLength. A job's key carries its
 *   400-character id padded in full, four times over; tables written before format 2 keep it.
 * - 2: the same order with each string field written compactly (`compactString`): a short value costs its own length
 *   plus one terminator, whatever its maxLength. Numbers and booleans keep RxDB's fixed-width digits.
 */
export type KeyFormat = 1 | 2;
export const CURRENT_KEY_FORMAT: KeyFormat = 2;

/**
 * RxDB compares its indexable strings as JavaScript strings (UTF-16 code units), while SQLite's BINARY collation
 * compares UTF-8 bytes, i.e. code points. The two orders only differ for code units >= 0xD800 (surrogates sort
 * below U+E000..U+FFFF in UTF-16 but above them as code points) — and RxDB's INDEX_MAX bound is U+FFFF. Mapping every
 * code unit >= 0xD800 to the supplementary code point 0x10000 + unit keeps JavaScript order under byte comparison and
 * never produces lone surrogates (which would be mangled into U+FFFD on the way to SQLite).
 */
const NEEDS_REMAP = /[\uD800-\uFFFF]/;

export function toSqlKey(indexString: string): string {
  if (!NEEDS_REMAP.test(indexString)) {
    return indexString;
  }
  let out = '';
  for (let i = 0; i < indexString.length; i++) {
    const unit = indexString.charCodeAt(i);
    out += unit < 0xd800 ? indexString[i] : String.fromCodePoint(0x10000 + unit);
  }
  return out;
}

/*
 * compactString: RxDB orders a string field as the value followed by spaces up to maxLength, i.e. as if padded with
 * spaces forever. Dropping the padding keeps that order only if the encoding still knows where a value ends and how
 * its end compares with what another value has at the same place — a space-padded end sorts above a tab or a
 * newline but below a letter. So a value is cut (after trailing spaces are dropped, which padding makes meaningless)
 * into tokens — a run of k >= 0 spaces plus the next character c — and an END token, ordered as padded strings are:
 *   (k, c < ' ')  <  END  <  (k > 0, c > ' ')  <  (0, c > ' ')
 * low tokens by k ascending then c; spaced tokens by k descending then c; plain tokens by c. Each token kind starts
 * with its own marker below '!' (plain tokens are just c itself, so a value without spaces or control characters
 * costs one extra character), counts are fixed width, so no encoding is a prefix of another and fields concatenate
 * in tuple order. test/electron/host/storage/index-keys.test.ts checks this against padded comparison.
 */
const LOW_MARK = '\x01';
const END = '\x02';
const SPACED_MARK = '\x03';
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const LOW_OR_SPACE = /[\x00-\x20]/;
const MAX_RUN = 0x3fffffff;

/** A run length as two code units below the surrogates, ascending in k. */
function runLength(k: number): string {
  return String.fromCharCode(0x21 + (k >>> 15), 0x21 + (k & 0x7fff));
}

export function compactString(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x20) end--;
  const text = end === value.length ? value : value.slice(0, end);
  if (!LOW_OR_SPACE.test(text)) {
    return text + END;
  }
  let out = '';
  let spaces = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x20) {
      spaces++;
      continue;
    }
    if (unit < 0x20) {
      out += LOW_MARK + runLength(spaces) + String.fromCharCode(unit + 1);
    } else if (spaces > 0) {
      out += SPACED_MARK + runLength(MAX_RUN - spaces) + text[i];
    } else {
      out += text[i];
    }
    spaces = 0;
  }
  return out + END;
}

export type IndexDef = {
  fields: string[];
  /** The column that holds this index's key in the document table. */
  column: string;
  key: (doc: RxDocumentData<unknown>) => string;
};

export function indexName(fields: readonly string[]): string {
  return fields.join(',');
}

type Schema = RxJsonSchema<RxDocumentData<unknown>>;

type KeyPart = (doc: RxDocumentData<unknown>) => string;

/**
 * Each field's part of a compact (format 2) key, already SQL-mapped (toSqlKey works unit by unit, so mapped parts
 * concatenate into the mapped key). Numbers and booleans are RxDB's ASCII digits, which need no mapping.
 */
function compactParts(schema: Schema, fields: string[]): KeyPart[] {
  return getIndexMeta(schema, fields).map((meta): KeyPart => {
    if (meta.schemaPart.type !== 'string') return meta.getIndexStringPart;
    const getValue = meta.getValue;
    // Same as RxDB: a missing or empty value is the empty string (all padding).
    return (doc) => toSqlKey(compactString((getValue(doc) as string | undefined) || ''));
  });
}

function compactKeyMonad(schema: Schema, fields: string[]): KeyPart {
  const parts = compactParts(schema, fields);
  if (parts.length === 2) {
    const [a, b] = parts as [KeyPart, KeyPart];
    return (doc) => a(doc) + b(doc);
  }
  if (parts.length === 3) {
    const [a, b, c] = parts as [KeyPart, KeyPart, KeyPart];
    return (doc) => a(doc) + b(doc) + c(doc);
  }
  return (doc) => {
    let key = '';
    for (const part of parts) key += part(doc);
    return key;
  };
}

/** Writes a document's key columns, in index order, into `out` from position `at`. */
export type KeyWriter = (doc: RxDocumentData<unknown>, out: unknown[], at: number) => void;

/**
 * All key columns of a document at once. Every index of a normalized schema starts with `_deleted` and ends with the
 * primary key, so building each field's part once and sharing it between the indexes that name it does about half
 * the encoding work of building each key on its own (index-keys.test.ts checks that both agree).
 */
export function buildKeyWriter(schema: Schema, format: KeyFormat, defs: IndexDef[]): KeyWriter {
  if (format === 1) {
    return (doc, out, at) => {
      for (let i = 0; i < defs.length; i++) out[at + i] = defs[i]!.key(doc);
    };
  }
  const fields = [...new Set(defs.flatMap((def) => def.fields))];
  const parts = compactParts(schema, fields);
  const slots = defs.map((def) => def.fields.map((field) => fields.indexOf(field)));
  const values: string[] = new Array(fields.length);
  return (doc, out, at) => {
    for (let f = 0; f < parts.length; f++) values[f] = parts[f]!(doc);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      let key = '';
      for (let j = 0; j < slot.length; j++) key += values[slot[j]!];
      out[at + i] = key;
    }
  };
}

/** The field lists of the normalized schema's indexes (RxDB already added the [_deleted, …] prefixes and [_meta.lwt, id]). */
export function indexFieldLists(schema: Schema): string[][] {
  return (schema.indexes ?? []).map((index) => (typeof index === 'string' ? [index] : [...index]));
}

/** One key column per index of the normalized schema. */
export function buildIndexDefs(schema: Schema, format: KeyFormat): IndexDef[] {
  return indexFieldLists(schema).map((fields, n) => {
    const padded = format === 1 ? getIndexableStringMonad(schema, fields) : undefined;
    return {
      fields,
      column: `k${n}`,
      key: padded ? (doc) => toSqlKey(padded(doc)) : compactKeyMonad(schema, fields),
    };
  });
}

type BoundKind = 'lower' | 'upper';

/**
 * Per schema: field types, and bound parts that do not depend on a query value (open ends), already SQL-mapped — by
 * field, then by kind and format, then by the open value itself. Looked up by parts rather than by one string key
 * built per call: a page of a whole-book plan asks for the bounds of 500 subjects' ranges at once (one `$in`).
 */
type BoundCache = { types: Map<string, string>; open: Map<string, Map<number, Map<unknown, string>>> };
const BOUND_CACHE = new WeakMap<Schema, BoundCache>();

function cacheOf(schema: Schema): BoundCache {
  let cache = BOUND_CACHE.get(schema);
  if (!cache) BOUND_CACHE.set(schema, (cache = { types: new Map(), open: new Map() }));
  return cache;
}

function openPartsOf(cache: BoundCache, field: string, kind: BoundKind, format: KeyFormat): Map<unknown, string> {
  let byKind = cache.open.get(field);
  if (!byKind) cache.open.set(field, (byKind = new Map()));
  const at = (kind === 'lower' ? 0 : 10) + format;
  let parts = byKind.get(at);
  if (!parts) byKind.set(at, (parts = new Map()));
  return parts;
}

/*
 * Open ends of string fields in compact keys. RxDB writes them as NUL or U+FFFF repeated to maxLength, meant to lie
 * below or above every value. Compact keys never contain NUL (markers start at U+0001), and SQL-mapped keys never
 * contain a code point above U+1FFFF (toSqlKey), so one character each does that exactly — and keeps the bound a
 * few bytes instead of 4 * maxLength (the bounds of a 400-character id were 1.6 kB per query range). The two only
 * differ for a stored value made of maxLength NULs or U+FFFFs, which RxDB's own bounds do not place either.
 */
const BELOW_EVERY_VALUE = '\x00';
const ABOVE_EVERY_VALUE = String.fromCodePoint(0x10ffff);

/** One field's part of a bound key, mapped for SQLite (toSqlKey works unit by unit, so parts concatenate). */
function boundPart(schema: Schema, field: string, value: unknown, kind: BoundKind, format: KeyFormat): string {
  const cache = cacheOf(schema);
  let type = cache.types.get(field);
  if (type === undefined) cache.types.set(field, (type = String(getSchemaByObjectPath(schema, field).type)));
  if (format === 2 && type === 'string') {
    if (value === INDEX_MAX) return ABOVE_EVERY_VALUE;
    // RxDB pads a value with spaces, which compactString drops again; anything else is an open end (RxDB: the
    // lower bound's minimum, or the upper bound's minimum for INDEX_MIN and its maximum otherwise).
    if (typeof value === 'string') return toSqlKey(compactString(value));
    return kind === 'lower' || value === INDEX_MIN ? BELOW_EVERY_VALUE : ABOVE_EVERY_VALUE;
  }
  const rxdbBound = kind === 'lower' ? getStartIndexStringFromLowerBound : getStartIndexStringFromUpperBound;
  const open = value === null || value === undefined || value === INDEX_MAX || value === INDEX_MIN || type === 'boolean';
  const parts = open ? openPartsOf(cache, field, kind, format) : undefined;
  const cached = parts?.get(value);
  if (cached !== undefined) return cached;
  const part = toSqlKey(rxdbBound(schema, [field], [value as never]));
  parts?.set(value, part);
  return part;
}

function boundKey(schema: Schema, fields: string[], bound: unknown[], kind: BoundKind, format: KeyFormat): string {
  let key = '';
  for (let i = 0; i < fields.length; i++) key += boundPart(schema, fields[i]!, bound[i], kind, format);
  return key;
}

/** The SQL key of a query plan's lower bound: RxDB's bound string field by field, string fields as stored. */
export function lowerBoundKey(schema: Schema, fields: string[], bound: unknown[], format: KeyFormat): string {
  return boundKey(schema, fields, bound, 'lower', format);
}

export function upperBoundKey(schema: Schema, fields: string[], bound: unknown[], format: KeyFormat): string {
  return boundKey(schema, fields, bound, 'upper', format);
}
