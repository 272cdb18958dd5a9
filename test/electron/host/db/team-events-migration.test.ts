/**
 * team_events v5 → v6: indexes for the unread events, newest first. A data folder written before opens with every
 * event unchanged (node:sqlite, as the host stores it); the unread badge's and the center's lists come newest first
 * through them, and the unread count is a count over one of their ranges.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { newestFirst } from '../../../../electron/host/api/newest-first.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { teamEventSchemaV5, type TeamEvent } from '../../../../shared/domain/team-event.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { validDocs } from './fixtures.ts';
import { writeOlderBook } from './older-book.ts';

const tmp = tempDir('team-events-migration');
afterAll(() => tmp.dispose());

const base = validDocs.team_events;
const event = (id: string, minutes: number, fields: Partial<TeamEvent>): TeamEvent => {
  const atMs = base.atMs + minutes * 60_000;
  return { ...base, id, atMs, at: new Date(atMs).toISOString(), ...fields };
};

describe('team_events schema versions', () => {
  it('opens v5 events unchanged; unread and all come newest first on the new indexes', async () => {
    const events = [
      event('e1', 0, {}),
      event('e2', 10, { read: true, readBy: ['desk-1'] }),
      event('e3', 20, { locationId: 'loc2' }),
      event('e4', 30, {}),
      event('e5', 40, { read: true, readBy: ['desk-1'] }),
    ];
    await writeOlderBook(tmp.dir, 'team_events', teamEventSchemaV5, events);

    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: tmp.dir }), name: 'frontdesk', devMode: true, multiInstance: false });
    try {
      expect((await db.team_events.find({ sort: [{ atMs: 'asc' }] }).exec()).map((d) => d.toJSON())).toEqual(events);
      const now = base.atMs + 3_600_000;
      const ids = async (equality: Record<string, unknown>, limit = 50) => (await newestFirst<TeamEvent>(db.team_events, { equality, limit, now })).map((e) => e.id);
      expect(await ids({ locationId: 'loc1', read: false })).toEqual(['e4', 'e1']);
      expect(await ids({ locationId: 'loc1', read: false }, 1)).toEqual(['e4']);
      expect(await ids({ read: false })).toEqual(['e4', 'e3', 'e1']);
      expect(await ids({ locationId: 'loc1' })).toEqual(['e5', 'e4', 'e2', 'e1']);
      expect(await db.team_events.count({ selector: { locationId: 'loc1', read: false } }).exec()).toBe(2);

      const indexOf = (selector: Record<string, unknown>) => db.team_events.find({ selector: { ...selector, atMs: { $gte: 0, $lt: now } }, sort: [{ atMs: 'asc' }] }).getPreparedQuery().queryPlan.index;
      expect(indexOf({ locationId: 'loc1', read: false })).toEqual(expect.arrayContaining(['locationId', 'read', 'atMs']));
      expect(indexOf({ read: false })).toEqual(expect.arrayContaining(['read', 'atMs']));
      expect(db.team_events.count({ selector: { locationId: 'loc1', read: false } }).getPreparedQuery().queryPlan.index).toEqual(expect.arrayContaining(['locationId', 'read']));
    } finally {
      await db.close();
    }
  });
});
