/**
 * Backups of a live database file: a checked, whole copy while the book is being written, owner-only, the newest
 * seven kept, one a day on its own (sleeping on one timer), and a failure that says why and leaves no half file.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupService, type BackupError } from '../../../../electron/host/backup/backup-service.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';
import { ManualTime } from '../engine/support/harness.ts';

const HOUR = 60 * 60_000;
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-backup-'));
  dirs.push(dir);
  return dir;
}

/** A WAL database with `rows` rows of about 1 kB, left open for writing (as the host keeps its file). */
function liveDatabase(file: string, rows: number): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE visits (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO visits (note) VALUES (?)');
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) insert.run('x'.repeat(1000));
  db.exec('COMMIT');
  return db;
}

const settled = async () => undefined;
const noTimers = { after: () => ({ cancel: () => undefined }) };

describe('a backup', () => {
  it('is a whole, checked copy of one moment of the book while the host goes on writing, owner-only', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'frontdesk.sqlite');
    const live = liveDatabase(file, 20_000);
    const service = new BackupService({ dataDir: dir, databaseFile: file, clock: systemClock, timers: noTimers, log: () => undefined });
    const made = service.backupNow();
    // Commits of 100 rows each while the copy is made on its thread: the copy holds whole commits only.
    const insert = live.prepare('INSERT INTO visits (note) VALUES (?)');
    let commits = 0;
    const writing = setInterval(() => {
      live.exec('BEGIN');
      for (let i = 0; i < 100; i++) insert.run('y');
      live.exec('COMMIT');
      commits++;
    }, 1);
    const backup = await made;
    clearInterval(writing);
    const rowsNow = (live.prepare('SELECT COUNT(*) AS n FROM visits').get() as { n: number }).n;
    live.close();

    const copy = new DatabaseSync(backup.file, { readOnly: true });
    const rows = (copy.prepare('SELECT COUNT(*) AS n FROM visits').get() as { n: number }).n;
    expect(copy.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    copy.close();
    expect(rows).toBeGreaterThanOrEqual(20_000);
    expect(rows).toBeLessThanOrEqual(rowsNow);
    expect((rows - 20_000) % 100).toBe(0);
    expect(commits).toBeGreaterThan(0);
    expect(backup.bytes).toBe((await stat(backup.file)).size);
    expect((await stat(path.dirname(backup.file))).mode & 0o777).toBe(0o700);
    expect((await stat(backup.file)).mode & 0o777).toBe(0o600);
    expect(await readdir(path.dirname(backup.file))).toEqual([path.basename(backup.file)]);
    expect(service.status()).toMatchObject({ available: true, running: false, backups: [{ file: backup.file, bytes: backup.bytes }] });
  });

  it('keeps the newest seven, newest first', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'frontdesk.sqlite');
    liveDatabase(file, 10).close();
    const time = new ManualTime(Date.parse('2026-12-01T08:00:00Z'));
    const service = new BackupService({ dataDir: dir, databaseFile: file, clock: time, timers: time, log: () => undefined });
    for (let day = 0; day < 9; day++) {
      await service.backupNow();
      await time.advance(24 * HOUR, settled);
    }
    const kept = service.list();
    expect(kept.map((b) => b.at)).toEqual(['2026-12-09', '2026-12-08', '2026-12-07', '2026-12-06', '2026-12-05', '2026-12-04', '2026-12-03'].map((day) => `${day}T08:00:00.000Z`));
    expect(await readdir(path.join(dir, 'backups'))).toHaveLength(7);
  });

  it('of a file that is not a database fails with the reason, keeps no half file and says so in the status', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'frontdesk.sqlite');
    await writeFile(file, 'this is not a database, it is a shopping list\n'.repeat(100));
    const service = new BackupService({ dataDir: dir, databaseFile: file, clock: systemClock, timers: noTimers, log: () => undefined });
    const error = (await service.backupNow().then(() => undefined, (e: unknown) => e)) as BackupError;
    expect(error.problem).toMatchObject({ code: 'backup.failed', params: { folder: path.join(dir, 'backups') } });
    expect(error.problem.params['detail']).toMatch(/not a database/);
    expect(await readdir(path.join(dir, 'backups'))).toEqual([]);
    expect(service.status()).toMatchObject({ backups: [], problem: { code: 'backup.failed' } });
  });

  it('of a book kept in memory (tests) is refused: nothing to copy', async () => {
    const service = new BackupService({ dataDir: await dataDir(), databaseFile: undefined, clock: systemClock, timers: noTimers, log: () => undefined });
    service.start();
    expect(service.status()).toMatchObject({ available: false, backups: [] });
    expect(service.status().nextAt).toBeUndefined();
    await expect(service.backupNow()).rejects.toMatchObject({ problem: { code: 'backup.failed' } });
  });
});

describe('the daily backup', () => {
  it('comes a few minutes after the first start, then every 24 hours, on one timer', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'frontdesk.sqlite');
    liveDatabase(file, 10).close();
    const time = new ManualTime(Date.parse('2026-12-01T08:00:00Z'));
    const service = new BackupService({ dataDir: dir, databaseFile: file, clock: time, timers: time, log: () => undefined, firstDelayMs: 5 * 60_000 });
    service.start();
    expect(service.status().nextAt).toBe('2026-12-01T08:05:00.000Z');
    expect(time.pendingTimers).toBe(1);
    await time.advance(5 * 60_000, settled);
    await until(() => service.list().length === 1 && service.status().nextAt === '2026-12-02T08:05:00.000Z');
    expect(time.pendingTimers).toBe(1);
    // One asked for in the afternoon moves the next automatic one to a day after it.
    await time.advance(6 * HOUR, settled);
    await service.backupNow();
    expect(service.status().nextAt).toBe('2026-12-02T14:05:00.000Z');
    expect(time.pendingTimers).toBe(1);
    await service.stop();
    expect(time.pendingTimers).toBe(0);
  });

  it('after a restart waits for the newest backup to be a day old', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'frontdesk.sqlite');
    liveDatabase(file, 10).close();
    const time = new ManualTime(Date.parse('2026-12-01T08:00:00Z'));
    await new BackupService({ dataDir: dir, databaseFile: file, clock: time, timers: time, log: () => undefined }).backupNow();
    await time.advance(2 * HOUR, settled);
    const restarted = new BackupService({ dataDir: dir, databaseFile: file, clock: time, timers: time, log: () => undefined });
    restarted.start();
    expect(restarted.status().nextAt).toBe('2026-12-02T08:00:00.000Z');
    await restarted.stop();
  });
});

async function until(done: () => boolean): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 10_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
