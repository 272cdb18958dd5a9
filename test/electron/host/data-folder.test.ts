/**
 * The data folder of a real host (node:sqlite files): owner-only modes, and every kind of damage found at start —
 * reported with the documented message (README → Troubleshooting), nothing written, the lock free again, and the same
 * folder starting normally once the problem is put right.
 */
import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { startFailureOf } from '../../../electron/host/start-failure.ts';
import { unchangedSinceCleanClose } from '../../../electron/host/storage/clean-close.ts';
import type { StartFailure } from '../../../shared/i18n/start-failure.ts';
import { salonClient, salonLocation } from './engine/integration/support/salon.ts';

const POSIX = process.platform !== 'win32';
const dirs: string[] = [];
async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-folder-${name}-`));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    await chmod(dir, 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});

function hostOn(dataDir: string, keyDir: string): FrontDeskHost {
  return new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test' });
}

/** A folder with a salon in it (and `clients` clients), written by a host that stopped cleanly. */
async function salonFolder(clients = 0): Promise<{ dataDir: string; keyDir: string; database: string }> {
  const dataDir = path.join(await tempDir('data'), 'FrontDesk');
  const keyDir = await tempDir('keys');
  const host = hostOn(dataDir, keyDir);
  await host.start();
  const now = Date.now();
  await host.runtime.db.locations.insert(salonLocation(now));
  if (clients > 0) await host.runtime.db.clients.bulkInsert(Array.from({ length: clients }, (_, i) => salonClient(`c${i}`, now, { notes: 'n'.repeat(400) })));
  await host.stop();
  return { dataDir, keyDir, database: path.join(dataDir, 'frontdesk.sqlite') };
}

/** Every file of the folder with its bytes' digest: what "nothing was changed" means. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const file = path.join(dir, name);
    const info = await stat(file);
    out[name] = info.isFile() ? createHash('sha256').update(await readFile(file)).digest('hex') : 'dir';
  }
  return out;
}

/** What the last refused start would tell the desktop dialog and an open page (reason + parameters). */
let lastFailure: StartFailure | undefined;

async function refusedStart(dataDir: string, keyDir: string): Promise<string> {
  const host = hostOn(dataDir, keyDir);
  const error = await host.start().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'the host was expected to refuse to start').toBeDefined();
  expect(host.state).toBe('failed');
  lastFailure = startFailureOf(error);
  expect(lastFailure.message).toBe(error!.message);
  return error!.message;
}

/** After a refusal the folder is not left locked: once the problem is fixed, it starts. */
async function startsAgain(dataDir: string, keyDir: string): Promise<void> {
  const host = hostOn(dataDir, keyDir);
  await host.start();
  expect(await host.runtime.db.locations.count().exec()).toBe(1);
  await host.stop();
}

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('data folder hygiene', () => {
  it.runIf(POSIX)('creates the folder 0700 and every file in it 0600 (database, -wal, -shm, lock, secrets)', async () => {
    const dataDir = path.join(await tempDir('data'), 'nested', 'FrontDesk');
    const keyDir = path.join(await tempDir('config'), 'FrontDesk-keys');
    const host = hostOn(dataDir, keyDir);
    await host.start();
    try {
      await host.runtime.db.locations.insert(salonLocation(Date.now()));
      const settings = { host: '127.0.0.1', port: 2525, username: 'desk', fromAddress: 'desk@lumiere.example' };
      expect(await host.api.call('providers.save', { locationId: 'loc-int', channel: 'email', kind: 'smtp', enabled: true, settings, secrets: { password: 'pw' } })).toMatchObject({ ok: true });

      const entries = (await readdir(dataDir, { recursive: true })).sort();
      expect(entries).toEqual(
        expect.arrayContaining([
          'frontdesk.folder.json',
          'frontdesk.lock',
          'frontdesk.lock.json',
          'frontdesk.sqlite',
          'frontdesk.sqlite-shm',
          'frontdesk.sqlite-wal',
          'secrets',
          path.join('secrets', 'secrets.json'),
        ]),
      );
      // Every folder 0700 and every file 0600, whoever wrote it.
      expect(await mode(dataDir)).toBe(0o700);
      for (const entry of entries) {
        const file = path.join(dataDir, entry);
        expect([entry, await mode(file)]).toEqual([entry, (await stat(file)).isDirectory() ? 0o700 : 0o600]);
      }
      // The key is not in the data folder; web mode keeps it in the (here: temporary) config folder.
      expect(entries.filter((entry) => /key/i.test(entry))).toEqual([]);
      expect(await readdir(keyDir)).toEqual(['secret-store.key']);
      expect(await mode(keyDir)).toBe(0o700);
      expect(await mode(path.join(keyDir, 'secret-store.key'))).toBe(0o600);
    } finally {
      await host.stop();
    }
    expect(await readdir(dataDir)).not.toContain('frontdesk.lock.json');
  });

  it.runIf(POSIX)('tightens a folder and database files that older builds left readable by others', async () => {
    const { dataDir, keyDir, database } = await salonFolder();
    await chmod(dataDir, 0o755);
    await chmod(database, 0o644);
    const logs: string[] = [];
    const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', log: (line) => logs.push(line) });
    await host.start();
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(database)).toBe(0o600);
    expect(await mode(`${database}-wal`)).toBe(0o600);
    expect(logs.join('\n')).toContain('access limited to your user (was 0755)');
    await host.stop();
  });
});

describe('a damaged data folder is refused at start, with what to do, and nothing is written', () => {
  it('a database partly overwritten in the middle (SQLite itself would open it): found by quick_check', async () => {
    const { dataDir, keyDir, database } = await salonFolder(1500);
    const intact = await readFile(database);
    const damaged = Buffer.from(intact);
    damaged.fill(0x5a, Math.floor(damaged.length * 0.4), Math.floor(damaged.length * 0.6));
    await writeFile(database, damaged);
    const before = await snapshot(dataDir);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toMatch(new RegExp(`^The database ${database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(quick_check: `));
    expect(lastFailure).toMatchObject({ reason: 'hostStart.databaseDamaged', params: { filePath: database, detail: expect.stringMatching(/^quick_check: /) } });
    expect(await snapshot(dataDir)).toEqual(before);
    await writeFile(database, intact);
    await startsAgain(dataDir, keyDir);
  });

  it.each([
    ['truncated to half', async (db: string) => truncate(db, Math.floor((await stat(db)).size / 2)), /is damaged \(/],
    ['truncated inside its header', (db: string) => truncate(db, 60), /is damaged \(/],
    ['overwritten with garbage', async (db: string) => writeFile(db, Buffer.alloc((await stat(db)).size, 0x5a)), /is damaged \(the file is not a database\)/],
  ])('a database %s: "restore the backup"', async (_what, damage, detail) => {
    const { dataDir, keyDir, database } = await salonFolder();
    const intact = await readFile(database);
    await damage(database);
    const before = await snapshot(dataDir);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toMatch(detail);
    expect(message).toContain(`The database ${database} is damaged`);
    expect(message).toContain('FrontDesk did not change it. Quit FrontDesk and restore the data folder from your last backup');
    expect(lastFailure).toMatchObject({ reason: 'hostStart.databaseDamaged', params: { filePath: database } });
    expect(await snapshot(dataDir)).toEqual(before);
    await writeFile(database, intact);
    await startsAgain(dataDir, keyDir);
  });

  it.each([
    ['zero-length', (db: string) => truncate(db, 0), 'is empty (0 bytes)'],
    ['missing', (db: string) => rm(db), 'is missing'],
  ])('a %s database in a folder that held a salon: "restore the backup", no new empty salon', async (_what, damage, detail) => {
    const { dataDir, keyDir, database } = await salonFolder();
    const intact = await readFile(database);
    await damage(database);
    const before = await snapshot(dataDir);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toBe(
      `The database ${database} ${detail}, but this data folder held a salon. FrontDesk did not change anything. ` +
        'Restore the data folder from your last backup. To start over with an empty salon instead, move this folder aside.',
    );
    expect(lastFailure).toEqual({ message, reason: detail === 'is missing' ? 'hostStart.databaseMissing' : 'hostStart.databaseEmpty', params: { filePath: database } });
    expect(await snapshot(dataDir)).toEqual(before);
    await writeFile(database, intact);
    await startsAgain(dataDir, keyDir);
  });

  it.each([
    ['in a folder that held a salon', true],
    ['in a new folder', false],
  ])('a database of another program %s: "move it out", and nothing written into it', async (_where, heldSalon) => {
    const dataDir = heldSalon ? (await salonFolder()).dataDir : path.join(await tempDir('data'), 'FrontDesk');
    const keyDir = await tempDir('keys');
    const database = path.join(dataDir, 'frontdesk.sqlite');
    const intact = heldSalon ? await readFile(database) : undefined;
    await mkdir(dataDir, { recursive: true });
    for (const suffix of ['', '-wal', '-shm', '-closed']) await rm(database + suffix, { force: true });
    const foreign = new DatabaseSync(database);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices VALUES (1, 9.5);');
    foreign.close();
    const before = await snapshot(dataDir);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toBe(
      `The file ${database} is a database of another program (its tables: invoices), not FrontDesk's. FrontDesk did not change it. ` +
        'Move it out of the data folder (or restore the folder from your last backup), or open another folder with --data-dir.',
    );
    expect(lastFailure).toEqual({ message, reason: 'hostStart.databaseNotOurs', params: { filePath: database, detail: 'its tables: invoices' } });
    // A new folder gets its lock files; the other program's database is as it was, with no -wal beside it.
    const after = await snapshot(dataDir);
    if (heldSalon) expect(after).toEqual(before);
    else expect(Object.entries(after).filter(([name]) => name.startsWith('frontdesk.sqlite'))).toEqual(Object.entries(before));
    if (!intact) return;
    await writeFile(database, intact);
    await startsAgain(dataDir, keyDir);
  });

  it.runIf(POSIX)('a read-only database file: "fix its permissions"', async () => {
    const { dataDir, keyDir, database } = await salonFolder();
    await chmod(database, 0o400);
    const before = await snapshot(dataDir);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toBe(
      `FrontDesk cannot write to ${database} (the file is read-only (0400)). Nothing was changed. ` +
        'Fix its permissions so that your user can read and write it (for example: chmod u+rw), then start FrontDesk again.',
    );
    expect(lastFailure).toMatchObject({ reason: 'hostStart.databaseNotWritable', params: { filePath: database, detail: 'the file is read-only (0400)' } });
    expect(await snapshot(dataDir)).toEqual(before);
    expect(await mode(database)).toBe(0o400);
    await chmod(database, 0o600);
    await startsAgain(dataDir, keyDir);
  });

  it.runIf(POSIX)('a read-only data folder: "fix its permissions"', async () => {
    const { dataDir, keyDir } = await salonFolder();
    await chmod(dataDir, 0o500);
    const message = await refusedStart(dataDir, keyDir);
    expect(message).toBe(
      `The data folder ${dataDir} is not writable. Nothing was changed. Fix its permissions so that your user can write it (for example: chmod u+rwx), or choose another folder with --data-dir.`,
    );
    expect(lastFailure).toEqual({ message, reason: 'hostStart.dataFolderNotWritable', params: { dataDir } });
    await chmod(dataDir, 0o700);
    await startsAgain(dataDir, keyDir);
  });

  it('a data folder path that is a file', async () => {
    const file = path.join(await tempDir('data'), 'not-a-folder');
    await writeFile(file, 'x');
    await mkdir(path.dirname(file), { recursive: true });
    const keyDir = await tempDir('keys');
    expect(await refusedStart(file, keyDir)).toBe(`The data folder ${file} is not a folder: choose another with --data-dir.`);
    expect(lastFailure).toMatchObject({ reason: 'hostStart.dataFolderNotAFolder', params: { dataDir: file } });
    // A folder inside that file: the same.
    await refusedStart(path.join(file, 'FrontDesk'), keyDir);
    expect(lastFailure).toMatchObject({ reason: 'hostStart.dataFolderNotAFolder', params: { dataDir: path.join(file, 'FrontDesk') } });
  });
});

describe('a clean close spares the next start the full check; anything else does not (storage/clean-close.ts)', () => {
  it('seals the file at a clean stop, breaks the seal while running, and trusts it only while the file is untouched', async () => {
    const { dataDir, keyDir, database } = await salonFolder();
    const seal = `${database}-closed`;
    expect(unchangedSinceCleanClose(database)).toBe(true);
    if (POSIX) expect(await mode(seal)).toBe(0o600);
    const host = hostOn(dataDir, keyDir);
    await host.start();
    expect(await stat(seal).catch(() => undefined)).toBeUndefined();
    expect(unchangedSinceCleanClose(database)).toBe(false);
    await host.stop();
    expect(unchangedSinceCleanClose(database)).toBe(true);
    await writeFile(database, await readFile(database));
    expect(unchangedSinceCleanClose(database)).toBe(false);
  });

  it('still finds damage done behind its back with the size and modification time put back', async () => {
    const { dataDir, keyDir, database } = await salonFolder(1500);
    const seal = `${database}-closed`;
    const sealed = JSON.parse(await readFile(seal, 'utf8')) as { mtimeMs: number };
    const damaged = await readFile(database);
    damaged.fill(0x5a, Math.floor(damaged.length * 0.4), Math.floor(damaged.length * 0.6));
    await writeFile(database, damaged);
    // A tool that puts the modification time back (to the precision the file system keeps): only the change time,
    // which nothing can set back, still tells.
    await utimes(database, new Date(), new Date(sealed.mtimeMs));
    await writeFile(seal, JSON.stringify({ ...sealed, mtimeMs: (await stat(database)).mtimeMs }));
    expect(unchangedSinceCleanClose(database)).toBe(false);
    expect(await refusedStart(dataDir, keyDir)).toMatch(/is damaged \(quick_check: /);
  });
});
