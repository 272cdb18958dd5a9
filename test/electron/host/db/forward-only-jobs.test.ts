/**
 * Sync never takes back a job's evidence of sending: on the real node:sqlite storage, a pulled version (RxDB's
 * replication-downstream write) that lacks an attempt or outcome of the desk's copy is answered as a conflict and the
 * copy stays; one that moves it forward is written; one that knows more in part is merged forward; planning's own
 * decisions still sync; the engine's own writes are not judged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevision, type RxDocumentData, type RxStorage } from 'rxdb';
import { forwardOnlyJobsStorage } from '../../../../electron/host/db/forward-only-jobs.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { validDocs } from './fixtures.ts';

const PULL = 'replication-downstream-test';
const base: Job = { ...validDocs.jobs, id: 'x', channel: 'cascade' } as Job;

let dir: string;
let db: FrontDeskDatabase;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-forward-only-'));
  db = await openFrontDeskDatabase({ storage: forwardOnlyJobsStorage(getRxStorageNodeSqlite({ directory: dir }) as unknown as RxStorage<unknown, unknown>), name: 'forwardonly' });
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const delivered = (id: string): Job => ({
  ...base,
  id,
  idempotencyKey: id,
  state: 'delivered',
  attempts: 1,
  cascade: [{ channel: 'email', scenario: 'always', state: 'delivered', at: '2026-12-03T10:00:01.000Z' }],
  updatedAt: '2026-12-03T10:00:01.000Z',
});
const planned = (id: string): Job => ({ ...base, id, idempotencyKey: id, state: 'planned', attempts: 0, cascade: [{ channel: 'email', scenario: 'always', state: 'planned' }] });

/** Writes `next` over the stored version as RxDB's replication (or another writer, by `context`) would. */
async function writeOver(id: string, next: Job, context: string) {
  const storage = db.jobs.storageInstance;
  const [previous] = await storage.findDocumentsById([id], false);
  const document = { ...next, _deleted: false, _attachments: {}, _meta: { ...previous!._meta, lwt: Date.now() }, _rev: createRevision(db.token, previous) } as RxDocumentData<Job>;
  return storage.bulkWrite([{ previous: previous!, document }], context);
}

const stored = async (id: string) => (await db.jobs.findOne(id).exec())!.toMutableJSON();

describe('a pulled version of a job', () => {
  it('that would put a delivered job back to planned is a conflict, and the job stays delivered', async () => {
    await db.jobs.insert(delivered('j1'));
    const result = await writeOver('j1', planned('j1'), PULL);
    expect(result.error.map((e) => e.status)).toEqual([409]);
    expect((await stored('j1')).state).toBe('delivered');
    expect((await stored('j1')).attempts).toBe(1);
  });

  it('that moves the job forward is written', async () => {
    await db.jobs.insert(planned('j2'));
    const result = await writeOver('j2', delivered('j2'), PULL);
    expect(result.error).toEqual([]);
    expect((await stored('j2')).state).toBe('delivered');
  });

  it('that knows more about one channel and less about another is merged forward', async () => {
    const local: Job = {
      ...planned('j3'),
      state: 'sending',
      attempts: 2,
      cascade: [
        { channel: 'email', scenario: 'always', state: 'failed', at: '2026-12-03T10:00:00.000Z' },
        { channel: 'sms', scenario: 'always', state: 'sending', at: '2026-12-03T10:00:02.000Z' },
      ],
    };
    await db.jobs.insert(local);
    const pulled: Job = { ...planned('j3'), state: 'sending', attempts: 1, cascade: [{ channel: 'email', scenario: 'always', state: 'delivered', at: '2026-12-03T10:00:01.000Z' }] };
    const result = await writeOver('j3', pulled, PULL);
    expect(result.error).toEqual([]);
    const merged = await stored('j3');
    expect(merged.attempts).toBe(2);
    expect(merged.cascade?.map((s) => [s.channel, s.state])).toEqual([
      ['email', 'delivered'],
      ['sms', 'sending'],
    ]);
  });

  it('of planning alone (a cancelled job planned again on another desk, nothing sent) is written as before', async () => {
    await db.jobs.insert({ ...planned('j5'), state: 'cancelled', cascade: [] });
    const result = await writeOver('j5', planned('j5'), PULL);
    expect(result.error).toEqual([]);
    expect((await stored('j5')).state).toBe('planned');
  });

  it('is judged only when it comes from replication: the engine’s own write is stored as it is', async () => {
    await db.jobs.insert(delivered('j4'));
    const result = await writeOver('j4', planned('j4'), 'engine-planning');
    expect(result.error).toEqual([]);
    expect((await stored('j4')).state).toBe('planned');
  });
});
