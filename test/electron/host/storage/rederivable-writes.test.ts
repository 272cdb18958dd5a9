/**
 * Writes marked as re-derivable (the engine's planned jobs) skip their own fsync; every other write on the same file
 * keeps synchronous=FULL, also after a re-derivable write failed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';

const tmp = tempDir('rederivable');
afterAll(() => tmp.dispose());

const FULL = 2;

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
