/**
 * The disk under the data folder turns read-only while the host runs: a real ext4 file system on a loop device,
 * mounted as a USB disk is (errors=remount-ro), and the kernel's own emergency read-only (`remount,abort`, what a disk
 * error does). A plain `mount -o remount,ro` is refused as busy while FrontDesk has the book open, and an ext4 made
 * read-only by an error stays so until it is unmounted and checked: the desk is back after a restart, not before. A
 * save is refused with a coded reason the desk translates, the host stays up and quits cleanly, the engine's writes
 * fail and are tried again, and once the disk is back everything saved before is there and a reminder that fell due
 * meanwhile goes once. Linux, as root (it mounts), as disk-full.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { ChannelProvider } from '../../../../shared/engine/provider.ts';
import { HOUR, LOCATION_ID, appointment, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';
import { salonHost, startRefusal, stoppedSalon } from './support/disk-hosts.ts';

// Root mounts; the ext4 image needs a loop device (a container may have none, where the suite says these were skipped).
const CAN_MOUNT = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/dev/loop-control');

let mountPoint: string;
let scratch: string;
let keyDir: string;
let image: string;
beforeEach(async () => {
  if (!CAN_MOUNT) return;
  mountPoint = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-ro-'));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-ro-image-'));
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-ro-keys-'));
  image = path.join(scratch, 'disk.img');
  execFileSync('truncate', ['-s', '32M', image]);
  execFileSync('mkfs.ext4', ['-q', '-F', image]);
  attach();
});
afterEach(async () => {
  if (!CAN_MOUNT) return;
  spawnSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
});

function attach(): void {
  execFileSync('mount', ['-o', 'loop,errors=remount-ro', image, mountPoint]);
}

/** What a disk error does to a disk mounted errors=remount-ro: every write from now on fails with EROFS. */
function turnReadOnly(): void {
  execFileSync('mount', ['-o', 'remount,abort', mountPoint]);
}

/** The disk unplugged, checked and plugged in again (FrontDesk closed: its open files would keep it mounted). */
function reattach(): void {
  execFileSync('umount', [mountPoint]);
  const check = spawnSync('e2fsck', ['-fy', image]);
  // 0: clean, 1: errors corrected (the journal left by the emergency read-only).
  expect(check.status, String(check.stdout)).toBeLessThanOrEqual(1);
  attach();
}

/** This process's open files under `folder` (Linux: /proc/self/fd). */
function openFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${folder}/`)) files.push(target);
    } catch {
      // Closed meanwhile (the descriptor readdirSync itself used).
    }
  }
  return files;
}

describe.runIf(CAN_MOUNT)('the data folder turning read-only', () => {
  it('refuses a save with a translated reason, keeps the host up and its reminder waiting, quits cleanly, and after the disk is back everything is there and the reminder goes once', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const sent: string[] = [];
    const logs: string[] = [];
    const host = await salonHost(dataDir, keyDir, sent, logs);
    const now = Date.now();
    await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
    const save = (n: number) => host.api.call('clients.save', { locationId: LOCATION_ID, firstName: `Jonas ${n}`, lastName: 'Keller', phone: `0170 12345${n + 10}` });
    expect(await save(1)).toMatchObject({ ok: true });
    // Its 2 h reminder falls due 8 s from now; the confirmation goes at once.
    await host.runtime.db.appointments.insert(appointment('a1', 'c1', now + 2 * HOUR + 8_000, now));
    await waitUntil(async () => (sent.some((id) => id.startsWith('bookingConfirmation')) ? true : undefined), 10_000, () => sent.join(', '));
    await host.runtime.engine.idle();

    turnReadOnly();
    const refused = await save(2);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'unavailable', reason: 'storage.readOnly', params: { dataDir }, message: `Nothing was saved: the data folder ${dataDir} became read-only. Everything saved before is safe. Check the disk or network share it is on, then do this again.` },
    });
    // Still up: the book reads as before.
    expect(await host.api.call('location.list', {})).toMatchObject({ ok: true });
    expect(await host.runtime.db.clients.count().exec()).toBe(2);
    // The reminder's dispatch cannot write its `sending` mark: refused, tried again 5 s later, nothing sent.
    const failures = () => logs.filter((line) => line.startsWith('engine: dispatch failed') || line.startsWith('engine: dispatch still refused')).length;
    await waitUntil(async () => (failures() >= 2 ? true : undefined), 25_000, () => `${logs.slice(-5).join('\n')}; sent: ${sent.join(', ')}`);
    expect(sent.filter((id) => id.startsWith('reminder'))).toEqual([]);
    await host.stop();

    reattach();
    const again = await salonHost(dataDir, keyDir, sent, logs);
    try {
      expect(await again.runtime.db.clients.count().exec()).toBe(2);
      expect((await again.runtime.db.clients.findOne('c1').exec())?.firstName).toBe('Anna');
      await waitUntil(async () => (sent.some((id) => id.startsWith('reminder|a1|120m')) ? true : undefined), 15_000, () => `sent: ${sent.join(', ')}`);
      await again.runtime.engine.idle();
      expect(sent.filter((id) => id.startsWith('reminder'))).toHaveLength(1);
      expect(sent.filter((id) => id.startsWith('bookingConfirmation'))).toHaveLength(1);
    } finally {
      await again.stop();
    }
  }, 90_000);

  it('a message the provider accepted as the disk turned read-only is not sent again after the restart: it is shown as uncertain', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const sent: string[] = [];
    const logs: string[] = [];
    let turnDuringSend = false;
    const email: ChannelProvider = {
      channel: 'email',
      readiness: () => ({ ready: true }),
      send: async (message) => {
        sent.push(message.jobId);
        // The disk turns read-only while the provider is called: the send's `sending` mark is written, its verdict is not.
        if (turnDuringSend) {
          turnDuringSend = false;
          turnReadOnly();
        }
        return { status: 'accepted', providerMessageId: `m-${sent.length}` };
      },
    };
    const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', providers: { email }, log: (line) => logs.push(line) });
    await host.start();
    const now = Date.now();
    const jobId = 'bookingConfirmation|a1|booked|cascade';
    await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
    turnDuringSend = true;
    await host.runtime.db.appointments.insert(appointment('a1', 'c1', now + 5 * HOUR, now));
    await waitUntil(async () => (logs.some((line) => line.startsWith('engine: dispatch failed')) ? true : undefined), 15_000, () => logs.slice(-5).join('\n'));
    expect((await host.runtime.db.jobs.findOne(jobId).exec())?.state).toBe('sending');
    // The verdict is kept in memory; the quit cannot write it either.
    await host.stop();

    reattach();
    const again = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', providers: { email }, log: (line) => logs.push(line) });
    await again.start();
    try {
      const job = await waitUntil(async () => {
        const stored = (await again.runtime.db.jobs.findOne(jobId).exec())?.toMutableJSON();
        return stored && stored.state !== 'sending' ? stored : undefined;
      }, 15_000, () => 'the confirmation stayed sending');
      expect(job.state).toBe('uncertain');
      await again.runtime.engine.idle();
      expect(sent).toEqual([jobId]);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('a start on a read-only folder says so, for a folder that holds a salon and for a new one, and starts once it is writable', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    await stoppedSalon(dataDir, keyDir);
    // A share mounted read-only (nothing is open now, so the kernel lets it be remounted so).
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    for (const folder of [dataDir, path.join(mountPoint, 'new')]) {
      expect(await startRefusal(folder, keyDir)).toEqual({
        message: `The data folder ${folder} is on a read-only disk or network share. Nothing was changed. Check the disk or share (it may need to be connected again, or checked for errors), then start FrontDesk again.`,
        reason: 'hostStart.dataFolderReadOnly',
        params: { dataDir: folder },
      });
    }
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    const again = await salonHost(dataDir, keyDir, [], []);
    try {
      expect(await again.runtime.db.clients.count().exec()).toBe(1);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('a start on a disk an error turned read-only says so too', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    await stoppedSalon(dataDir, keyDir);
    turnReadOnly();
    expect(await startRefusal(dataDir, keyDir)).toMatchObject({ reason: 'hostStart.dataFolderReadOnly', params: { dataDir } });
    // Nothing of the refused start stays open there (an open file would keep the disk from being unmounted).
    expect(openFilesUnder(mountPoint)).toEqual([]);
  }, 60_000);
});
