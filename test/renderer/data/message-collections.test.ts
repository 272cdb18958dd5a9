import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collections } from '../../../shared/domain/collections.ts';
import type { Job } from '../../../shared/domain/job.ts';
import { leaseMessageCollections, MESSAGE_COLLECTIONS_IDLE_MS, openedMessagesDatabase, PREFETCH_ONLY_IDLE_MS, START_COLLECTIONS, type MessagesDatabase, type PageDatabase } from '../../../renderer/src/data/database.ts';
import { visitJobsQuery } from '../../../renderer/src/data/queries.ts';

let dbCount = 0;

/** A page database on memory storage, opened as the page opens it: the start collections only. */
async function pageDatabase(): Promise<PageDatabase> {
  const db = await createRxDatabase({ name: `message-collections-${dbCount++}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.addCollections(Object.fromEntries(START_COLLECTIONS.map((name) => [name, { ...collections[name], autoMigrate: false }])));
  return db as unknown as PageDatabase;
}

/** Enough of a job for the jobs collection's indexes (the page database validates nothing). */
function job(id: string, subjectId: string): Job {
  return { id, subjectId, state: 'planned', dueAt: '2026-12-03T10:00:00.000Z' } as unknown as Job;
}

/** The ids a live query of the visit's jobs shows once it has seen `expected`. */
function liveJobIds(db: MessagesDatabase, subjectId: string) {
  let last: string[] = [];
  const subscription = visitJobsQuery(db, subjectId).$.subscribe((jobs) => (last = jobs.map((j) => j.id)));
  return {
    shows: (expected: string[]) => vi.waitFor(() => expect(last).toEqual(expected)),
    stop: () => subscription.unsubscribe(),
  };
}

/** Lets the fake clock run (RxDB's close waits for its idle queue's timers too) until `done` holds. */
async function advanceUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await vi.advanceTimersByTimeAsync(50);
  expect(done()).toBe(true);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the page database\'s message collections (jobs, delivery_log)', () => {
  it('are not open at start, open on a lease, stay open while leased and close after being unused for the idle time', async () => {
    const db = await pageDatabase();
    expect(Object.keys(db.collections)).not.toContain('jobs');
    expect(Object.keys(db.collections)).not.toContain('delivery_log');

    const lease = leaseMessageCollections(db);
    const messagesDb = await lease.ready;
    expect(Object.keys(messagesDb.collections)).toEqual(expect.arrayContaining(['jobs', 'delivery_log']));
    expect(openedMessagesDatabase(db)).toBe(messagesDb);
    const live = liveJobIds(messagesDb, 'visit-1');
    await messagesDb.jobs.insert(job('job-1', 'visit-1'));
    await live.shows(['job-1']);
    live.stop();

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    lease.release();
    lease.release(); // a second release of the same lease counts once
    await vi.advanceTimersByTimeAsync(MESSAGE_COLLECTIONS_IDLE_MS - 1000);
    expect(db.collections).toHaveProperty('jobs');
    // A screen that takes them again before the idle time is over keeps them: the pending close is called off.
    const second = leaseMessageCollections(db);
    await vi.advanceTimersByTimeAsync(MESSAGE_COLLECTIONS_IDLE_MS * 2);
    expect(db.collections).toHaveProperty('jobs');
    expect(await second.ready).toBe(messagesDb);
    second.release();
    await vi.advanceTimersByTimeAsync(MESSAGE_COLLECTIONS_IDLE_MS);
    await advanceUntil(() => !('jobs' in db.collections));
    vi.useRealTimers();
    expect(db.collections).not.toHaveProperty('delivery_log');
    expect(openedMessagesDatabase(db)).toBeUndefined();
    await db.close();
  });

  it('open again after they closed, with queries live on the new collections', async () => {
    const db = await pageDatabase();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const first = leaseMessageCollections(db);
    const firstJobs = (await first.ready).jobs;
    first.release();
    await vi.advanceTimersByTimeAsync(MESSAGE_COLLECTIONS_IDLE_MS);
    // Leased again while the close is under way: the new lease waits for it, then opens them anew.
    expect(firstJobs.closed).toBe(true);
    const again = leaseMessageCollections(db);
    let messagesDb: MessagesDatabase | undefined;
    void again.ready.then((opened) => (messagesDb = opened));
    await advanceUntil(() => messagesDb !== undefined);
    vi.useRealTimers();
    if (!messagesDb) throw new Error('not opened');
    expect(firstJobs.closed).toBe(true);
    expect(messagesDb.jobs).not.toBe(firstJobs);
    expect(messagesDb.jobs.closed).toBe(false);
    const live = liveJobIds(messagesDb, 'visit-2');
    await live.shows([]);
    await messagesDb.jobs.insert(job('job-2', 'visit-2'));
    await live.shows(['job-2']);
    live.stop();
    again.release();
    await db.close();
  });

  it('opened by prefetches only, close after the prefetch idle time; held by a screen meanwhile, after the screens\' one', async () => {
    expect(PREFETCH_ONLY_IDLE_MS).toBeLessThan(MESSAGE_COLLECTIONS_IDLE_MS);
    const db = await pageDatabase();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // A pointer over two visits: two prefetches, one after the other; the idle time counts from the last.
    const hovered = leaseMessageCollections(db, 'prefetch');
    await hovered.ready;
    hovered.release();
    await vi.advanceTimersByTimeAsync(PREFETCH_ONLY_IDLE_MS - 1000);
    const next = leaseMessageCollections(db, 'prefetch');
    await next.ready;
    next.release();
    await vi.advanceTimersByTimeAsync(PREFETCH_ONLY_IDLE_MS - 1000);
    expect(db.collections).toHaveProperty('jobs');
    await vi.advanceTimersByTimeAsync(1000);
    await advanceUntil(() => !('jobs' in db.collections));

    // Prefetched, then a card: the card's lease makes the screens' idle time apply, also after a later prefetch.
    const prefetch = leaseMessageCollections(db, 'prefetch');
    const card = leaseMessageCollections(db);
    await card.ready;
    prefetch.release();
    card.release();
    const later = leaseMessageCollections(db, 'prefetch');
    await later.ready;
    later.release();
    await vi.advanceTimersByTimeAsync(MESSAGE_COLLECTIONS_IDLE_MS - 1000);
    expect(db.collections).toHaveProperty('jobs');
    await vi.advanceTimersByTimeAsync(1000);
    await advanceUntil(() => !('jobs' in db.collections));

    // Opened anew by a prefetch alone: the prefetch idle time again.
    const again = leaseMessageCollections(db, 'prefetch');
    let reopened = false;
    void again.ready.then(() => (reopened = true));
    await advanceUntil(() => reopened);
    again.release();
    await vi.advanceTimersByTimeAsync(PREFETCH_ONLY_IDLE_MS);
    await advanceUntil(() => !('jobs' in db.collections));
    vi.useRealTimers();
    await db.close();
  });
});
