/**
 * The dispatch scope of a pass (engine-store.ts): the due and next-due queries leave out other desks' desktop toasts,
 * keep toasts of no desk (planned before toasts had desks) and every other channel, and with `onlyDeskToasts` answer
 * this desk's toasts alone — on RxDB's memory storage and on our node:sqlite storage, whose index scans must agree.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxStorage } from 'rxdb';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { EngineStore } from '../../../../electron/host/engine/engine-store.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { jobId, type Job } from '../../../../shared/domain/job.ts';
import { desktopOccasion } from '../../../../shared/engine/team-events.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { LOCATION_ID, T0 } from './support/harness.ts';

const tmp = tempDir('dispatch-scope');
afterAll(() => tmp.dispose());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
type AnyStorage = RxStorage<any, any>;
let dbCounter = 0;

function job(occasion: string, channel: Job['channel'], dueAt: number, state: Job['state'] = 'planned'): Job {
  const parts = { type: 'cancellation' as const, subjectId: 'cancellation|a1|2026-11-23T09:00:00.000Z', occasion, channel };
  const id = jobId(parts);
  const stamp = new Date(T0).toISOString();
  return { id, locationId: LOCATION_ID, ...parts, subjectKind: 'teamEvent', dueAt, state, attempts: 0, idempotencyKey: id, createdAt: stamp, updatedAt: stamp };
}

const storages: [string, () => AnyStorage][] = [
  ['memory', () => getRxStorageMemory()],
  ['node:sqlite', () => getRxStorageNodeSqlite({ directory: tmp.dir })],
];

describe.each(storages)('the dispatch scope on %s storage', (_name, storage) => {
  it('leaves out other desks’ toasts, and answers this desk’s alone while it may send nothing else', async () => {
    const db = await openFrontDeskDatabase({ storage: storage(), name: `scope${++dbCounter}`, multiInstance: false });
    try {
      const store = new EngineStore(db);
      const otherDesks = job(desktopOccasion('s1', 'desk-b'), 'desktop', T0 - 3_000);
      const oddStaffId = job(desktopOccasion('s@1', 'desk-c'), 'desktop', T0 - 2_500);
      const own = job(desktopOccasion('s1', 'desk-a'), 'desktop', T0 - 1_000);
      const noDesk = job('s2', 'desktop', T0 - 2_000);
      const email = job('s1', 'email', T0 - 1_500, 'sent');
      const later = job(desktopOccasion('s2', 'desk-a'), 'desktop', T0 + 5_000);
      await db.jobs.bulkInsert([otherDesks, oddStaffId, own, noDesk, email, later]);
      const ids = (jobs: Job[]) => jobs.map((j) => j.id);

      expect(ids(await store.dueJobs(T0, 10))).toEqual(ids([otherDesks, oddStaffId, noDesk, email, own]));
      expect(ids(await store.dueJobs(T0, 10, { desk: 'desk-a', onlyDeskToasts: false }))).toEqual(ids([noDesk, email, own]));
      expect(ids(await store.dueJobs(T0, 10, { desk: 'desk-a', onlyDeskToasts: true }))).toEqual(ids([own]));
      expect(ids(await store.dueJobs(T0, 10, { desk: 'desk-b', onlyDeskToasts: true }))).toEqual(ids([otherDesks]));
      expect(await store.nextDueAt({ desk: 'desk-a', onlyDeskToasts: false })).toBe(noDesk.dueAt);
      expect(await store.nextDueAt({ desk: 'desk-a', onlyDeskToasts: true })).toBe(own.dueAt);
      expect(await store.nextDueAt({ desk: 'desk-z', onlyDeskToasts: true })).toBeUndefined();
      expect(await store.nextDueAt()).toBe(otherDesks.dueAt);
    } finally {
      await db.remove();
    }
  });
});
