/**
 * holdWriteGroup (storage/write-group.ts): a write group kept open across several writes of its owner, with the
 * owner's own work between them (a whole-book plan), committed when the owner says so; writes from elsewhere wait
 * for that commit and let the owner know they wait.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { holdWriteGroup } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { tempDir } from './storage-fixtures.ts';
import { committedIds, doc, openPair, tick } from './write-group-fixtures.ts';

const tmp = tempDir('held-write-group');
afterAll(() => tmp.dispose());

describe('holdWriteGroup', () => {
  it('commits the writes of several runs once, at commit, and emits their changes after it', async () => {
    const { jobs, log, filePath, close } = await openPair(tmp.dir, 'held');
    const events: string[] = [];
    const sub = jobs.changeStream().subscribe((bulk) => events.push(...bulk.events.map((e) => e.documentId)));
    try {
      const held = await holdWriteGroup(jobs, { rederivable: true });
      await held.run(async () => {
        expect((await jobs.bulkWrite([doc('j1')], 'test')).error).toEqual([]);
      });
      // The owner's own work between runs: reads see the group's writes, nothing is committed yet.
      await tick();
      expect((await jobs.findDocumentsById(['j1'], false)).map((d) => d.id)).toEqual(['j1']);
      await held.run(async () => {
        await jobs.bulkWrite([doc('j2', 2)], 'test');
        await log.bulkWrite([doc('e2', 2)], 'test');
      });
      expect(committedIds(filePath, 'jobs')).toEqual([]);
      expect(events).toEqual([]);
      expect(held.othersWaiting).toBe(false);
      held.commit();
      expect(committedIds(filePath, 'jobs')).toEqual(['j1', 'j2']);
      expect(committedIds(filePath, 'log')).toEqual(['e2']);
      expect(events).toEqual(['j1', 'j2']);
      await expect(held.run(() => jobs.bulkWrite([doc('j3', 3)], 'test'))).rejects.toThrow(/has ended/);
    } finally {
      sub.unsubscribe();
      await close();
    }
  });

  it('makes a write from elsewhere wait for the commit, and tells the owner that it waits', async () => {
    const { jobs, log, filePath, close } = await openPair(tmp.dir, 'waiting');
    try {
      const held = await holdWriteGroup(jobs);
      await held.run(() => jobs.bulkWrite([doc('j1')], 'test'));
      let outsideDone = false;
      const outside = log.bulkWrite([doc('desk-entry')], 'desk').then((result) => ((outsideDone = true), result));
      await tick();
      expect(outsideDone).toBe(false);
      expect(held.othersWaiting).toBe(true);
      // Its writes are not part of the group's transaction: the group still has only its own.
      await held.run(() => jobs.bulkWrite([doc('j2', 2)], 'test'));
      held.commit();
      expect(await outside).toEqual({ error: [] });
      expect(committedIds(filePath, 'jobs')).toEqual(['j1', 'j2']);
      expect(committedIds(filePath, 'log')).toEqual(['desk-entry']);
    } finally {
      await close();
    }
  });

  it('keeps a write that a run left behind out of the group: it waits for the commit and survives a rollback', async () => {
    const { jobs, log, filePath, close } = await openPair(tmp.dir, 'left-behind');
    try {
      const held = await holdWriteGroup(jobs, { rederivable: true });
      let later: Promise<unknown> | undefined;
      await held.run(async () => {
        await jobs.bulkWrite([doc('j1')], 'test');
        // A timer set inside the run keeps its async context, and fires while the group is still held.
        later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => log.bulkWrite([doc('late')], 'test'));
      });
      await tick();
      await tick();
      expect(held.othersWaiting).toBe(true);
      held.rollback();
      expect(await later).toEqual({ error: [] });
      expect(committedIds(filePath, 'log')).toEqual(['late']);
      expect(committedIds(filePath, 'jobs')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('rolls back every run, with no change event, when one fails, and lets the waiting writes go on', async () => {
    const { jobs, log, filePath, close } = await openPair(tmp.dir, 'failed-run');
    const events: string[] = [];
    const sub = jobs.changeStream().subscribe((bulk) => events.push(...bulk.events.map((e) => e.documentId)));
    try {
      const held = await holdWriteGroup(jobs, { rederivable: true });
      await held.run(() => jobs.bulkWrite([doc('j1')], 'test'));
      const outside = log.bulkWrite([doc('desk-entry')], 'desk');
      await expect(
        held.run(async () => {
          await jobs.bulkWrite([doc('j2', 2)], 'test');
          throw new Error('the log entries could not be made');
        }),
      ).rejects.toThrow('the log entries could not be made');
      expect(await outside).toEqual({ error: [] });
      expect(committedIds(filePath, 'jobs')).toEqual([]);
      expect(committedIds(filePath, 'log')).toEqual(['desk-entry']);
      expect(events).toEqual([]);
      // Ended: a commit afterwards does nothing, and the next group works.
      held.commit();
      const next = await holdWriteGroup(jobs);
      await next.run(() => jobs.bulkWrite([doc('j3', 3)], 'test'));
      next.commit();
      expect(committedIds(filePath, 'jobs')).toEqual(['j3']);
    } finally {
      sub.unsubscribe();
      await close();
    }
  });

  it('undoes everything at rollback and puts the file back to full durability', async () => {
    const { jobs, filePath, close } = await openPair(tmp.dir, 'rolled-back');
    const { db } = (jobs.internals as NodeSqliteInternals).shared.file;
    const synchronous = () => (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
    try {
      const held = await holdWriteGroup(jobs, { rederivable: true });
      await held.run(() => jobs.bulkWrite([doc('j1')], 'test'));
      expect(synchronous()).toBe(1);
      held.rollback();
      expect(synchronous()).toBe(2);
      expect(committedIds(filePath, 'jobs')).toEqual([]);
      expect(await jobs.findDocumentsById(['j1'], true)).toEqual([]);
      expect((await jobs.bulkWrite([doc('j2', 2)], 'test')).error).toEqual([]);
      expect(committedIds(filePath, 'jobs')).toEqual(['j2']);
    } finally {
      await close();
    }
  });
});
