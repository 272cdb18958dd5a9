/** The windowed newest-first walk must return exactly what RxDB's own descending query returns. */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestLogEntries } from '../../../../electron/host/api/log-query.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { createRandom } from '../../../../shared/demo/prng.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';

const NOW = Date.UTC(2026, 10, 23, 9);
const DAY = 86_400_000;
let db: FrontDeskDatabase;

beforeAll(async () => {
  db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `log-query-${Date.now()}`, multiInstance: false });
  const rnd = createRandom(7);
  const statuses = ['sent', 'delivered', 'failed', 'sandboxed', 'uncertain'] as const;
  const entries: DeliveryLogEntry[] = Array.from({ length: 3000 }, (_, i) => {
    // Mostly recent, some old, some ahead of now, and deliberate ties on atMs.
    const atMs = i % 50 === 0 ? NOW + rnd.int(0, 3_600_000) : NOW - Math.floor(rnd.next() ** 3 * 120 * DAY) - (i % 7 === 0 ? 0 : rnd.int(0, 1000));
    const status = statuses[rnd.int(0, statuses.length - 1)]!;
    return {
      id: `e${i}`, locationId: 'loc1', jobId: `job${i % 300}`, type: i % 3 === 0 ? 'reminder' : 'bookingConfirmation', channel: i % 2 === 0 ? 'email' : 'sms',
      recipient: 'x', status, clientId: `c${i % 40}`, at: new Date(atMs).toISOString(), atMs,
    };
  });
  await db.delivery_log.bulkInsert(entries);
});
afterAll(async () => {
  await db.remove();
});

async function viaRxdb(selector: Record<string, unknown>, limit: number): Promise<string[]> {
  return (await db.delivery_log.find({ selector, sort: [{ atMs: 'desc' }], limit }).exec()).map((d) => d.id);
}

describe('newest-first delivery log pages', () => {
  it.each([
    [{}, 200],
    [{ status: 'uncertain' }, 200],
    [{ type: 'reminder', channel: 'sms' }, 50],
    [{ clientId: 'c7' }, 1000],
    [{ status: 'failed' }, 5000],
  ])('match RxDB for %j (limit %i)', async (filters, limit) => {
    const mine = await newestLogEntries(db, { filters: filters as Record<string, string>, limit, now: NOW });
    expect(mine.map((e) => e.id)).toEqual(await viaRxdb(filters, limit));
  });

  it('honours a time range', async () => {
    const fromMs = NOW - 30 * DAY;
    const toMs = NOW - 2 * DAY;
    const mine = await newestLogEntries(db, { filters: { channel: 'email' }, fromMs, toMs, limit: 100, now: NOW });
    expect(mine.map((e) => e.id)).toEqual(await viaRxdb({ channel: 'email', atMs: { $gte: fromMs, $lte: toMs } }, 100));
    expect(mine.every((e) => e.atMs >= fromMs && e.atMs <= toMs)).toBe(true);
  });
});
