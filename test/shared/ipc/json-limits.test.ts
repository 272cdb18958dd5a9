import { describe, expect, it } from 'vitest';
import { checkJsonValue, MAX_REQUEST_BYTES } from '../../../shared/ipc/json-limits.ts';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('checkJsonValue', () => {
  it('accepts plain JSON, with undefined where structured clone keeps it', () => {
    expect(checkJsonValue({ a: [1, 'x', null, true, { b: undefined }], c: Object.create(null) as object })).toBeNull();
    expect(checkJsonValue(undefined)).toBeNull();
    expect(checkJsonValue(nested(64))).toBeNull();
  });

  it('refuses what JSON cannot carry, naming where it is', () => {
    expect(checkJsonValue({ when: new Date() })?.message).toBe('"when" is not a plain JSON object');
    expect(checkJsonValue({ list: [1, new Map()] })?.message).toBe('"list.1" is not a plain JSON object');
    expect(checkJsonValue({ n: NaN })?.message).toBe('"n" holds NaN, which is not a JSON number');
    expect(checkJsonValue({ n: 1n })?.message).toContain('holds a bigint');
    expect(checkJsonValue(new Uint8Array(4))?.code).toBe('invalid_request');
    expect(checkJsonValue(Infinity)?.message).toBe('The message holds Infinity, which is not a JSON number');
  });

  it('refuses prototype keys anywhere', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const problem = checkJsonValue(JSON.parse(`{"a":[{"ok":1,"${key}":{"polluted":true}}]}`));
      expect(problem).toEqual({ code: 'invalid_request', message: `"a.0" has the key "${key}", which is not allowed` });
    }
  });

  it('refuses nesting beyond the limit without recursion', () => {
    expect(checkJsonValue(nested(65))?.message).toContain('is nested deeper than 64 levels');
    expect(checkJsonValue(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))?.code).toBe('invalid_request');
  });

  it('refuses a value above the size budget, stopping as soon as it is spent', () => {
    expect(checkJsonValue({ s: 'x'.repeat(MAX_REQUEST_BYTES) })?.code).toBe('too_large');
    expect(checkJsonValue('x'.repeat(MAX_REQUEST_BYTES))?.code).toBe('too_large');
    expect(checkJsonValue({ s: 'x'.repeat(MAX_REQUEST_BYTES - 100) })).toBeNull();
    // A sparse array of a billion slots (IPC keeps its length) costs only the budget.
    const started = performance.now();
    expect(checkJsonValue({ holes: new Array(1e9) })?.code).toBe('too_large');
    expect(checkJsonValue(Array.from({ length: 200_000 }, () => ({})))?.code).toBe('too_large');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
