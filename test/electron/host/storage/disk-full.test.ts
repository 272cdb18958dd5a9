/**
 * The disk under the data folder fills up while the host runs: a real size-limited file system (tmpfs, mounted as root
 * on Linux), a real host on node:sqlite, a filler file that takes the last byte. A command is refused with a coded
 * reason the desk translates and nothing half-written; the engine's writes fail and are tried again; when the space
 * comes back, everything goes on where it stopped, with nothing saved before lost.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { ChannelProvider } from '../../../../shared/engine/provider.ts';
import { HOUR, LOCATION_ID, appointment, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';
import { salonHost, startRefusal, stoppedSalon } from './support/disk-hosts.ts';
import { fillFileSystem } from './support/fill-file-system.ts';

const CAN_MOUNT = process.platform === 'linux' && process.getuid?.() === 0;

let mountPoint: string;
let keyDir: string;
beforeEach(async () => {
  if (!CAN_MOUNT) return;
  mountPoint = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-full-'));
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-full-keys-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
});
afterEach(async () => {
  if (!CAN_MOUNT) return;
  execFileSync('umount', ['-l', mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
});

/** Fills the disk, then saves clients until the database's write-ahead log has no room left either. */
async function exhaustDisk(host: FrontDeskHost): Promise<() => Promise<void>> {
  const giveBack = await fillFileSystem(mountPoint);
  for (let n = 0; n < 100; n++) {
    const answer = await host.api.call('clients.save', { locationId: LOCATION_ID, firstName: `Filler ${n}`, lastName: 'Keller', phone: `0171 12345${n + 10}` });
    if (!answer.ok) return giveBack;
  }
  throw new Error('the disk never refused a save');
}

/**
 * A host whose disk fills up while its email provider is called, once told to: the send's `sending` mark is written,
 * its verdict is not. `giveBack` frees the space again (once; later calls do nothing).
 */
async function hostFillingTheDiskMidSend(dataDir: string, sent: string[], logs: string[]) {
  let armed = false;
  let freeSpace: (() => Promise<void>) | undefined;
  const email: ChannelProvider = {
    channel: 'email',
    readiness: () => ({ ready: true }),
    send: async (message) => {
      sent.push(message.jobId);
      if (armed) {
        armed = false;
        freeSpace = await exhaustDisk(host);
      }
      return { status: 'accepted', providerMessageId: `m-${sent.length}` };
    },
  };
  const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', providers: { email }, log: (line) => logs.push(line) });
  await host.start();
  return {
    host,
    fillOnNextSend: () => void (armed = true),
    async giveBack() {
      const free = freeSpace;
      freeSpace = undefined;
      await free?.();
    },
  };
}

describe.runIf(CAN_MOUNT)('a full disk under the data folder', () => {
  it('refuses a save with a translated reason, keeps what was saved, and saves again once there is space', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const sent: string[] = [];
    const logs: string[] = [];
    const host = await salonHost(dataDir, keyDir, sent, logs);
    let saved = 1;
    try {
      const now = Date.now();
      await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
      const giveBack = await fillFileSystem(mountPoint);
      // The database's write-ahead log may still have room for a few writes: save until the disk refuses.
      const save = (n: number) => host.api.call('clients.save', { locationId: LOCATION_ID, firstName: `Jonas ${n}`, lastName: 'Keller', phone: `0170 12345${n + 10}` });
      let refused: Awaited<ReturnType<typeof save>> | undefined;
      for (let n = 0; n < 50 && !refused; n++) {
        const answer = await save(n);
        if (answer.ok) saved++;
        else refused = answer;
      }
      expect(refused).toEqual({ ok: false, error: { code: 'unavailable', reason: 'storage.diskFull', params: { dataDir }, message: expect.stringContaining('is full') as string } });
      expect(await host.runtime.db.clients.count().exec()).toBe(saved);
      await giveBack();
      expect(await save(99)).toMatchObject({ ok: true });
      saved++;
    } finally {
      await host.stop();
    }
    const again = await salonHost(dataDir, keyDir, sent, logs);
    try {
      expect(await again.runtime.db.clients.count().exec()).toBe(saved);
      expect((await again.runtime.db.clients.findOne('c1').exec())?.firstName).toBe('Anna');
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('a reminder that falls due while the disk is full goes out once when space comes back, without an edit or a restart', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const sent: string[] = [];
    const logs: string[] = [];
    const host = await salonHost(dataDir, keyDir, sent, logs);
    let giveBack: (() => Promise<void>) | undefined;
    try {
      const now = Date.now();
      await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
      // Its 2 h reminder falls due 10 s from now; the confirmation goes at once.
      await host.runtime.db.appointments.insert(appointment('a1', 'c1', now + 2 * HOUR + 10_000, now));
      await waitUntil(async () => (sent.some((id) => id.startsWith('bookingConfirmation')) ? true : undefined), 10_000, () => sent.join(', '));
      giveBack = await exhaustDisk(host);
      await waitUntil(async () => (logs.some((line) => line.startsWith('engine: dispatch failed') && line.includes('full')) ? true : undefined), 15_000, () => `${logs.slice(-5).join('\n')}; sent: ${sent.join(', ')}`);
      expect(sent.filter((id) => id.startsWith('reminder'))).toEqual([]);
      await giveBack();
      giveBack = undefined;
      await waitUntil(async () => (sent.some((id) => id.startsWith('reminder|a1|120m')) ? true : undefined), 15_000, () => `sent: ${sent.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(sent.filter((id) => id.startsWith('reminder'))).toHaveLength(1);
    } finally {
      await giveBack?.();
      await host.stop();
    }
  }, 60_000);

  it('quits cleanly while the disk is full, and the next start finds everything', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const logs: string[] = [];
    const host = await salonHost(dataDir, keyDir, [], logs);
    const now = Date.now();
    await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now), salonClient('c2', now)] });
    const giveBack = await exhaustDisk(host);
    const saved = await host.runtime.db.clients.count().exec();
    // The close's seal (it spares the next start a full check) finds no room: the close is sound without it.
    await host.stop();
    await giveBack();
    const again = await salonHost(dataDir, keyDir, [], logs);
    try {
      expect(await again.runtime.db.clients.count().exec()).toBe(saved);
      expect((await again.runtime.db.clients.findOne('c2').exec())?.firstName).toBe('Anna');
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('a verdict the disk refuses after the provider accepted the message is recorded once space comes back, not left uncertain', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const sent: string[] = [];
    const logs: string[] = [];
    const { host, fillOnNextSend, giveBack } = await hostFillingTheDiskMidSend(dataDir, sent, logs);
    try {
      const now = Date.now();
      await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
      fillOnNextSend();
      await host.runtime.db.appointments.insert(appointment('a1', 'c1', now + 5 * HOUR, now));
      const jobId = 'bookingConfirmation|a1|booked|cascade';
      await waitUntil(async () => (logs.some((line) => line.startsWith('engine: dispatch failed') && line.includes('full')) ? true : undefined), 15_000, () => logs.slice(-5).join('\n'));
      expect((await host.runtime.db.jobs.findOne(jobId).exec())?.state).toBe('sending');
      await giveBack();
      const job = await waitUntil(async () => {
        const stored = (await host.runtime.db.jobs.findOne(jobId).exec())?.toMutableJSON();
        return stored && stored.state !== 'sending' ? stored : undefined;
      }, 15_000, () => 'the confirmation stayed sending');
      expect(job.state).toBe('sent');
      const entries = (await host.runtime.db.delivery_log.find({ selector: { jobId } }).exec()).map((e) => e.status);
      expect(entries).toEqual(['notTried', 'attempted', 'sent']);
      expect(sent).toEqual([jobId]);
    } finally {
      await giveBack();
      await host.stop();
    }
  }, 60_000);

  it('a verdict the disk still refuses when FrontDesk quits is named in the log with what the provider answered', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    const logs: string[] = [];
    const { host, fillOnNextSend, giveBack } = await hostFillingTheDiskMidSend(dataDir, [], logs);
    try {
      const now = Date.now();
      await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
      fillOnNextSend();
      await host.runtime.db.appointments.insert(appointment('a1', 'c1', now + 5 * HOUR, now));
      await waitUntil(async () => (logs.some((line) => line.startsWith('engine: dispatch failed') && line.includes('full')) ? true : undefined), 15_000, () => logs.slice(-5).join('\n'));
      await host.stop();
      expect(logs.filter((line) => line.includes('verdict(s) the disk did not take'))).toEqual([
        'engine: stopped with 1 verdict(s) the disk did not take; these jobs will read uncertain at the next start, what the providers answered: bookingConfirmation|a1|booked|cascade: aggregatorPush skipped, email sent m-1',
      ]);
    } finally {
      await giveBack();
      await host.stop();
    }
  }, 60_000);

  it('a start on a full disk says so, for a folder that holds a salon and for a new one, and starts once there is space', async () => {
    const dataDir = path.join(mountPoint, 'data');
    await mkdir(dataDir);
    await stoppedSalon(dataDir, keyDir);
    const giveBack = await fillFileSystem(mountPoint);
    for (const folder of [dataDir, path.join(mountPoint, 'new')]) {
      expect(await startRefusal(folder, keyDir)).toEqual({
        message: `The disk that holds the data folder ${folder} is full. Nothing was changed. Free some space on it, then start FrontDesk again.`,
        reason: 'hostStart.dataFolderDiskFull',
        params: { dataDir: folder },
      });
    }
    await giveBack();
    const again = await salonHost(dataDir, keyDir, [], []);
    try {
      expect(await again.runtime.db.clients.count().exec()).toBe(1);
    } finally {
      await again.stop();
    }
  }, 60_000);
});

