import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { TimeSlice, WINDOW_QUIET_MS } from '../../../electron/host/engine/time-slice.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-host-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('FrontDeskHost lifecycle', () => {
  it('creates the data folder, answers app.info with the injected clock, and stops', async () => {
    const dataDir = path.join(await tempDir(), 'nested', 'data');
    const host = new FrontDeskHost({ dataDir, mode: 'web', version: '9.9.9', clock: { now: () => Date.UTC(2026, 10, 21, 9) } });
    expect(host.state).toBe('idle');
    await host.start();
    expect(host.state).toBe('running');
    const result = await host.api.call('app.info', {});
    expect(result).toMatchObject({ ok: true, value: { dataDir, version: '9.9.9', mode: 'web', startedAt: '2026-11-21T09:00:00.000Z' } });
    await host.stop();
    expect(host.state).toBe('stopped');
  });

  it("answers a gesture of the window, and background work makes way for it as for the window's requests", async () => {
    const host = new FrontDeskHost({ dataDir: await tempDir(), mode: 'web', version: '1' });
    await host.start();
    try {
      // Quiet first: the start's own calls are over.
      await new Promise((resolve) => setTimeout(resolve, WINDOW_QUIET_MS + 5));
      expect(await host.api.call('app.gesture', {})).toEqual({ ok: true, value: {} });
      const started = performance.now();
      await new TimeSlice({ makeWayForWindow: true }).yield();
      // Timers may fire a little early against performance.now().
      expect(performance.now() - started).toBeGreaterThanOrEqual(WINDOW_QUIET_MS / 2);
      expect(await host.api.call('app.gesture', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    } finally {
      await host.stop();
    }
  });

  it('refuses to start twice', async () => {
    const host = new FrontDeskHost({ dataDir: await tempDir(), mode: 'web', version: '1' });
    await host.start();
    await expect(host.start()).rejects.toThrow(/cannot start from state 'running'/);
    await host.stop();
  });

  it('fails with a clear message when the data folder cannot be created', async () => {
    const file = path.join(await tempDir(), 'a-file');
    await writeFile(file, 'not a folder');
    const host = new FrontDeskHost({ dataDir: path.join(file, 'data'), mode: 'web', version: '1' });
    const started = host.start();
    const database = host.whenDatabaseReady();
    await expect(started).rejects.toThrow();
    expect(host.state).toBe('failed');
    await expect(database).rejects.toThrow();
  });

  it('hands out its database (the renderers\' read-only channel) before the engine and the rest have started', async () => {
    const host = new FrontDeskHost({ dataDir: await tempDir(), mode: 'web', version: '1', demo: true });
    await expect(host.whenDatabaseReady()).rejects.toThrow(/FrontDesk is idle/);
    const started = host.start();
    const db = await host.whenDatabaseReady();
    expect(host.state).toBe('starting');
    // Filled before it is handed out: the demo salon is there, so a page never sees an empty book as "no salon yet".
    expect(await db.locations.count().exec()).toBeGreaterThan(0);
    await started;
    expect(await host.whenDatabaseReady()).toBe(db);
    await host.stop();
  });
});
