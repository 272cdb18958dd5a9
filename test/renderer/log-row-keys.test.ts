/**
 * The delivery log's rows keep their React keys across lists: a new filter's rows take the old rows' places, a live
 * refresh keeps each entry's key, and one after the other never gives every row a new key (a remount of each row).
 */
import { describe, expect, it } from 'vitest';
import { rowKeysFor } from '../../renderer/src/screens/delivery-log/log-table.tsx';

const list = (...ids: string[]) => ids.map((id) => ({ id }));

describe('delivery log row keys', () => {
  it('a new filter’s rows take the keys of the places they fill; places beyond the old list get new keys', () => {
    const first = rowKeysFor(undefined, list('a', 'b', 'c'), true);
    const filtered = rowKeysFor(first, list('x', 'y', 'z', 'w'), true);
    expect(filtered.keys.slice(0, 3)).toEqual(first.keys);
    expect(new Set(filtered.keys).size).toBe(4);
  });

  it('a live refresh keeps each entry’s key when newer entries come in above', () => {
    const shown = rowKeysFor(undefined, list('a', 'b', 'c'), true);
    const refreshed = rowKeysFor(shown, list('new', 'a', 'b', 'c'), false);
    expect(refreshed.keys.slice(1)).toEqual(shown.keys);
    expect(shown.keys).not.toContain(refreshed.keys[0]);
  });

  it('a filter after a live refresh updates the rows in place: every place keeps its key', () => {
    const shown = rowKeysFor(undefined, list('a', 'b', 'c'), true);
    const refreshed = rowKeysFor(shown, list('new', 'a', 'b'), false);
    const filtered = rowKeysFor(refreshed, list('x', 'y', 'z'), true);
    expect(filtered.keys).toEqual(refreshed.keys);
  });

  it('keys stay unique when an entry comes back after its key went to another entry by place', () => {
    const shown = rowKeysFor(undefined, list('a', 'b'), true);
    const filtered = rowKeysFor(shown, list('b', 'c'), true);
    const refreshed = rowKeysFor(filtered, list('a', 'b', 'c'), false);
    expect(new Set(refreshed.keys).size).toBe(3);
    expect(refreshed.keys.slice(1)).toEqual(filtered.keys);
  });
});
