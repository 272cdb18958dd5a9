/**
 * The list of this desk's documents the endpoint refused outlives the run: RxDB counts them as written, so a restart
 * that forgot them would never send them again. Written to the data folder, read back at start, due at once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SetAside } from '../../../../electron/host/sync/set-aside.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';

const dirs: string[] = [];

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-set-aside-'));
  dirs.push(dir);
  return dir;
}

describe('the set-aside list', () => {
  it('is read back by the next run, every document due at once; one the endpoint took is gone from it', async () => {
    const dir = await dataDir();
    const first = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined, retryMs: 60_000 });
    await first.load();
    first.refused('fd-clients', 'clients', { _id: 'c-big', _rev: '3-abc', lastName: 'Big' }, { code: 'sync.setAside.tooLarge', reason: 'too large' }, 'Bella Big');
    first.refused('fd-clients', 'clients', { _id: 'c-other', lastName: 'Other' }, { code: 'sync.setAside.tooLarge', reason: 'too large' }, 'Olga Other');
    first.accepted('fd-clients', 'c-other');
    expect(first.due('fd-clients')).toEqual([]);
    await first.flush();

    const next = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await next.load();
    expect(next.due('fd-clients').map((entry) => entry.doc)).toEqual([{ _id: 'c-big', _rev: '3-abc', lastName: 'Big' }]);
    expect(next.list(new Set(['fd-clients']))).toEqual([expect.objectContaining({ collection: 'clients', id: 'c-big', description: 'Bella Big', code: 'sync.setAside.tooLarge' })]);
  });

  it('lists only what waits for the locations synced now, and keeps the rest for when their sync is back', async () => {
    const dir = await dataDir();
    const list = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await list.load();
    list.refused('north-clients', 'clients', { _id: 'c-north' }, { code: 'sync.setAside.tooLarge', reason: 'too large' }, 'Nina North');
    list.refused('south-clients', 'clients', { _id: 'c-south' }, { code: 'sync.setAside.tooLarge', reason: 'too large' }, 'Sara South');
    // The desk stopped syncing the south location: its refused client is no longer the status's concern…
    expect(list.list(new Set(['north-clients'])).map((entry) => entry.id)).toEqual(['c-north']);
    expect(list.list(new Set())).toEqual([]);
    await list.flush();
    // …but it is still on file, and due again once the south location syncs.
    const next = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await next.load();
    expect(next.due('south-clients').map((entry) => entry.doc._id)).toEqual(['c-south']);
  });

  it('starts empty from a missing or damaged file', async () => {
    const dir = await dataDir();
    const fresh = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await fresh.load();
    expect(fresh.count).toBe(0);
    await writeFile(path.join(dir, 'sync-set-aside.json'), '[{"database": "db", "doc": {"_id": "no-reason"}}, null, 7]');
    const partial = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await partial.load();
    expect(partial.list(new Set(['db']))).toEqual([]);
    await writeFile(path.join(dir, 'sync-set-aside.json'), '{"half": [');
    const damaged = new SetAside({ dataDir: dir, clock: systemClock, onChange: () => undefined });
    await damaged.load();
    expect(damaged.count).toBe(0);
    damaged.refused('db', 'clients', { _id: 'x' }, { code: 'sync.setAside.invalid', reason: 'invalid' }, 'x');
    await damaged.flush();
    expect(JSON.parse(await readFile(path.join(dir, 'sync-set-aside.json'), 'utf8'))).toHaveLength(1);
  });
});
