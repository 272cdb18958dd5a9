/**
 * The desk's storage refuses the late echo of its own earlier push on the real node:sqlite storage, composed as the
 * runtime composes it (own echoes over forward-only jobs): a job this desk cancelled after planning it stays cancelled
 * when RxDB writes the `planned` version the feed handed over before the cancellation was pushed. Forward-only jobs
 * alone writes it (planning's own decisions sync either way), which is how the cancelled job read `planned`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevision, type RxDocumentData, type RxStorage } from 'rxdb';
import { forwardOnlyJobsStorage } from '../../../../electron/host/db/forward-only-jobs.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { OwnEchoes, ownEchoStorage, type EchoTracker } from '../../../../electron/host/sync/own-echoes.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { validDocs } from '../db/fixtures.ts';

const PULL = 'replication-downstream-test';
const base: Job = { ...validDocs.jobs, id: 'x', channel: 'cascade' } as Job;

let dir: string;
let db: FrontDeskDatabase;
let tracker: EchoTracker;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-own-echo-'));
  const echoes = new OwnEchoes();
  tracker = echoes.track('jobs').tracker;
  const sqlite = getRxStorageNodeSqlite({ directory: dir }) as unknown as RxStorage<unknown, unknown>;
  db = await openFrontDeskDatabase({ storage: ownEchoStorage(forwardOnlyJobsStorage(sqlite), echoes), name: 'ownecho' });
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const planned = (id: string): Job => ({ ...base, id, idempotencyKey: id, state: 'planned', attempts: 0, cascade: [{ channel: 'email', scenario: 'always', state: 'planned' }] });
const cancelled = (id: string): Job => ({ ...planned(id), state: 'cancelled', cascade: [] });

/** The job as the feed hands it over: CouchDB's form. */
function fromFeed(job: Job, rev: string): Record<string, unknown> {
  const { id, ...fields } = job;
  return { _id: id, _rev: rev, ...fields };
}

/** Writes `next` over the stored version as RxDB's replication writes a pulled document. */
async function pullOver(id: string, next: Job) {
  const storage = db.jobs.storageInstance;
  const [previous] = await storage.findDocumentsById([id], false);
  const document = { ...next, _deleted: false, _attachments: {}, _meta: { ...previous!._meta, lwt: Date.now() }, _rev: createRevision(db.token, previous) } as RxDocumentData<Job>;
  return storage.bulkWrite([{ previous: previous!, document }], PULL);
}

const stored = async (id: string) => (await db.jobs.findOne(id).exec())!.toMutableJSON();

describe('the echo of this desk’s own push of a job', () => {
  it('written after the desk pushed the job again is a conflict, and the job stays as the desk last pushed it', async () => {
    await db.jobs.insert(planned('j1'));
    tracker.pushed('j1', '1-a');
    tracker.handed(fromFeed(planned('j1'), '1-a'));
    await (await db.jobs.findOne('j1').exec())!.incrementalPatch({ state: 'cancelled', cascade: [] });
    tracker.pushed('j1', '2-b');
    const result = await pullOver('j1', planned('j1'));
    expect(result.error.map((e) => e.status)).toEqual([409]);
    expect((await stored('j1')).state).toBe('cancelled');
  });

  it('is written when handed over at or above the desk’s latest push of the job (another desk planned it again since)', async () => {
    await db.jobs.insert(cancelled('j2'));
    tracker.pushed('j2', '1-a');
    tracker.handed(fromFeed(planned('j2'), '2-c'));
    expect((await pullOver('j2', planned('j2'))).error).toEqual([]);
    expect((await stored('j2')).state).toBe('planned');
  });
});
