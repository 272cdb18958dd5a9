/**
 * The delivery log is append-only in code: on the real node:sqlite storage, every way RxDB offers to change or delete
 * an entry — document edits, upserts, removals, a raw storage write over a previous state, dropping the collection —
 * is refused, while new entries still go in and other collections are edited as usual.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RxStorage } from 'rxdb';
import { APPEND_ONLY_REFUSAL, appendOnlyLogStorage } from '../../../../electron/host/db/append-only-storage.ts';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { validDocs } from './fixtures.ts';

let dir: string;
let db: FrontDeskDatabase;
const entry: DeliveryLogEntry = validDocs.delivery_log;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-append-only-'));
  const storage = appendOnlyLogStorage(getRxStorageNodeSqlite({ directory: dir }) as unknown as RxStorage<unknown, unknown>);
  db = await openFrontDeskDatabase({ storage, name: 'appendonly' });
  await db.delivery_log.insert(entry);
  await db.jobs.insert(validDocs.jobs);
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(write: () => Promise<unknown>): Promise<string> {
  try {
    const result = await write();
    // Bulk methods answer errors per document instead of throwing.
    const errors = (result as { error?: unknown[] } | undefined)?.error;
    if (Array.isArray(errors) && errors.length > 0) return JSON.stringify(errors[0]);
  } catch (error) {
    return `${(error as Error).message} ${JSON.stringify((error as { parameters?: unknown }).parameters ?? {})}`;
  }
  throw new Error('the write was expected to be refused');
}

async function stored(): Promise<DeliveryLogEntry | undefined> {
  return (await db.delivery_log.findOne(entry.id).exec())?.toMutableJSON();
}

describe('append-only delivery log', () => {
  it('refuses to change an entry by any RxDB write method', async () => {
    const doc = (await db.delivery_log.findOne(entry.id).exec())!;
    expect(await refusal(() => doc.incrementalModify((e) => ({ ...e, status: 'delivered' })))).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => doc.patch({ reason: 'rewritten' }))).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => doc.incrementalPatch({ reason: 'rewritten' }))).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => db.delivery_log.upsert({ ...entry, reason: 'rewritten' }))).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => db.delivery_log.bulkUpsert([{ ...entry, reason: 'rewritten' }]))).toContain(APPEND_ONLY_REFUSAL);
    expect(await stored()).toEqual(entry);
  });

  it('refuses to delete an entry or the log', async () => {
    const doc = (await db.delivery_log.findOne(entry.id).exec())!;
    expect(await refusal(() => doc.remove())).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => doc.incrementalRemove())).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => db.delivery_log.bulkRemove([entry.id]))).toContain(APPEND_ONLY_REFUSAL);
    expect(await refusal(() => db.delivery_log.find({ selector: { id: entry.id } }).remove())).toContain(APPEND_ONLY_REFUSAL);
    // Below RxDB's document layer: a raw storage write over the entry's current state.
    const raw = (await db.delivery_log.storageInstance.findDocumentsById([entry.id], false))[0]!;
    const rawResult = await db.delivery_log.storageInstance.bulkWrite([{ previous: raw, document: { ...raw, _deleted: true, _rev: '99-x', _meta: { lwt: Date.now() } } }], 'test');
    expect(rawResult.error).toMatchObject([{ status: 422, documentId: entry.id }]);
    expect(await refusal(() => db.delivery_log.storageInstance.remove())).toContain(APPEND_ONLY_REFUSAL);
    expect(await stored()).toEqual(entry);
    expect(await db.delivery_log.count().exec()).toBe(1);
  });

  it('still appends new entries, and leaves other collections editable', async () => {
    await db.delivery_log.insert({ ...entry, id: `${entry.id}-2`, atMs: entry.atMs + 1, at: new Date(entry.atMs + 1).toISOString() });
    expect(await db.delivery_log.count().exec()).toBe(2);
    // A replayed entry with the same id is a conflict, as before: nothing is overwritten.
    expect(await refusal(() => db.delivery_log.insert({ ...entry, reason: 'replayed' }))).toMatch(/CONFLICT|409/);
    const job = (await db.jobs.findOne(validDocs.jobs.id).exec())!;
    const edited = await job.incrementalPatch({ attempts: 3 });
    expect(edited.attempts).toBe(3);
  });
});
