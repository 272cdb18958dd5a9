import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collections } from '../../../shared/domain/collections.ts';
import type { Job } from '../../../shared/domain/job.ts';
import { leaseMessageCollections, START_COLLECTIONS, type MessagesDatabase, type PageDatabase } from '../../../renderer/src/data/database.ts';
import { DIRECT_ANSWER_FRESH_MS, directAnswer, onDirectAnswer, readDirectly } from '../../../renderer/src/data/direct-read.ts';
import { visitJobsQuery } from '../../../renderer/src/data/queries.ts';

let dbCount = 0;

async function messagesDatabase(): Promise<{ db: PageDatabase; messagesDb: MessagesDatabase; release(): void }> {
  const db = (await createRxDatabase({ name: `direct-read-${dbCount++}`, storage: getRxStorageMemory(), multiInstance: false })) as unknown as PageDatabase;
  await db.addCollections(Object.fromEntries(START_COLLECTIONS.map((name) => [name, { ...collections[name], autoMigrate: false }])));
  const lease = leaseMessageCollections(db);
  return { db, messagesDb: await lease.ready, release: () => lease.release() };
}

function job(id: string, subjectId: string): Job {
  return { id, subjectId, state: 'planned', dueAt: '2026-12-03T10:00:00.000Z' } as unknown as Job;
}

/**
 * Counts the jobs storage's queries; the first one's answer comes after a job of another visit was written (as the
 * engine writes while the page's query is out).
 */
function writeDuringFirstQuery(messagesDb: MessagesDatabase): { queries: () => number; again(): void } {
  const storage = messagesDb.jobs.storageInstance;
  const query = storage.query.bind(storage);
  let count = 0;
  let written = 0;
  storage.query = async (prepared) => {
    count++;
    const answer = await query(prepared);
    if (count === 1) await messagesDb.jobs.insert(job(`job-other-${written++}`, 'visit-other'));
    return answer;
  };
  return { queries: () => count, again: () => void (count = 0) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('direct reads of a live query\'s selector', () => {
  it('answer from one storage query where RxDB\'s own query runs again after a change that came in meanwhile', async () => {
    const { db, messagesDb, release } = await messagesDatabase();
    await messagesDb.jobs.insert(job('job-1', 'visit-1'));
    await messagesDb.jobs.insert(job('job-2', 'visit-2'));

    const storage = writeDuringFirstQuery(messagesDb);
    const own = await visitJobsQuery(messagesDb, 'visit-1').exec();
    expect(own.map((j) => j.id)).toEqual(['job-1']);
    // What the direct read is for: RxDB asked the storage a second time (after a 20 ms pause).
    expect(storage.queries()).toBe(2);

    storage.again();
    const query = visitJobsQuery(messagesDb, 'visit-2');
    let heard = 0;
    const stop = onDirectAnswer(query, () => heard++);
    const documents = await readDirectly(query);
    stop();
    expect(storage.queries()).toBe(1);
    expect(documents.map((d) => d.id)).toEqual(['job-2']);
    expect(heard).toBe(1);
    // The live query of the same selector is the same object (RxDB's query cache): it finds the answer, as documents
    // of the collection's cache (the live query's own answer later brings the same objects).
    const held = directAnswer(visitJobsQuery(messagesDb, 'visit-2'));
    expect(held).toBe(documents);
    const live = await visitJobsQuery(messagesDb, 'visit-2').exec();
    expect(live[0]).toBe(documents[0]);

    // Not shown once it is old.
    const now = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(now + DIRECT_ANSWER_FRESH_MS + 1);
    expect(directAnswer(query)).toBeUndefined();
    vi.restoreAllMocks();

    release();
    await db.close();
  });

  it('is no longer shown once a change touches it: a document it holds, or one its selector matches now', async () => {
    const { db, messagesDb, release } = await messagesDatabase();
    await messagesDb.jobs.insert(job('job-1', 'visit-1'));
    await messagesDb.jobs.insert(job('job-2', 'visit-2'));
    const query = visitJobsQuery(messagesDb, 'visit-1');
    await readDirectly(query);
    expect(directAnswer(query)?.length).toBe(1);

    // The engine at work on other visits: the answer stays.
    await messagesDb.jobs.insert(job('job-3', 'visit-2'));
    await messagesDb.jobs.findOne('job-2').incrementalPatch({ state: 'sent' } as Partial<Job>);
    expect(directAnswer(query)?.length).toBe(1);

    // The visit's own job sent meanwhile: the answer would show it planned.
    await messagesDb.jobs.findOne('job-1').incrementalPatch({ state: 'sent' } as Partial<Job>);
    expect(directAnswer(query)).toBeUndefined();

    // Read again, then a new job for the visit: the answer would miss it.
    await readDirectly(query);
    expect(directAnswer(query)?.length).toBe(1);
    await messagesDb.jobs.insert(job('job-4', 'visit-1'));
    expect(directAnswer(query)).toBeUndefined();
    expect((await readDirectly(query)).map((j) => j.id).sort()).toEqual(['job-1', 'job-4']);
    expect(directAnswer(query)?.length).toBe(2);

    release();
    await db.close();
  });
});
