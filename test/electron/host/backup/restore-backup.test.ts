/**
 * A real host on a data folder: "Back up now" through the contract, more work after it, then the folder started with
 * `--restore-backup` (restoreFrom) holds the book as it was at the backup, and the book it replaced is kept, whole. A
 * backup that is damaged or not FrontDesk's changes nothing; a restarted host process never restores again.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupView } from '../../../../shared/ipc/backup-contract.ts';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { createHostLink, type HostChild } from '../../../../electron/host/process/host-link.ts';
import type { FromHost, ToHost } from '../../../../electron/host/process/protocol.ts';
import { salonClient, salonLocation } from '../engine/integration/support/salon.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-restore-${name}-`));
  dirs.push(dir);
  return dir;
}

function hostOn(dataDir: string, keyDir: string, restoreFrom?: string): FrontDeskHost {
  return new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', ...(restoreFrom ? { restoreFrom } : {}) });
}

async function clientIds(host: FrontDeskHost): Promise<string[]> {
  return (await host.runtime.db.clients.find().exec()).map((c) => c.id).sort();
}

/** A data folder with a salon and these clients, its host still running (to back up, or to stop). */
async function salonWith(clientIdsToAdd: string[]): Promise<{ dataDir: string; keyDir: string; host: FrontDeskHost }> {
  const dataDir = path.join(await tempDir('data'), 'FrontDesk');
  const keyDir = await tempDir('keys');
  const now = Date.now();
  const host = hostOn(dataDir, keyDir);
  await host.start();
  await host.runtime.db.locations.insert(salonLocation(now));
  await host.runtime.db.clients.bulkInsert(clientIdsToAdd.map((id) => salonClient(id, now)));
  return { dataDir, keyDir, host };
}

async function backUp(host: FrontDeskHost): Promise<BackupView['backups'][number]> {
  const answer = await host.api.call('backup.now', {});
  expect(answer.ok).toBe(true);
  return (answer as { ok: true; value: BackupView }).value.backups[0]!;
}

describe('restoring a backup', () => {
  it('brings the book back as it was at the backup and keeps the book it replaced', async () => {
    const { dataDir, keyDir, host: first } = await salonWith(['before-1', 'before-2']);
    const backup = await backUp(first);
    expect(backup.file.startsWith(path.join(dataDir, 'backups', 'frontdesk-'))).toBe(true);
    await first.runtime.db.clients.insert(salonClient('after', Date.now()));
    await first.stop();

    const restored = hostOn(dataDir, keyDir, backup.file);
    await restored.start();
    expect(await clientIds(restored)).toEqual(['before-1', 'before-2']);
    const status = (await restored.api.call('backup.status', {})) as { ok: true; value: BackupView };
    expect(status.value.backups.map((b) => b.file)).toEqual([backup.file]);
    await restored.stop();

    // The replaced book, moved whole into backups/replaced-…, still holds the client added after the backup.
    const replaced = (await readdir(path.join(dataDir, 'backups'))).filter((name) => name.startsWith('replaced-'));
    expect(replaced).toHaveLength(1);
    const old = new DatabaseSync(path.join(dataDir, 'backups', replaced[0]!, 'frontdesk.sqlite'), { readOnly: true });
    const table = (old.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '*_clients'").get() as { name: string }).name;
    expect((old.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE id = 'after'`).get() as { n: number }).n).toBe(1);
    old.close();

    // A plain start afterwards opens the restored book (nothing is restored twice).
    const again = hostOn(dataDir, keyDir);
    await again.start();
    expect(await clientIds(again)).toEqual(['before-1', 'before-2']);
    await again.stop();
  }, 60_000);

  it('brings back a book whose database was damaged, which a plain start refuses', async () => {
    const { dataDir, keyDir, host: first } = await salonWith(['anna']);
    const backup = await backUp(first);
    await first.stop();
    // A disk error garbles the middle of the file.
    const database = path.join(dataDir, 'frontdesk.sqlite');
    const bytes = await readFile(database);
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 6));
    await writeFile(database, bytes);
    await expect(hostOn(dataDir, keyDir).start()).rejects.toThrow(/damaged/);

    const restored = hostOn(dataDir, keyDir, backup.file);
    await restored.start();
    expect(await clientIds(restored)).toEqual(['anna']);
    await restored.stop();
  }, 60_000);

  it('refuses a damaged backup and a database FrontDesk did not write, and changes nothing', async () => {
    const { dataDir, keyDir, host: first } = await salonWith(['kept']);
    await first.stop();
    const database = await readFile(path.join(dataDir, 'frontdesk.sqlite'));

    const elsewhere = await tempDir('elsewhere');
    const shoppingList = path.join(elsewhere, 'list.sqlite');
    await writeFile(shoppingList, 'milk, eggs\n'.repeat(500));
    const foreign = path.join(elsewhere, 'foreign.sqlite');
    const other = new DatabaseSync(foreign);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    other.close();
    for (const [file, why] of [
      [shoppingList, /cannot be read as a FrontDesk database .*Nothing was changed/],
      [foreign, /is a database, but not one FrontDesk wrote\. Nothing was changed/],
      [path.join(elsewhere, 'missing.sqlite'), /does not exist\. Nothing was changed/],
    ] as const) {
      const refused = hostOn(dataDir, keyDir, file);
      await expect(refused.start()).rejects.toThrow(why);
      expect(await readFile(path.join(dataDir, 'frontdesk.sqlite'))).toEqual(database);
    }
    const plain = hostOn(dataDir, keyDir);
    await plain.start();
    expect(await clientIds(plain)).toEqual(['kept']);
    await plain.stop();
  }, 60_000);
});

describe('the desktop app’s host process', () => {
  it('is told to restore on its first start only, never when it is started again after a crash', async () => {
    const starts: ToHost[] = [];
    const exits: ((code: number | null) => void)[] = [];
    const crashes: boolean[] = [];
    const spawn = (): HostChild => {
      let listener: (message: FromHost) => void = () => undefined;
      return {
        postMessage: (message) => {
          if (message.type !== 'start') return;
          starts.push(message);
          setTimeout(() => listener({ type: 'ready' }), 1);
        },
        onMessage: (l) => void (listener = l),
        onExit: (l) => void exits.push(l),
        kill: () => undefined,
      };
    };
    const link = createHostLink({
      spawn,
      startOptions: { dataDir: '/data', version: 'test', demo: false, restoreFrom: '/data/backups/frontdesk-20261201-080000.sqlite' },
      log: () => undefined,
      onEvent: () => undefined,
      onStorage: () => undefined,
      onStartFailed: () => undefined,
      onCrash: (report) => void crashes.push(report.restarting),
      restartDelaysMs: [1],
    });
    await link.start();
    exits.at(-1)!(70);
    const started = Date.now();
    while (starts.length < 2 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(crashes).toEqual([true]);
    expect(starts.map((s) => (s as { options: { restoreFrom?: string } }).options.restoreFrom)).toEqual(['/data/backups/frontdesk-20261201-080000.sqlite', undefined]);
  });
});
