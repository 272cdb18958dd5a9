/**
 * A database gives back what a burst of writes grew its WAL file to: once the checkpointer has caught up, the next
 * commit cuts the file to the configured size (SQLite's journal_size_limit), where it used to stay at its peak.
 */
import { statSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { WAL_SIZE_LIMIT_BYTES } from '../../../../electron/host/storage/shared-file.ts';
import { makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';

const tmp = tempDir('wal-size');
afterAll(() => tmp.dispose());

const MIB = 1024 * 1024;

function journalSizeLimit(db: DatabaseSync): number {
  return (db.prepare('PRAGMA journal_size_limit').get() as { journal_size_limit: number }).journal_size_limit;
}

describe('the WAL file', () => {
  it('is cut back to the limit after a burst of writes, at the first commit once the checkpointer caught up', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir, walSizeLimitBytes: MIB }) as never, 'burst');
    const { file } = (instance.internals as NodeSqliteInternals).shared;
    const walPath = `${file.filePath}-wal`;
    try {
      expect(journalSizeLimit(file.db)).toBe(MIB);
      const rows = Array.from({ length: 10_000 }, (_, i) => ({ document: makeAppointment(`a${i}`, i, 1_700_000_000_000 + i) }));
      expect((await instance.bulkWrite(rows, REDERIVABLE_WRITE_CONTEXT)).error).toEqual([]);
      const peak = statSync(walPath).size;
      expect(peak).toBeGreaterThan(4 * MIB);
      // Small commits, as a desk makes them, until one comes after a checkpoint that copied the whole WAL.
      const deadline = Date.now() + 10_000;
      let n = 0;
      while (statSync(walPath).size > MIB && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect((await instance.bulkWrite([{ document: makeAppointment(`b${n}`, n, 1_700_000_100_000 + n) }], 'desk')).error).toEqual([]);
        n++;
      }
      expect(statSync(walPath).size).toBeLessThanOrEqual(MIB);
      expect((await instance.findDocumentsById(['a0', 'a9999', `b${n - 1}`], false)).length).toBe(3);
    } finally {
      await instance.remove();
    }
  });

  it('keeps WAL_SIZE_LIMIT_BYTES by default', async () => {
    const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'default');
    try {
      expect(journalSizeLimit((instance.internals as NodeSqliteInternals).shared.file.db)).toBe(WAL_SIZE_LIMIT_BYTES);
    } finally {
      await instance.remove();
    }
  });
});
