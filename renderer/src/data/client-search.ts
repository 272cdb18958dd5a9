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

/** A phone number typed in any format finds the stored E.164: "0151 234", "+49151234" and "0049 151 234" all find +49151234…. */
function phoneMatches(digits: string, typed: string): boolean {
  if (digits.includes(typed)) return true;
  if (typed.startsWith('00')) return digits.includes(typed.slice(2));
  // The national form without the trunk zero.
  return typed.startsWith('0') && digits.includes(typed.slice(1));
}

export function searchClients(index: readonly SearchableClient[], query: string, limit = 50): Client[] {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return index.slice(0, limit).map((s) => s.client);
  // A whole query that is a phone number in any punctuation ("+49 (151) 234-56-78") is matched as one number.
  const whole = query.replace(/[\s()+\-./]/g, '');
  const wholePhone = words.length > 1 && /^\d{3,}$/.test(whole) ? whole : undefined;
  const out: Client[] = [];
  for (const entry of index) {
    const hit = wholePhone !== undefined ? phoneMatches(entry.digits, wholePhone) : words.every((w) => {
      const digits = w.replace(/[\s()+\-./]/g, '');
      if (/^\d+$/.test(digits) && digits.length >= 3) return phoneMatches(entry.digits, digits);
      return entry.haystack.includes(w);
    });
    if (hit) {
      out.push(entry.client);
      if (out.length >= limit) break;
    }
  }
  return out;
}
