import { describe, expect, it } from 'vitest';
import { REMEMBERED_LOCATION_KEY, rememberedLocation, rememberLocation } from '../../renderer/src/app/remembered-location.ts';

function memoryStore(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  let writes = 0;
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      writes++;
      values.set(key, value);
    },
    writes: () => writes,
  };
}

describe('remembered location', () => {
  it('gives back the location remembered at the last start, and nothing before any', () => {
    const store = memoryStore();
    expect(rememberedLocation(store)).toBeUndefined();
    rememberLocation({ id: 'loc-2', timeZone: 'Europe/Vienna' }, store);
    expect(rememberedLocation(store)).toEqual({ id: 'loc-2', timeZone: 'Europe/Vienna' });
    rememberLocation({ id: 'loc-1', timeZone: 'Asia/Tbilisi' }, store);
    expect(rememberedLocation(store)).toEqual({ id: 'loc-1', timeZone: 'Asia/Tbilisi' });
  });

  it('writes only when the location or its zone changed', () => {
    const store = memoryStore();
    rememberLocation({ id: 'loc-1', timeZone: 'Europe/Vienna' }, store);
    rememberLocation({ id: 'loc-1', timeZone: 'Europe/Vienna' }, store);
    expect(store.writes()).toBe(1);
    rememberLocation({ id: 'loc-1', timeZone: 'Europe/Berlin' }, store);
    expect(store.writes()).toBe(2);
  });

  it('ignores a value it cannot use (another version, a hand edit) instead of guessing from it', () => {
    for (const stored of ['not json', '"loc-1"', 'null', '{"id":"loc-1"}', '{"id":"","timeZone":"Europe/Vienna"}', '{"id":1,"timeZone":"Europe/Vienna"}']) {
      expect(rememberedLocation(memoryStore({ [REMEMBERED_LOCATION_KEY]: stored }))).toBeUndefined();
    }
  });
});
