/**
 * Writes marked as re-derivable (the engine's planned jobs, RxDB replication's pulls and bookkeeping) skip their own
 * fsync; every other write on the same file keeps synchronous=FULL, also after a re-derivable write failed.
 */
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { DEFERRED_CHECKPOINT_WRITE_CONTEXT, getRxStorageNodeSqlite, isRederivableWrite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';

const tmp = tempDir('rederivable');
afterAll(() => tmp.dispose());

const FULL = 2;

/** Well over SQLite's 1,000-page checkpoint threshold in one write. */
function manyAppointments() {
  return Array.from({ length: 10_000 }, (_, i) => ({ document: makeAppointment(`a${i}`, i, 1_700_000_000_000 + i) }));
}

/**
 * Once the deferred checkpoint was handed over (its timer runs on this thread), the file grows while this thread is
 * blocked: the checkpoint ran elsewhere.
 */
async function growsWhileThisThreadIsBlocked(file: NodeSqliteInternals['shared']['file'], filePath: string, sizeBefore: number): Promise<void> {
  while (file.checkpointTimer !== undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  const deadline = Date.now() + 10_000;
  while (statSync(filePath).size === sizeBefore && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  expect(statSync(filePath).size).toBeGreaterThan(sizeBefore);
}

/** A database file in the test folder, with what the cases look at. */
async function openWith(name: string, options: { checkpointThread?: boolean } = {}) {
  const storage = getRxStorageNodeSqlite({ directory: tmp.dir, ...options });
  const instance = await openInstance(storage as never, name);
  const file = (instance.internals as NodeSqliteInternals).shared.file;
  return { instance, file, db: file.db, filePath: storage.databaseFilePath(name) };
}

/** The file grows within 5 s while this thread keeps running (the checkpoint's task ran). */
async function growsSoon(filePath: string, sizeBefore: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (statSync(filePath).size === sizeBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(statSync(filePath).size).toBeGreaterThan(sizeBefore);
}

function autocheckpointOf(db: DatabaseSync): number {
  return (db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint;
}

function synchronousOf(db: DatabaseSync): number {
  return (db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous;
}

describe('re-derivable writes', () => {
  it('are applied, and leave the connection at synchronous=FULL for the next write', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'plan');
    const db = (instance.internals as NodeSqliteInternals).shared.file.db;
    try {
      expect(synchronousOf(db)).toBe(FULL);
      const rows = [0, 1, 2].map((i) => ({ document: makeAppointment(`a${i}`, i, 1_700_000_000_000 + i) }));
      expect((await instance.bulkWrite(rows, REDERIVABLE_WRITE_CONTEXT)).error).toEqual([]);
      expect(synchronousOf(db)).toBe(FULL);
      expect((await instance.findDocumentsById(['a0', 'a1', 'a2'], false)).length).toBe(3);

      // A write that throws inside its transaction (a document that cannot be serialized) restores FULL as well.
      const broken = { ...makeAppointment('a9', 9, 1_700_000_000_009), note: 1n as unknown as string };
      await expect(async () => instance.bulkWrite([{ document: broken }], REDERIVABLE_WRITE_CONTEXT)).rejects.toThrow();
      expect(synchronousOf(db)).toBe(FULL);
      expect(await instance.findDocumentsById(['a9'], true)).toEqual([]);
    } finally {
      await instance.remove();
    }
  });

  it('include RxDB replication\'s pulls and bookkeeping, not a conflict\'s resolution or a local write', async () => {
    expect(isRederivableWrite('replication-downstream-4f2a')).toBe(true);
    expect(isRederivableWrite('replication-set-checkpoint')).toBe(true);
    expect(isRederivableWrite('replication-down-write-meta')).toBe(true);
    expect(isRederivableWrite('replication-up-write-meta')).toBe(true);
    expect(isRederivableWrite('replication-up-write-conflict')).toBe(false);
    expect(isRederivableWrite('rx-collection-bulk-insert')).toBe(false);
    expect(isRederivableWrite('incremental-write')).toBe(false);

    // What the commit itself runs at, seen from inside it (the change is emitted before bulkWrite returns).
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'pulls');
    const db = (instance.internals as NodeSqliteInternals).shared.file.db;
    const seen: number[] = [];
    const subscription = instance.changeStream().subscribe(() => seen.push(synchronousOf(db)));
    try {
      await instance.bulkWrite([{ document: makeAppointment('a0', 0, 1_700_000_000_000) }], 'replication-downstream-4f2a');
      await instance.bulkWrite([{ document: makeAppointment('a1', 1, 1_700_000_000_001) }], 'replication-up-write-conflict');
      expect(seen).toEqual([1, FULL]);
      expect(synchronousOf(db)).toBe(FULL);
    } finally {
      subscription.unsubscribe();
      await instance.remove();
    }
  });

  it('leave their checkpoint to a task of its own, and the connection at its usual checkpoint threshold (no checkpointer thread)', async () => {
    const { instance, db, filePath } = await openWith('deferred', { checkpointThread: false });
    try {
      const sizeBefore = statSync(filePath).size;
      // Well over SQLite's 1,000-page threshold: an ordinary commit this size copies the WAL into the file at once.
      const rows = manyAppointments();
      expect((await instance.bulkWrite(rows, REDERIVABLE_WRITE_CONTEXT)).error).toEqual([]);
      expect(statSync(filePath).size).toBe(sizeBefore);
      expect(autocheckpointOf(db)).toBe(1000);
      await growsSoon(filePath, sizeBefore);
    } finally {
      await instance.remove();
    }
  });

  it('of the deferred-checkpoint context keep their fsync and leave their checkpoint for later all the same (no checkpointer thread)', async () => {
    const { instance, db, filePath } = await openWith('durable-run', { checkpointThread: false });
    const seen: number[] = [];
    const subscription = instance.changeStream().subscribe(() => seen.push(synchronousOf(db)));
    try {
      expect(isRederivableWrite(DEFERRED_CHECKPOINT_WRITE_CONTEXT)).toBe(false);
      const sizeBefore = statSync(filePath).size;
      const rows = manyAppointments();
      expect((await instance.bulkWrite(rows, DEFERRED_CHECKPOINT_WRITE_CONTEXT)).error).toEqual([]);
      expect(seen).toEqual([FULL]);
      expect(statSync(filePath).size).toBe(sizeBefore);
      expect(autocheckpointOf(db)).toBe(1000);
      await growsSoon(filePath, sizeBefore);
    } finally {
      subscription.unsubscribe();
      await instance.remove();
    }
  });

  it('leave their checkpoint to a thread of its own: the file grows while this one is busy', async () => {
    const { instance, file, filePath } = await openWith('threaded');
    try {
      const sizeBefore = statSync(filePath).size;
      const rows = manyAppointments();
      expect((await instance.bulkWrite(rows, REDERIVABLE_WRITE_CONTEXT)).error).toEqual([]);
      await growsWhileThisThreadIsBlocked(file, filePath, sizeBefore);
    } finally {
      await instance.remove();
    }
  });

  it('with a checkpointer thread, any write leaves its checkpoint to it: a command right after a plan copies no WAL', async () => {
    const { instance, file, filePath } = await openWith('threaded-ordinary');
    try {
      expect(autocheckpointOf(file.db)).toBe(0);
      const sizeBefore = statSync(filePath).size;
      // An ordinary (durable) write.
      const rows = manyAppointments();
      expect((await instance.bulkWrite(rows, 'rx-collection-bulk-insert')).error).toEqual([]);
      expect(statSync(filePath).size).toBe(sizeBefore);
      await growsWhileThisThreadIsBlocked(file, filePath, sizeBefore);
    } finally {
      await instance.remove();
    }
  });

  it('change nothing on a file opened with synchronous=NORMAL', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir, synchronous: 'NORMAL' }) as never, 'normal');
    const db = (instance.internals as NodeSqliteInternals).shared.file.db;
    try {
      await instance.bulkWrite([{ document: makeAppointment('a0', 0, 1_700_000_000_000) }], REDERIVABLE_WRITE_CONTEXT);
      expect(synchronousOf(db)).toBe(1);
    } finally {
      await instance.remove();
    }
  });
});
