/** Shared by the write-group tests: two collections of one database file, and what another connection sees of it. */
import { DatabaseSync } from 'node:sqlite';
import type { RxStorageInstance } from 'rxdb';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import type { NodeSqliteInternals } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance, type Appointment } from './storage-fixtures.ts';

export type Instance = RxStorageInstance<Appointment, unknown, unknown>;

export async function openPair(directory: string, databaseName: string): Promise<{ jobs: Instance; log: Instance; filePath: string; close: () => Promise<void> }> {
  const storage = getRxStorageNodeSqlite({ directory }) as never;
  const jobs = await openInstance(storage, databaseName, 'jobs');
  const log = await openInstance(storage, databaseName, 'log');
  const { filePath } = (jobs.internals as NodeSqliteInternals).shared.file;
  return { jobs, log, filePath, close: async () => void (await Promise.all([jobs.close(), log.close()])) };
}

/** What another connection to the file sees: only committed rows. */
export function committedIds(filePath: string, collection: string): string[] {
  const db = new DatabaseSync(filePath, { readOnly: true });
  try {
    const { tbl } = db.prepare('SELECT tbl FROM rx_collections WHERE name = ?').get(collection) as { tbl: string };
    return (db.prepare(`SELECT id FROM "${tbl}" ORDER BY id`).all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

export const doc = (id: string, i = 1) => ({ document: makeAppointment(id, i, 1_700_000_000_000 + i) });
export const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
