/**
 * WAL checkpoints on a worker thread: a file starts one only once a thousand rows have been committed; the worker
 * then copies the WAL into the database file while the main connection does not (its own threshold is 8,192 pages);
 * a close waits for the worker's connection to go, so the main connection's close is the last one and removes the WAL.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from 'node:sqlite';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance, tempDir } from './storage-fixtures.ts';

const tmp = tempDir('background-checkpoint');
afterAll(() => tmp.dispose());

function autocheckpointOf(db: DatabaseSync): number {
  return (db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, k) => ({ document: makeAppointment(`a${from + k}`, from + k, 1_700_000_000_000 + from + k) }));

describe('background WAL checkpoints', () => {
  it('start after a thousand rows, copy the WAL into the file off the main thread, and let the main connection close last', async () => {
    const storage = getRxStorageNodeSqlite({ directory: tmp.dir });
    const filePath = storage.databaseFilePath('book');
    const instance = await openInstance(storage as never, 'book');
    const file = (instance.internals as NodeSqliteInternals).shared.file;

    expect((await instance.bulkWrite(rows(0, 200), 'test')).error).toEqual([]);
    expect(file.checkpoint).toBeUndefined();
    expect(autocheckpointOf(file.db)).toBe(1000);

    const sizeBefore = statSync(filePath).size;
    for (let from = 200; from < 3200; from += 1000) expect((await instance.bulkWrite(rows(from, 1000), 'test')).error).toEqual([]);
    expect(file.checkpoint).toBeTruthy();
    expect(autocheckpointOf(file.db)).toBe(8192);
    // A few hundred pages of WAL, far below the main connection's threshold: only the worker copies them over.
    expect(await until(() => statSync(filePath).size > sizeBefore, 10_000)).toBe(true);

    await instance.close();
    expect(existsSync(`${filePath}-wal`)).toBe(false);

    const reopened = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'book');
    try {
      expect((await reopened.findDocumentsById(['a0', 'a1999', 'a3199'], false)).map((doc) => doc.id)).toEqual(['a0', 'a1999', 'a3199']);
    } finally {
      await reopened.remove();
    }
  });
});
