/**
 * delivery_log v2 → v3: indexes for the filters by client, by visit and by channel. A data folder written before opens
 * with every entry unchanged (node:sqlite, as the host stores it), and those filters — a client card's messages, the
 * log's "only this client" and visit links, a channel filter — are index ranges, not walks over the whole log.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { newestLogEntries } from '../../../../electron/host/api/log-query.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { deliveryLogSchemaV2, type DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { validDocs } from './fixtures.ts';
import { writeOlderBook } from './older-book.ts';

const tmp = tempDir('log-migration');
afterAll(() => tmp.dispose());

const base = validDocs.delivery_log;
const entry = (id: string, atMs: number, fields: Partial<DeliveryLogEntry>): DeliveryLogEntry => ({ ...base, id, atMs, at: new Date(atMs).toISOString(), ...fields });

describe('delivery_log schema versions', () => {
  it('opens v2 entries unchanged, and its filters by client, visit and channel are index ranges', async () => {
    const entries = [
      entry('d1', base.atMs, {}),
      entry('d2', base.atMs + 1000, { clientId: 'c2', appointmentId: 'a2', channel: 'sms', recipient: '+491511234567' }),
      entry('d3', base.atMs + 2000, { clientId: 'c2', channel: 'sms', recipient: '+491511234567', type: 'birthdayGreeting' }),
    ];
    await writeOlderBook(tmp.dir, 'delivery_log', deliveryLogSchemaV2, entries);

    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: tmp.dir }), name: 'frontdesk', devMode: true, multiInstance: false });
    try {
      expect((await db.delivery_log.find({ sort: [{ atMs: 'asc' }] }).exec()).map((d) => d.toJSON())).toEqual(entries);
      const now = base.atMs + 60_000;
      const ids = async (filters: Record<string, string>) => (await newestLogEntries(db, { filters, limit: 50, now })).map((e) => e.id);
      expect(await ids({ clientId: 'c2' })).toEqual(['d3', 'd2']);
      expect(await ids({ appointmentId: 'a1' })).toEqual(['d3', 'd1']);
      expect(await ids({ channel: 'sms', type: 'birthdayGreeting' })).toEqual(['d3']);
      expect(await ids({ channel: 'telegram' })).toEqual([]);

      // How log-query.ts asks (an atMs window, ascending): each filter walks its own index, the most selective one.
      const indexOf = (selector: Record<string, unknown>) => db.delivery_log.find({ selector: { ...selector, atMs: { $gte: 0, $lt: now } }, sort: [{ atMs: 'asc' }] }).getPreparedQuery().queryPlan.index;
      expect(indexOf({ clientId: 'c2' })).toContain('clientId');
      expect(indexOf({ appointmentId: 'a2', locationId: base.locationId })).toContain('appointmentId');
      expect(indexOf({ channel: 'telegram' })).toContain('channel');
      expect(indexOf({ channel: 'sms', type: 'birthdayGreeting' })).toContain('type');
      expect(indexOf({ clientId: 'c2', type: 'birthdayGreeting' })).toContain('clientId');
    } finally {
      await db.close();
    }
  });
});
