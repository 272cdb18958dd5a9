/**
 * A data folder a newer FrontDesk wrote (a collection stored in a schema version this build does not know): the web
 * host refuses it with what to do, an open page is told the same instead of waiting forever or showing an empty book,
 * and nothing in the file changes.
 */
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { collections } from '../../shared/domain/collections.ts';
import { startWebHost } from './support/web-host.ts';

const ENTRY = 'electron/host/web/entry.ts';
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** What a newer build leaves behind after migrating staff to the next schema version. */
function pretendNewerStaff(file: string): number {
  const db = new DatabaseSync(file);
  const newer = collections.staff.schema.version + 1;
  const row = db.prepare(`SELECT id, data FROM docs_1__rxdb_internal WHERE id = ?`).get(`collection|staff-${newer - 1}`) as { id: string; data: string };
  const meta = JSON.parse(row.data) as { id: string; key: string; data: { version: number; schema: { version: number } } };
  Object.assign(meta, { id: `collection|staff-${newer}`, key: `staff-${newer}` });
  meta.data.version = newer;
  meta.data.schema.version = newer;
  db.prepare('UPDATE docs_1__rxdb_internal SET id = ?, data = ? WHERE id = ?').run(meta.id, JSON.stringify(meta), row.id);
  db.prepare(`UPDATE rx_collections SET version = ? WHERE name = 'staff'`).run(newer);
  db.close();
  return newer;
}

describe('a data folder from a newer FrontDesk', () => {
  it('is refused with what to do, the open page is told why, and the file is left as it was', { timeout: 90_000 }, async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-newer-'));
    folders.push(folder);
    // A salon in the folder (the demo), written by this build.
    const first = await startWebHost(['--data-dir', folder, '--demo'], ENTRY);
    await vi.waitFor(() => expect(first.output()).toContain('Loaded the demo salon'), { timeout: 30_000, interval: 100 });
    expect(await first.stop()).toBe(0);
    const file = path.join(folder, 'frontdesk.sqlite');
    const newer = pretendNewerStaff(file);
    const before = new DatabaseSync(file).prepare('SELECT COUNT(*) AS n, GROUP_CONCAT(id) AS ids FROM docs_1__rxdb_internal').get();

    const host = await startWebHost(['--data-dir', folder], ENTRY);
    const url = new URL(host.openUrl);
    const socket = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token') ?? ''}`, { headers: { origin: host.origin } });
    const messages: { type: string; error?: { code: string; message: string; reason?: string; params?: Record<string, unknown> } }[] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    expect(await closed).toBe(1011);
    const refusal = messages.find((m) => m.type === 'error')?.error;
    expect(refusal?.code).toBe('unavailable');
    // …and by reason, so the page says it in the desk's language (test/shared/i18n/start-failure.test.ts).
    expect(refusal).toMatchObject({ reason: 'hostStart.newerDatabase', params: { collection: 'staff', storedVersion: newer, knownVersion: newer - 1 } });
    expect(refusal?.message).toMatch(new RegExp(`newer FrontDesk: its staff are stored in format ${newer}, and this FrontDesk reads up to format ${newer - 1}\\. FrontDesk did not change anything\\. Install the newer FrontDesk`));
    expect(await host.stop()).toBe(1);
    expect(host.output()).toContain('This data folder was last used by a newer FrontDesk');
    // No empty staff collection of the old version was made beside the newer one.
    expect(new DatabaseSync(file).prepare('SELECT COUNT(*) AS n, GROUP_CONCAT(id) AS ids FROM docs_1__rxdb_internal').get()).toEqual(before);
  });
});
