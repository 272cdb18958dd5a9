/**
 * Compact index keys must order exactly as RxDB's padded indexable strings do once SQLite compares them as UTF-8
 * bytes: field by field, for values with spaces, control characters, surrogates and U+FFFF, and at any padding width.
 */
import fc from 'fast-check';
import { getIndexableStringMonad } from 'rxdb';
import type { RxDocumentData, RxJsonSchema } from 'rxdb';
import { describe, expect, it } from 'vitest';
import { buildIndexDefs, buildKeyWriter, compactString, toSqlKey } from '../../../../electron/host/storage/index-keys.ts';
import { appointmentStorageSchema } from './storage-fixtures.ts';

const UNITS = [' ', '\x00', '\x01', '\x02', '\x03', '\t', '\n', '\x1f', '!', 'a', 'b', 'é', '\uD83D', '\uDE00', '\uE000', '\uFFFF'];
// Spaces are frequent: runs of different lengths before the same character are where compact keys are tricky.
const unit = fc.oneof({ arbitrary: fc.constant(' '), weight: 6 }, { arbitrary: fc.constantFrom(...UNITS), weight: 10 });
const text = fc.array(unit, { maxLength: 8 }).map((units) => units.join(''));
const WIDTH = 10;

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
/** RxDB's order: JavaScript comparison of the values padded with spaces to the field's maxLength. */
const padded = (values: string[]) => values.map((v) => v.padEnd(WIDTH, ' ')).join('');
const jsCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** SQLite's BINARY order of what the storage writes. */
const sqlCompare = (a: string, b: string) => Buffer.compare(Buffer.from(toSqlKey(a)), Buffer.from(toSqlKey(b)));
const compact = (values: string[]) => values.map(compactString).join('');

describe('compact index keys', () => {
  it('order two values as their padded forms do', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(sqlCompare(compactString(a), compactString(b)))).toBe(sign(jsCompare(padded([a]), padded([b]))));
      }),
      { numRuns: 20_000 },
    );
  });

  it('order tuples of fields as the concatenated padded fields do', () => {
    const tuple = fc.array(text, { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        expect(sign(sqlCompare(compact(a), compact(b)))).toBe(sign(jsCompare(padded(a), padded(b))));
      }),
      { numRuns: 20_000 },
    );
  });

  it('are equal exactly when the padded values are', () => {
    expect(compactString('ab')).toBe(compactString('ab   '));
    expect(compactString('a b')).not.toBe(compactString('ab'));
    expect(compactString('')).toBe(compactString('   '));
  });

  it('orders the space-padded end between control characters and letters', () => {
    const values = ['a\x00', 'a\t', 'a \t', 'a  \t', 'a', 'a  !', 'a !', 'a!', 'ab'];
    expect([...values].sort((x, y) => jsCompare(padded([x]), padded([y])))).toEqual(values);
    const keys = values.map(compactString);
    expect([...keys].sort(sqlCompare)).toEqual(keys);
  });

  it('costs one extra character for a value without spaces or control characters', () => {
    expect(compactString('appointment-42')).toBe('appointment-42\x02');
  });
});

describe('the key writer of a table', () => {
  const schema = appointmentStorageSchema() as unknown as RxJsonSchema<RxDocumentData<unknown>>;
  const doc = fc.record({
    id: text,
    locationId: text,
    staffId: text,
    start: text,
    status: text,
    price: fc.integer({ min: 0, max: 10_000_000 }).map((cents) => cents / 100),
    _deleted: fc.boolean(),
    lwt: fc.integer({ min: 0, max: 2 ** 40 }).map((n) => n / 100),
  });
  const toDoc = (d: { lwt: number } & Record<string, unknown>) => {
    const { lwt, ...fields } = d;
    return { ...fields, note: '', _rev: '1-a', _attachments: {}, _meta: { lwt } } as unknown as RxDocumentData<unknown>;
  };

  it('writes, in compact keys, each field encoded on its own and concatenated in index order', () => {
    const defs = buildIndexDefs(schema, 2);
    const write = buildKeyWriter(schema, 2, defs);
    const stringFields = new Set(['id', 'locationId', 'staffId', 'start', 'status']);
    const fieldPart = (field: string, value: RxDocumentData<unknown>) =>
      stringFields.has(field)
        ? compactString((value as unknown as Record<string, string>)[field] || '')
        : getIndexableStringMonad(schema, [field])(value);
    fc.assert(
      fc.property(doc, (d) => {
        const value = toDoc(d);
        const out: unknown[] = ['before'];
        write(value, out, 1);
        expect(out[0]).toBe('before');
        expect(out.slice(1)).toEqual(defs.map((def) => toSqlKey(def.fields.map((field) => fieldPart(field, value)).join(''))));
        expect(out.slice(1)).toEqual(defs.map((def) => def.key(value)));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes the padded keys of tables from before compact keys', () => {
    const defs = buildIndexDefs(schema, 1);
    const write = buildKeyWriter(schema, 1, defs);
    fc.assert(
      fc.property(doc, (d) => {
        const value = toDoc(d);
        const out: unknown[] = [];
        write(value, out, 0);
        expect(out).toEqual(defs.map((def) => toSqlKey(getIndexableStringMonad(schema, def.fields)(value))));
      }),
      { numRuns: 1_000 },
    );
  });
});
