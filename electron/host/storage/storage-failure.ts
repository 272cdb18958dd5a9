/**
 * A write the disk refused while the host runs: the disk (or the user's quota) is full, the disk (a USB disk, a
 * network share) turned read-only, or the disk reported an error. Nothing of that write was kept (SQLite rolls the
 * transaction back), what was saved before stays, and the same write goes through once the disk takes it again; the
 * desk is told so in its language instead of "restart FrontDesk".
 */
import { closeSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/ipc/result.ts';

export type StorageWriteProblem = 'diskFull' | 'readOnly' | 'writeFailed';

/** SQLite's primary result codes: SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL. */
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
/** EROFS on Linux and macOS; Node names it only when libuv knows the errno (its rm does not: code '', "Unknown error"). */
const EROFS_ERRNO = 30;

/** What went wrong, for an error node:sqlite or the file system threw (found through wrapping errors' causes too). */
export function storageWriteProblem(error: unknown, depth = 0): StorageWriteProblem | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { errcode, code, errno, message, cause, parameters } = error as { errcode?: unknown; code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; parameters?: { error?: unknown } };
  if (typeof errcode === 'number') {
    if ((errcode & 0xff) === SQLITE_FULL) return 'diskFull';
    if ((errcode & 0xff) === SQLITE_READONLY) return 'readOnly';
    if ((errcode & 0xff) === SQLITE_IOERR) return 'writeFailed';
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'diskFull';
  if (code === 'EROFS' || errno === -EROFS_ERRNO || (typeof message === 'string' && message.includes('Read-only file system'))) return 'readOnly';
  if (code === 'EIO') return 'writeFailed';
  return storageWriteProblem(cause, depth + 1) ?? storageWriteProblem(parameters?.error, depth + 1);
}

/**
 * SQLite reports a write refused by a read-only file system as a plain I/O error (SQLITE_IOERR_WRITE; node:sqlite
 * does not pass on the errno). Creating an empty file in the folder tells: EROFS when the file system is read-only,
 * which access() does not always know (ext4 turned read-only after a disk error still answers access() as writable).
 */
function folderIsReadOnly(dataDir: string): boolean {
  const probe = path.join(dataDir, `.frontdesk-write-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w'));
    rmSync(probe, { force: true });
    return false;
  } catch (error) {
    return storageWriteProblem(error) === 'readOnly';
  }
}

const MESSAGES: Record<StorageWriteProblem, (dataDir: string) => string> = {
  diskFull: (dataDir) => `Nothing was saved: the disk that holds the data folder ${dataDir} is full. Everything saved before is safe. Free some space on it, then do this again.`,
  readOnly: (dataDir) => `Nothing was saved: the data folder ${dataDir} became read-only. Everything saved before is safe. Check the disk or network share it is on, then do this again.`,
  writeFailed: (dataDir) => `Nothing was saved: the disk that holds the data folder ${dataDir} reported an error. Everything saved before is safe. Check the disk, then do this again.`,
};

/** The API's answer to a command whose write the disk refused; undefined for any other failure. */
export function storageWriteFailure(error: unknown, dataDir: string): ApiError | undefined {
  const found = storageWriteProblem(error);
  if (!found) return undefined;
  const problem = found === 'writeFailed' && folderIsReadOnly(dataDir) ? 'readOnly' : found;
  return new ApiError('unavailable', MESSAGES[problem](dataDir), { reason: `storage.${problem}`, params: { dataDir } });
}
