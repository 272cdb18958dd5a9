/**
 * Claiming a data folder for one host: the folder (0700, writable), the lock (one host per folder: a second one is
 * refused here, naming the first), then the database files (read-only; missing or damaged files are refused with what
 * to do; nothing is written to them). Light on purpose (no RxDB, no engine): the web mode claims the folder and
 * serves the page before the rest of the host has loaded (web/cli.ts), and FrontDeskHost.start does the same when
 * nobody did it for it.
 */
import { acquireDataFolderLock, describeHolder, type DataFolderLock, type LockHolder } from './data-folder-lock.ts';
import { restoreBackup } from './backup/restore-backup.ts';
import { checkDatabaseFiles, DataFolderError, prepareDataFolder } from './data-folder.ts';
import { storageWriteProblem } from './storage/storage-failure.ts';

export interface ClaimOptions {
  mode: LockHolder['mode'];
  version: string;
  /** ms since the epoch, for the lock's "running since". */
  now: number;
  log: (line: string) => void;
  /** False when the database is not on files in the folder (tests on the memory storage). */
  checkFiles: boolean;
  /** A backup to put in place of the book before anything opens it (`--restore-backup`; restore-backup.ts). */
  restoreFrom?: string | undefined;
}

export async function claimDataFolder(dataDir: string, options: ClaimOptions): Promise<DataFolderLock> {
  return claim(dataDir, options).catch((error: unknown) => {
    throw dataFolderRefused(error, dataDir) ?? error;
  });
}

/**
 * A start the disk refused (the lock file, its holder file, the database's first writes): "free some space" or "check
 * the disk or share", not "unexpected".
 */
export function dataFolderRefused(error: unknown, dataDir: string): DataFolderError | undefined {
  const problem = storageWriteProblem(error);
  return problem === 'diskFull' || problem === 'readOnly' ? new DataFolderError(problem, dataDir) : undefined;
}

async function claim(dataDir: string, options: ClaimOptions): Promise<DataFolderLock> {
  await prepareDataFolder(dataDir, options.log);
  const lock = await acquireDataFolderLock(dataDir, { mode: options.mode, pid: process.pid, since: new Date(options.now).toISOString(), version: options.version });
  const previous = lock.previousHolder;
  if (previous) options.log(`The previous FrontDesk on this data folder (${describeHolder(previous)}) did not stop cleanly; its lock was released by the system.`);
  try {
    if (options.restoreFrom !== undefined) restoreBackup(dataDir, options.restoreFrom, options.now, options.log);
    if (options.checkFiles) await checkDatabaseFiles(dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}
