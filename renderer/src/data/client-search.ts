/**
 * Client search for the desk: every word of the query must match the name, the phone (digits, any format typed) or
 * the email. Runs over the location's clients held live in memory — thousands of clients filter in well under a
 * frame, and a receptionist searches by any part of a phone number, which no index can serve.
 */
import type { Client } from '../../../shared/domain/client.ts';
import { clientDisplayName } from '../../../shared/domain/client.ts';

export interface SearchableClient {
  client: Client;
  name: string;
  haystack: string;
  digits: string;
}

export function indexClients(clients: readonly Client[]): SearchableClient[] {
  return clients.map((client) => {
    const name = clientDisplayName(client);
    return { client, name, haystack: `${name} ${client.email ?? ''}`.toLowerCase(), digits: (client.phone ?? '').replace(/\D/g, '') };
  });
}

export function searchClients(index: readonly SearchableClient[], query: string, limit = 50): Client[] {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return index.slice(0, limit).map((s) => s.client);
  const out: Client[] = [];
  for (const entry of index) {
    const hit = words.every((w) => {
      const digits = w.replace(/[\s()+\-./]/g, '');
      if (/^\d+$/.test(digits) && digits.length >= 3) {
        // "0151 234" and "+49151234" both find +49151234…: try the national form without the trunk zero too.
        return entry.digits.includes(digits) || (digits.startsWith('0') && entry.digits.includes(digits.slice(1)));
      }
      return entry.haystack.includes(w);
    });
    if (hit) {
      out.push(entry.client);
      if (out.length >= limit) break;
    }
  }
  return out;
}
