/**
 * "Back up now" when the disk of the backups folder is full or read-only: a real size-limited file system (tmpfs,
 * mounted as root on Linux) under the data folder's `backups/`, a real host on node:sqlite. The desk is told why in
 * its language, no half copy is left beside the whole ones, the book is untouched, and the next backup after the disk
 * is back works. Linux, as root (it mounts), as storage/disk-full.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { LOCATION_ID, salonClient, seedSalon } from '../engine/integration/support/salon.ts';
import { fillFileSystem } from '../storage/support/fill-file-system.ts';
import en from '../../../../renderer/src/i18n/en.json' with { type: 'json' };
import ru from '../../../../renderer/src/i18n/ru.json' with { type: 'json' };

const CAN_MOUNT = process.platform === 'linux' && process.getuid?.() === 0;

let dataDir: string;
let backups: string;
let keyDir: string;
let host: FrontDeskHost;
beforeEach(async () => {
  if (!CAN_MOUNT) return;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-backup-disk-'));
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-backup-disk-keys-'));
  backups = path.join(dataDir, 'backups');
  await mkdir(backups);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', backups]);
  host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', log: () => undefined });
  await host.start();
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now), salonClient('c2', now)] });
});
afterEach(async () => {
  if (!CAN_MOUNT) return;
  await host.stop();
  execFileSync('umount', ['-l', backups]);
  await rm(dataDir, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
});

async function bookIsUntouched(clients: number): Promise<void> {
  expect(await host.runtime.db.clients.count().exec()).toBe(clients);
  expect(await host.api.call('clients.save', { locationId: LOCATION_ID, firstName: 'Jonas', lastName: 'Keller', phone: '0170 1234567' })).toMatchObject({ ok: true });
}

describe.runIf(CAN_MOUNT)('a backup on a disk that cannot take it', () => {
  it('on a full disk says so, leaves no half copy, keeps the book, and works once there is space', async () => {
    // Room for the copy's first pages, not for the whole of it: the copy fails part-way.
    const giveBack = await fillFileSystem(backups, 16 * 1024);
    const refused = await host.api.call('backup.now', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable', reason: 'backup.diskFull', params: { folder: backups } } });
    expect(await readdir(backups)).toEqual(['filler']);
    expect(await host.api.call('backup.status', {})).toMatchObject({ ok: true, value: { backups: [], problem: { code: 'backup.diskFull', params: { folder: backups } } } });
    await bookIsUntouched(2);
    expect(en['error.backup.diskFull'].replace('{folder}', backups)).toBe(`The backup could not be written: the disk of ${backups} is full. Free some space, then back up again. The book itself is unchanged.`);
    expect(ru['error.backup.diskFull']).toContain('{folder}');

    await giveBack();
    const made = await host.api.call('backup.now', {});
    expect(made).toMatchObject({ ok: true, value: { backups: [{ file: expect.stringMatching(/frontdesk-\d{8}-\d{6}\.sqlite$/) as string }] } });
    expect(host.runtime.backups.status().problem).toBeUndefined();
    expect(await readdir(backups)).toHaveLength(1);
  }, 60_000);

  it('on a read-only backups folder says so, leaves nothing, keeps the book, and works once it is writable', async () => {
    execFileSync('mount', ['-o', 'remount,ro', backups]);
    const refused = await host.api.call('backup.now', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable', reason: 'backup.readOnly', params: { folder: backups } } });
    expect(await readdir(backups)).toEqual([]);
    await bookIsUntouched(2);
    expect(en['error.backup.readOnly'].replace('{folder}', backups)).toBe(
      `The backup could not be written: the folder ${backups} is read-only (its disk or network share). Check the disk or share, then back up again. The book itself is unchanged.`,
    );
    expect(ru['error.backup.readOnly']).toContain('{folder}');

    execFileSync('mount', ['-o', 'remount,rw', backups]);
    expect(await host.api.call('backup.now', {})).toMatchObject({ ok: true, value: { backups: [{ bytes: expect.any(Number) as number }] } });
  }, 60_000);
});
