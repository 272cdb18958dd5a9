/**
 * The checkpointer copies a file's WAL into it on a thread of its own, and close() leaves the host's connection the
 * file's only one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../../../electron/host/storage/wal-checkpointer.ts';
import { tempDir } from './storage-fixtures.ts';

const tmp = tempDir('wal-checkpointer');
afterAll(() => tmp.dispose());

/** A file whose WAL holds a few MB that are not in the file yet. */
function fileWithPendingWal(name: string): { db: DatabaseSync; filePath: string } {
  const filePath = path.join(tmp.dir, `${name}.sqlite`);
  const db = new DatabaseSync(filePath);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  appendRows(db);
  return { db, filePath };
}

function appendRows(db: DatabaseSync): void {
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.exec('BEGIN');
  for (let i = 0; i < 5000; i++) insert.run('x'.repeat(500));
  db.exec('COMMIT');
}

describe('WalCheckpointer', () => {
  it('never keeps the process alive: one that ends without closing it exits, as after a crash', () => {
    const { db, filePath } = fileWithPendingWal('left-open');
    db.close();
    const module = fileURLToPath(new URL('../../../../electron/host/storage/wal-checkpointer.ts', import.meta.url));
    // A checkpoint asked and answered (its message listener has run), then nothing left to do but the worker.
    const script = `
      import { WalCheckpointer } from ${JSON.stringify(module)};
      const checkpointer = new WalCheckpointer(${JSON.stringify(filePath)});
      checkpointer.request();
      setTimeout(() => console.log('answered'), 500);
    `;
    // From a file: a script given with -e exited even with the worker's port held.
    const scriptPath = path.join(tmp.dir, 'left-open.mjs');
    writeFileSync(scriptPath, script);
    const child = spawnSync(process.execPath, ['--no-warnings', scriptPath], { encoding: 'utf8', timeout: 15_000 });
    expect(child.error, 'the process was still running after 15 s').toBeUndefined();
    expect(child.stdout.trim()).toBe('answered');
    expect(child.status).toBe(0);
  });

  it('checkpoints while this thread is busy, and close() ends its connection before it returns', () => {
    const { db, filePath } = fileWithPendingWal('busy');
    const checkpointer = new WalCheckpointer(filePath);
    try {
      const sizeBefore = statSync(filePath).size;
      expect(checkpointer.request()).toBe(true);
      // This thread never yields here: a checkpoint run on it could not make the file grow.
      const deadline = Date.now() + 10_000;
      while (statSync(filePath).size === sizeBefore && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      expect(statSync(filePath).size).toBeGreaterThan(sizeBefore);
      expect((db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n).toBe(5000);
    } finally {
      checkpointer.close();
      db.close();
    }
    // The last connection to close removes the WAL: the checkpointer's was closed already.
    expect(existsSync(`${filePath}-wal`)).toBe(false);
  });

  it('closes at once when never asked, and checkpoints again after a close', () => {
    const { db, filePath } = fileWithPendingWal('again');
    const checkpointer = new WalCheckpointer(filePath);
    try {
      checkpointer.close();
      expect(checkpointer.request()).toBe(true);
      checkpointer.close();
      appendRows(db);
      const sizeBefore = statSync(filePath).size;
      expect(checkpointer.request()).toBe(true);
      const deadline = Date.now() + 10_000;
      while (statSync(filePath).size === sizeBefore && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      expect(statSync(filePath).size).toBeGreaterThan(sizeBefore);
    } finally {
      checkpointer.close();
      db.close();
    }
    expect(existsSync(`${filePath}-wal`)).toBe(false);
  });

  it('hands checkpoints back to its caller once its worker failed (a file it cannot open)', async () => {
    const checkpointer = new WalCheckpointer(path.join(tmp.dir, 'no-such-folder', 'x.sqlite'));
    try {
      expect(checkpointer.request()).toBe(true);
      const deadline = Date.now() + 10_000;
      while (checkpointer.request() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(checkpointer.request()).toBe(false);
    } finally {
      checkpointer.close();
    }
  });
});
