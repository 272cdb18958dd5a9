/** Newest-first pages of the delivery log, filtered (newest-first.ts walks back in time on the log's indexes). */
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import { newestFirst } from './newest-first.ts';

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
  return newestFirst<DeliveryLogEntry>(db.delivery_log, {
    equality, limit: query.limit, now: query.now, ...(query.fromMs !== undefined ? { fromMs: query.fromMs } : {}), ...(query.toMs !== undefined ? { toMs: query.toMs } : {}),
  });
}
