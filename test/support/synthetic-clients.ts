/** Deterministic synthetic clients for search tests and the search benchmark: names, phones and emails that overlap. */
import type { Client } from '../../shared/domain/client.ts';

const FIRST = ['Anna', 'Maria', 'Sophie', 'Lena', 'Olga', 'Irina', 'Jonas', 'Lukas', 'Felix', 'Emma', 'Mia', 'Hannah', 'Natalia', 'Paul', 'Tim'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Ivanova', 'Petrova', 'Smirnova', 'Keller', 'Hoffmann'];

export function syntheticClients(count: number): Client[] {
  return Array.from({ length: count }, (_, i) => {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = `${LAST[(i * 7) % LAST.length]!}${i % 3 === 0 ? '' : `-${i}`}`;
    return {
      id: `cli-${i}`,
      locationId: 'loc-1',
      firstName,
      lastName,
      phone: `+49151${String(10_000_000 + i * 37).slice(0, 8)}`,
      email: `${firstName.toLowerCase()}.${i}@example.org`,
      language: 'en',
      apps: { aggregator: false },
      optOuts: [],
      marketingConsent: false,
      loyaltyPoints: 0,
      createdAt: '2024-01-01T00:00:00.000Z',
    } satisfies Client;
  });
}

/** What a receptionist types, one keystroke at a time: names, partial phones in any format, emails, misses. */
export const TYPED_QUERIES = ['a', 'an', 'ann', 'anna', 'anna m', 'anna mü', 'w', 'we', 'web', 'weber', '0151', '0151 1000', '+49 151 100', 'emma.1', 'zzz', 'petrova 12', 'ivan', 'tim k'];
