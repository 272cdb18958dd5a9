/**
 * A document of the book in the desk's words, for the sync status (which of the manager's documents the endpoint
 * refused): a client's name, an appointment's client and time in the location's zone, a service's or staff member's
 * name. The id when nothing better is known.
 */
import type { CollectionName } from '../../../shared/domain/collections.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';

type Doc = Record<string, unknown>;

function fullName(doc: Doc | undefined): string {
  if (!doc) return '';
  return [doc.firstName, doc.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

function wallClock(iso: unknown, timeZone: string | undefined): string {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) return '';
  try {
    // Swedish writes "2026-12-05 10:00": a form every desk reads, whatever its language.
    return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 16).replace('T', ' ');
  }
}

export async function describeDocument(db: FrontDeskDatabase, collection: CollectionName, doc: Doc): Promise<string> {
  const id = String(doc._id ?? doc.id ?? '');
  const named = (value: unknown) => (typeof value === 'string' && value !== '' ? value : id);
  switch (collection) {
    case 'clients':
      return named(fullName(doc));
    case 'staff':
    case 'services':
      return named(doc.name);
    case 'appointments': {
      const client = typeof doc.clientId === 'string' ? await db.clients.findOne(doc.clientId).exec() : null;
      const location = typeof doc.locationId === 'string' ? await db.locations.findOne(doc.locationId).exec() : null;
      const parts = [fullName(client?.toJSON() as Doc | undefined), wallClock(doc.start, location?.timeZone)].filter((part) => part !== '');
      return parts.length > 0 ? parts.join(', ') : id;
    }
    default:
      return id;
  }
}
