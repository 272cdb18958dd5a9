/** A day switch reuses a column's block elements; within a day a visit keeps its own element. */
import { describe, expect, it } from 'vitest';
import { assignBlockKeys } from '../../renderer/src/screens/calendar/block-keys.ts';

const keysOf = (keys: ReturnType<typeof assignBlockKeys>, ids: readonly string[]) => ids.map((id) => keys.byId.get(id));

describe('assignBlockKeys', () => {
  it('hands a new date the previous date\'s keys in order, and new keys beyond them', () => {
    const monday = assignBlockKeys(undefined, '2026-12-07', ['a', 'b']);
    expect(keysOf(monday, ['a', 'b'])).toEqual(['b0', 'b1']);
    const tuesday = assignBlockKeys(monday, '2026-12-08', ['c', 'd', 'e']);
    expect(keysOf(tuesday, ['c', 'd', 'e'])).toEqual(['b0', 'b1', 'b2']);
    const wednesday = assignBlockKeys(tuesday, '2026-12-09', ['f']);
    expect(keysOf(wednesday, ['f'])).toEqual(['b0']);
  });

  it('keeps a visit\'s key within a date, and never gives a new visit the key of one that left', () => {
    const first = assignBlockKeys(undefined, '2026-12-07', ['a', 'b', 'c']);
    // b was cancelled elsewhere and x booked before a: a and c keep their elements, x gets one never used that day.
    const second = assignBlockKeys(first, '2026-12-07', ['x', 'a', 'c']);
    expect(keysOf(second, ['x', 'a', 'c'])).toEqual(['b3', 'b0', 'b2']);
    const third = assignBlockKeys(second, '2026-12-07', ['x', 'a', 'c', 'y']);
    expect(keysOf(third, ['x', 'a', 'c', 'y'])).toEqual(['b3', 'b0', 'b2', 'b4']);
  });

  it('gives every visit of a date a different key', () => {
    let keys = assignBlockKeys(undefined, '2026-12-07', ['a', 'b', 'c', 'd']);
    keys = assignBlockKeys(keys, '2026-12-07', ['b', 'e']);
    keys = assignBlockKeys(keys, '2026-12-08', ['f', 'g', 'h', 'i', 'j']);
    expect(new Set(keys.byId.values()).size).toBe(5);
  });
});
