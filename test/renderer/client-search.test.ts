import { describe, expect, it } from 'vitest';
import { indexClients, searchClients } from '../../renderer/src/data/client-search.ts';
import { syntheticClients } from '../support/synthetic-clients.ts';

describe('client search', () => {
  const index = indexClients(syntheticClients(2_000));

  it('finds clients by name, by partial phone in any format, and by email', () => {
    const annas = searchClients(index, 'anna', 100);
    expect(annas.length).toBeGreaterThan(0);
    expect(annas.every((c) => `${c.firstName} ${c.lastName} ${c.email}`.toLowerCase().includes('anna'))).toBe(true);
    expect(searchClients(index, '0151 1000', 5).length).toBeGreaterThan(0);
    expect(searchClients(index, 'emma.1', 100).every((c) => c.email?.startsWith('emma.1'))).toBe(true);
  });

  it('finds a number typed with any punctuation, spaces, country prefix or trunk zero, and mixes name and phone words', () => {
    const [paula] = indexClients([{ ...syntheticClients(1)[0]!, id: 'c-paula', firstName: 'Paula', lastName: 'Pager', phone: '+491512345678' }]).map((s) => s.client);
    const one = indexClients([paula!]);
    for (const typed of ['+49 (151) 234-56-78', '0049 151 2345678', '0151/2345678', '0151 234 5678', '2345678', 'paula 0151']) {
      expect(searchClients(one, typed, 5), typed).toHaveLength(1);
    }
    expect(searchClients(one, '0151 999', 5)).toEqual([]);
    expect(searchClients(one, 'zora 0151', 5)).toEqual([]);
  });

  it('stops at the limit and answers nothing for a miss', () => {
    expect(searchClients(index, 'a', 30)).toHaveLength(30);
    expect(searchClients(index, 'zzz', 30)).toEqual([]);
  });
});
