/**
 * `clients.import*` on a real host with its SQLite files: a 5,000-row export with duplicates, bad phones and bad dates
 * is planned chunk by chunk with exact counts and every invalid row reported, a cancel mid-way leaves no client behind,
 * and the commit writes exactly the valid clients (merged duplicates included) in one go.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { guessMapping } from '../../../../shared/clients/import-columns.ts';
import { parseCsv } from '../../../../shared/csv/csv.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { IMPORT_CHUNK_ROWS } from '../../../../shared/ipc/people-contract.ts';
import { messyImportFile } from '../../../support/client-import-file.ts';
import { LOCATION_ID, salonClient, seedSalon } from '../engine/integration/support/salon.ts';
import { call, issueKeys } from './support/booking-salon.ts';

let host: FrontDeskHost;
let db: FrontDeskDatabase;
const dirs: string[] = [];
const file = messyImportFile(5000);
const [header, ...rows] = parseCsv(file.csv);
const mapping = guessMapping(header!);

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-import-'));
  const keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-import-keys-'));
  dirs.push(dataDir, keyDir);
  host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test' });
  await host.start();
  db = host.runtime.db;
  // An existing client whose phone is in the file (row 2: "0151 1000000"): the import merges into her.
  await seedSalon(db, { now: Date.now(), clients: [salonClient('c-known', Date.now(), { firstName: 'Anna', lastName: 'Known', phone: '+491511000000', email: undefined, birthday: undefined, notes: 'VIP' })] });
}, 60_000);

afterAll(async () => {
  await host.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function clientCount(): Promise<number> {
  return db.clients.count({ selector: { locationId: LOCATION_ID } }).exec();
}

async function start(duplicates: 'merge' | 'skip' = 'merge'): Promise<string> {
  const started = await call(host, 'clients.importStart', { locationId: LOCATION_ID, mapping, duplicates, dateOrder: 'dmy' });
  expect(started.ok).toBe(true);
  return (started as { value: { importId: string } }).value.importId;
}

async function send(importId: string, until = rows.length) {
  const issues: { row: number; code: string }[] = [];
  let summary;
  for (let at = 0; at < until; at += IMPORT_CHUNK_ROWS) {
    const chunk = rows.slice(at, Math.min(at + IMPORT_CHUNK_ROWS, until));
    const result = await call(host, 'clients.importRows', { importId, firstRow: at + 2, rows: chunk });
    expect(result.ok).toBe(true);
    const value = (result as { value: { summary: unknown; issues: { row: number; code: string }[] } }).value;
    issues.push(...value.issues);
    summary = value.summary;
  }
  return { summary, issues };
}

describe('client import', () => {
  it('refuses a mapping without a name column, with a code the desk translates', async () => {
    const result = await call(host, 'clients.importStart', { locationId: LOCATION_ID, mapping: [null, null, 'phone'], duplicates: 'merge', dateOrder: 'dmy' });
    expect(issueKeys(result)).toEqual(['import.mapping.noName@mapping']);
  });

  it('cancelled mid-way, writes nothing; the cancelled import is gone', async () => {
    const before = await clientCount();
    const importId = await start();
    const { summary } = await send(importId, 2500);
    expect(summary).toMatchObject({ rows: 2500 });
    expect(await clientCount()).toBe(before);
    expect((await call(host, 'clients.importCancel', { importId })).ok).toBe(true);
    const late = await call(host, 'clients.importCommit', { importId });
    expect(issueKeys(late)).toEqual(['import.notFound@importId']);
    expect(await clientCount()).toBe(before);
  });

  it('reports exact counts and every invalid row with its reason, then writes only valid clients in one go', async () => {
    const before = await clientCount();
    const importId = await start();
    const { summary, issues } = await send(importId);
    // Row 2 merges into the existing client: one fewer new client, one more duplicate.
    expect(summary).toEqual({ rows: 5000, toCreate: file.expected.unique - 1, toUpdate: 1, duplicates: file.expected.duplicates + 1, invalid: file.expected.invalid });
    expect(issues.filter((i) => i.code === 'import.phone.invalid')).toHaveLength(file.expected.badPhones);
    expect(issues.filter((i) => i.code === 'import.birthday.invalid')).toHaveLength(file.expected.badDates);
    for (const sample of file.samples) expect(issues).toContainEqual(expect.objectContaining(sample));
    expect(await clientCount()).toBe(before);

    const committed = await call(host, 'clients.importCommit', { importId });
    expect(committed).toMatchObject({ ok: true, value: { created: file.expected.unique - 1, updated: 1 } });
    expect(await clientCount()).toBe(before + file.expected.unique - 1);
    const all = (await db.clients.find({ selector: { locationId: LOCATION_ID } }).exec()).map((d) => d.toJSON());
    // Nothing invalid written: every phone is E.164, every birthday a real date, no bad row's number.
    expect(all.every((c) => c.phone === undefined || /^\+49151\d{7}$/.test(c.phone))).toBe(true);
    expect(all.some((c) => c.birthday === '1990-02-31' || c.birthday?.includes('-13-'))).toBe(false);
    const known = all.find((c) => c.id === 'c-known')!;
    expect(known).toMatchObject({ lastName: 'Known', notes: 'VIP\nPrefers; mornings', email: 'anna.0@example.org', birthday: '1960-01-01' });
    // Phones are unique after the merge.
    const phones = all.map((c) => c.phone).filter(Boolean);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it('refuses a commit whose merge target changed meanwhile, and writes nothing', async () => {
    const importId = await start();
    const sent = await call(host, 'clients.importRows', { importId, firstRow: 2, rows: [['Anna', 'Known', '0151 1000000', '', '', 'Allergic to latex'], ['Neue', 'Kundin', '0151 9999999', '', '', '']] });
    expect(sent).toMatchObject({ ok: true, value: { summary: { toCreate: 1, toUpdate: 1 } } });
    const before = await clientCount();
    const known = (await db.clients.findOne('c-known').exec())!;
    await known.incrementalPatch({ notes: 'VIP, changed at the other desk' });
    const result = await call(host, 'clients.importCommit', { importId });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(issueKeys(result)).toEqual(['import.changedElsewhere@importId']);
    expect(await clientCount()).toBe(before);
    expect((await db.clients.findOne('c-known').exec())!.notes).toBe('VIP, changed at the other desk');
  });
});
