/**
 * What is in a FrontDesk database file, read with SQLite itself (not through RxDB): the collection tables it lists and
 * a digest of every row of each, so a test can show that nothing was written, created or dropped.
 */
import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

export interface DatabaseSnapshot {
  /** `name v<version> -> table`, sorted. */
  collections: string[];
  /** Per collection: row count and a digest of (id, data, deleted, lwt) in id order. */
  tables: Record<string, { rows: number; digest: string }>;
  /** Every table and index SQLite knows, so junk tables show up too. */
  schemaObjects: string[];
}

export function snapshotDatabase(file: string): DatabaseSnapshot {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare('SELECT name, version, tbl FROM rx_collections ORDER BY name, version').all() as { name: string; version: number; tbl: string }[];
    const tables: DatabaseSnapshot['tables'] = {};
    for (const row of rows) {
      const hash = createHash('sha256');
      let count = 0;
      for (const doc of db.prepare(`SELECT id, data, deleted, lwt FROM "${row.tbl}" ORDER BY id`).iterate() as Iterable<Record<string, unknown>>) {
        hash.update(JSON.stringify([doc.id, doc.data, doc.deleted, doc.lwt]));
        count++;
      }
      tables[`${row.name} v${row.version}`] = { rows: count, digest: hash.digest('hex') };
    }
    const schemaObjects = (db.prepare("SELECT type || ' ' || name AS o FROM sqlite_master ORDER BY type, name").all() as { o: string }[]).map((r) => r.o);
    return { collections: rows.map((r) => `${r.name} v${r.version} -> ${r.tbl}`), tables, schemaObjects };
  } finally {
    db.close();
  }
}

/** SQLite's own consistency check of every page, index and table: 'ok' when the file is sound. */
export function integrityCheck(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** Up to `n` document ids of a collection (newest schema version), read from the file. */
export function sampleIds(file: string, collection: string, n: number): string[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const row = db.prepare('SELECT tbl FROM rx_collections WHERE name = ? ORDER BY version DESC LIMIT 1').get(collection) as { tbl: string } | undefined;
    if (!row) return [];
    return (db.prepare(`SELECT id FROM "${row.tbl}" ORDER BY id LIMIT ?`).all(n) as { id: string }[]).map((r) => r.id);
  } finally {
    db.close();
  }
}

/** Up to `n` documents of a collection (newest schema version) as stored. */
export function sampleDocs(file: string, collection: string, n: number): Record<string, unknown>[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const row = db.prepare('SELECT tbl FROM rx_collections WHERE name = ? ORDER BY version DESC LIMIT 1').get(collection) as { tbl: string } | undefined;
    if (!row) return [];
    return (db.prepare(`SELECT data FROM "${row.tbl}" ORDER BY id LIMIT ?`).all(n) as { data: string }[]).map((r) => JSON.parse(r.data) as Record<string, unknown>);
  } finally {
    db.close();
  }
}
