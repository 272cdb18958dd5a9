/**
 * The floor under the cold plan's "≤ 0.5× bulkInsert" target: the rows the plan wrote (and the appointments it read),
 * copied raw — no RxDB, no planning, no JSON work — into a fresh SQLite file with the same tables and indexes, written
 * the way the planner writes (WAL, synchronous=NORMAL, no checkpoints, the storage's 32 MiB page cache, 3,000 rows per
 * transaction). If writing the jobs raw already takes longer than half the RxDB bulkInsert of the appointments, no
 * planner that keeps one outbox row per job can meet that ratio; the line says by how much.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { databaseFileName } from '../../electron/host/storage/shared-file.ts';

const ROWS_PER_TRANSACTION = 3_000;

interface TableCopy {
  rows: number;
  ms: number;
}

/** Copies the `*_<collection>` table of `source` into `target` raw and times the writes alone. */
function copyRaw(source: DatabaseSync, target: DatabaseSync, collection: string): TableCopy {
  const table = source.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name GLOB ?`).get(`*_${collection}`) as { name: string; sql: string } | undefined;
  if (!table) throw new Error(`no ${collection} table in the bench database`);
  target.exec(table.sql);
  const indexes = source.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(table.name) as { sql: string }[];
  for (const index of indexes) target.exec(index.sql);
  const rows = source.prepare(`SELECT * FROM "${table.name}"`).all() as Record<string, unknown>[];
  if (rows.length === 0) return { rows: 0, ms: 0 };
  const columns = Object.keys(rows[0]!);
  const insert = target.prepare(`INSERT INTO "${table.name}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const values = rows.map((row) => columns.map((column) => row[column]) as (string | number)[]);
  const t0 = performance.now();
  for (let start = 0; start < values.length; start += ROWS_PER_TRANSACTION) {
    target.exec('BEGIN');
    for (const row of values.slice(start, start + ROWS_PER_TRANSACTION)) insert.run(...row);
    target.exec('COMMIT');
  }
  return { rows: rows.length, ms: performance.now() - t0 };
}

/** The raw write times of the plan's jobs and of the appointments, from the closed bench database `name` in `dir`. */
export function coldPlanWriteFloor(dir: string, name: string): { jobs: TableCopy; appointments: TableCopy } {
  const source = new DatabaseSync(path.join(dir, databaseFileName(name)), { readOnly: true });
  const copyFile = path.join(dir, 'raw-floor.sqlite');
  const removeCopy = () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(copyFile + suffix, { force: true }));
  removeCopy();
  const target = new DatabaseSync(copyFile);
  try {
    target.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768');
    return { jobs: copyRaw(source, target, 'jobs'), appointments: copyRaw(source, target, 'appointments') };
  } finally {
    target.close();
    source.close();
    removeCopy();
  }
}
