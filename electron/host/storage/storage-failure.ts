/**
 * A write the disk refused while the host runs: the disk (or the user's quota) is full, or the disk reported an error.
 * Nothing of that write was kept (SQLite rolls the transaction back), what was saved before stays, and the same write
 * goes through once the disk takes it again; the desk is told so in its language instead of "restart FrontDesk".
 */
import { ApiError } from '../../../shared/ipc/result.ts';

export type StorageWriteProblem = 'diskFull' | 'writeFailed';

/** SQLite's primary result codes: SQLITE_IOERR, SQLITE_FULL. */
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;

/** What went wrong, for an error node:sqlite or the file system threw (found through wrapping errors' causes too). */
export function storageWriteProblem(error: unknown, depth = 0): StorageWriteProblem | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { errcode, code, cause, parameters } = error as { errcode?: unknown; code?: unknown; cause?: unknown; parameters?: { error?: unknown } };
  if (typeof errcode === 'number') {
    if ((errcode & 0xff) === SQLITE_FULL) return 'diskFull';
    if ((errcode & 0xff) === SQLITE_IOERR) return 'writeFailed';
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'diskFull';
  if (code === 'EIO') return 'writeFailed';
  return storageWriteProblem(cause, depth + 1) ?? storageWriteProblem(parameters?.error, depth + 1);
}

/** The API's answer to a command whose write the disk refused; undefined for any other failure. */
export function storageWriteFailure(error: unknown, dataDir: string): ApiError | undefined {
  const problem = storageWriteProblem(error);
  if (!problem) return undefined;
  const message =
    problem === 'diskFull'
      ? `Nothing was saved: the disk that holds the data folder ${dataDir} is full. Everything saved before is safe. Free some space on it, then do this again.`
      : `Nothing was saved: the disk that holds the data folder ${dataDir} reported an error. Everything saved before is safe. Check the disk, then do this again.`;
  return new ApiError('unavailable', message, { reason: `storage.${problem}`, params: { dataDir } });
}
