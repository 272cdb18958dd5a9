import {
  getIndexableStringMonad,
  getStartIndexStringFromLowerBound,
  getStartIndexStringFromUpperBound,
} from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';

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

export type IndexDef = {
  fields: string[];
  /** The column that holds this index's key in the document table. */
  column: string;
  key: (doc: RxDocumentData<unknown>) => string;
};

export function indexName(fields: readonly string[]): string {
  return fields.join(',');
}

/** Every index of the normalized schema (RxDB already added the [_deleted, …] prefixes and the [_meta.lwt, id] index). */
export function buildIndexDefs(schema: RxJsonSchema<RxDocumentData<unknown>>): IndexDef[] {
  const raw = schema.indexes ?? [];
  return raw.map((index, n) => {
    const fields = typeof index === 'string' ? [index] : [...index];
    const monad = getIndexableStringMonad(schema, fields);
    return {
      fields,
      column: `k${n}`,
      key: (doc) => toSqlKey(monad(doc)),
    };
  });
}

export function lowerBoundKey(
  schema: RxJsonSchema<RxDocumentData<unknown>>,
  fields: string[],
  bound: unknown[],
): string {
  return toSqlKey(getStartIndexStringFromLowerBound(schema, fields, bound as never));
}

export function upperBoundKey(
  schema: RxJsonSchema<RxDocumentData<unknown>>,
  fields: string[],
  bound: unknown[],
): string {
  return toSqlKey(getStartIndexStringFromUpperBound(schema, fields, bound as never));
}
