/**
 * Newest-first pages of the delivery log. RxDB plans index walks in ascending order only, so `sort: atMs desc`
 * reads the whole log (about a second at 100k entries). Instead this walks back in time: each window is an
 * ascending range on the atMs index, and the window grows fourfold until the page is full or the log's start is
 * reached — a page of recent entries reads a few windows, not the whole log.
 */
import type { MangoQuerySelector } from 'rxdb';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';

const FIRST_WINDOW_MS = 6 * 3_600_000;

export interface LogQuery {
  /** Equality filters: type, channel, status, clientId, appointmentId, locationId. */
  filters: Readonly<Record<string, string | undefined>>;
  fromMs?: number;
  toMs?: number;
  limit: number;
  now: number;
}

export async function newestLogEntries(db: FrontDeskDatabase, query: LogQuery): Promise<DeliveryLogEntry[]> {
  const equality: Record<string, string> = {};
  for (const [key, value] of Object.entries(query.filters)) if (value !== undefined) equality[key] = value;
  const oldest = (await db.delivery_log.findOne({ selector: { atMs: { $gte: query.fromMs ?? 0 } }, sort: [{ atMs: 'asc' }] }).exec())?.atMs;
  if (oldest === undefined) return [];
  const found: DeliveryLogEntry[] = [];
  // `hi` is the exclusive top of the next window; the first window is open upwards (entries stamped ahead of now).
  let hi: number | undefined = query.toMs === undefined ? undefined : query.toMs + 1;
  let span = FIRST_WINDOW_MS;
  while (found.length < query.limit) {
    const lo = Math.max(oldest, (hi ?? query.now) - span);
    const atMs = { $gte: lo, ...(hi !== undefined ? { $lt: hi } : {}) };
    const docs = await db.delivery_log.find({ selector: { ...equality, atMs } as MangoQuerySelector<DeliveryLogEntry>, sort: [{ atMs: 'asc' }] }).exec();
    for (const doc of docs) found.push(doc.toMutableJSON());
    if (lo <= oldest) break;
    hi = lo;
    span *= 4;
  }
  // The order RxDB gives a descending sort: newest first, ties by id ascending.
  found.sort((a, b) => b.atMs - a.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return found.slice(0, query.limit);
}
