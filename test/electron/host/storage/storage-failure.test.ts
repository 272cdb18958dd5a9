/**
 * Which refused writes are the disk's, and how each is told: SQLite's result codes (with their extended forms), the
 * file system's codes, wrapped errors. The real disks are in disk-full.test.ts and read-only.test.ts (Linux, as root);
 * these run everywhere.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { storageWriteFailure, storageWriteProblem } from '../../../../electron/host/storage/storage-failure.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** What node:sqlite throws for a write on a connection opened read-only. */
function sqliteReadOnlyError(dir: string): unknown {
  const file = path.join(dir, 'book.sqlite');
  const writer = new DatabaseSync(file);
  writer.exec('CREATE TABLE t (x)');
  writer.close();
  const reader = new DatabaseSync(file, { readOnly: true });
  try {
    reader.exec('INSERT INTO t VALUES (1)');
  } catch (error) {
    return error;
  } finally {
    reader.close();
  }
  throw new Error('the read-only connection wrote');
}

describe('a refused write', () => {
  it('is read-only for SQLITE_READONLY and its extended codes, and for EROFS however Node names it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-storage-failure-'));
    dirs.push(dir);
    expect(storageWriteProblem(sqliteReadOnlyError(dir))).toBe('readOnly');
    expect(storageWriteProblem({ errcode: 8 | (3 << 8) })).toBe('readOnly');
    expect(storageWriteProblem(Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS', errno: -30 }))).toBe('readOnly');
    // Node's rm knows no name for it.
    expect(storageWriteProblem(Object.assign(new Error(", Unknown error: Read-only file system '/data/x'"), { code: '', errno: -4094 }))).toBe('readOnly');
    expect(storageWriteProblem(new Error('wrapped', { cause: { code: 'EROFS' } }))).toBe('readOnly');
  });

  it('is still full or failed as before, and nothing for any other error', () => {
    expect(storageWriteProblem({ errcode: 13 })).toBe('diskFull');
    expect(storageWriteProblem({ code: 'ENOSPC' })).toBe('diskFull');
    expect(storageWriteProblem({ errcode: 10 | (3 << 8) })).toBe('writeFailed');
    expect(storageWriteProblem({ code: 'EIO' })).toBe('writeFailed');
    expect(storageWriteProblem(new Error('UNIQUE constraint failed'))).toBeUndefined();
    expect(storageWriteProblem({ errcode: 19 })).toBeUndefined();
  });

  it('an I/O error on a writable folder says "the disk reported an error", and its check leaves nothing in the folder', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-storage-failure-'));
    dirs.push(dataDir);
    const answer = storageWriteFailure({ errcode: 10 | (3 << 8), message: 'disk I/O error' }, dataDir);
    expect(answer?.toBody()).toMatchObject({ code: 'unavailable', reason: 'storage.writeFailed', params: { dataDir } });
    expect(await readdir(dataDir)).toEqual([]);
    expect(storageWriteFailure({ errcode: 8 }, dataDir)?.toBody()).toMatchObject({ reason: 'storage.readOnly', params: { dataDir } });
  });
});
