/**
 * Bringing a backup back (`--restore-backup FILE`, web mode and desktop app): with the data folder claimed and before
 * anything opens the database, the backup is checked (a SQLite file FrontDesk wrote, `quick_check` ok) and only then
 * put in place of the book — the book as it was is moved, whole (with its write-ahead log, if a crash left one),
 * into `backups/replaced-<time>/`, never deleted. The copy is written under a temporary name and renamed, so a crash
 * mid-restore leaves the old book or the restored one, not half of one. A backup that fails its check changes nothing.
 */
import { copyFileSync, existsSync, mkdirSync, openSync, fsyncSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE } from '../data-folder.ts';
import { BACKUP_FOLDER } from './backup-service.ts';

/** A backup that cannot be restored: the message says which file and why; the data folder is as it was. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

function checkBackup(file: string): void {
  let info;
  try {
    info = statSync(file);
  } catch {
    throw new RestoreError(`The backup ${file} does not exist. Nothing was changed: give the path of a file in the data folder's ${BACKUP_FOLDER} folder.`);
  }
  if (!info.isFile()) throw new RestoreError(`The backup ${file} is not a file. Nothing was changed.`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const check = db.prepare('PRAGMA quick_check').all().map((row) => Object.values(row)[0]);
    if (check.length !== 1 || check[0] !== 'ok') throw new RestoreError(`The backup ${file} is damaged (${String(check[0])}). Nothing was changed: choose an older backup.`);
    const ours = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'rx_collections'").get() as { n: number };
    if (ours.n !== 1) throw new RestoreError(`The file ${file} is a database, but not one FrontDesk wrote. Nothing was changed.`);
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    throw new RestoreError(`The backup ${file} cannot be read as a FrontDesk database (${(error as Error).message}). Nothing was changed: choose another backup.`);
  } finally {
    db?.close();
  }
}

/** Puts `backupFile` in place of the data folder's book; answers where the replaced book went (undefined: there was none). */
export function restoreBackup(dataDir: string, backupFile: string, now: number, log: (line: string) => void): string | undefined {
  const source = path.resolve(backupFile);
  checkBackup(source);
  const database = path.join(dataDir, DATABASE_FILE);
  const present = ['', '-wal', '-shm', '-closed'].map((suffix) => database + suffix).filter((file) => existsSync(file));
  let replacedInto: string | undefined;
  if (present.length > 0) {
    replacedInto = path.join(dataDir, BACKUP_FOLDER, `replaced-${new Date(now).toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(replacedInto, { recursive: true, mode: 0o700 });
    for (const file of present) renameSync(file, path.join(replacedInto, path.basename(file)));
  }
  const temporary = `${database}.restoring`;
  rmSync(temporary, { force: true });
  copyFileSync(source, temporary);
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, database);
  log(`Restored the book from ${source}${replacedInto ? `; the book it replaced is in ${replacedInto}` : ''}.`);
  return replacedInto;
}
