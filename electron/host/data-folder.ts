/**
 * The data folder before the database opens: created 0700 (an older, wider folder is tightened), writable, and its
 * database files checked for what SQLite cannot tell: a read-only file (as root SQLite would write it anyway), and a
 * database that is missing or empty although the folder held a salon (SQLite would quietly start a new, empty one).
 * Damage inside the file is found by the storage's `quick_check` when it opens (see storage/shared-file.ts).
 *
 * `frontdesk.folder.json` marks a folder whose database has held a salon; it is written once, after the first
 * successful open, and is what makes a vanished or zero-length database an error instead of a fresh start.
 * Everything here reads metadata only (stat, access, chmod); nothing opens the database files.
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseFileError } from './storage/database-file-error.ts';

export const DATABASE_NAME = 'frontdesk';
export const DATABASE_FILE = `${DATABASE_NAME}.sqlite`;
export const FOLDER_MARKER_FILE = 'frontdesk.folder.json';

const OWNER_ONLY_FOLDER = 0o700;

/** A data folder this host cannot use: not a folder, not writable, on a full disk or a read-only one. Nothing was changed. */
export class DataFolderError extends Error {
  readonly code = 'DATA_FOLDER';
  readonly problem: 'notAFolder' | 'notWritable' | 'diskFull' | 'readOnly';
  readonly dataDir: string;
  constructor(problem: DataFolderError['problem'], dataDir: string) {
    super(
      problem === 'notAFolder'
        ? `The data folder ${dataDir} is not a folder: choose another with --data-dir.`
        : problem === 'diskFull'
          ? `The disk that holds the data folder ${dataDir} is full. Nothing was changed. Free some space on it, then start FrontDesk again.`
          : problem === 'readOnly'
            ? `The data folder ${dataDir} is on a read-only disk or network share. Nothing was changed. Check the disk or share (it may need to be connected again, or checked for errors), then start FrontDesk again.`
            : `The data folder ${dataDir} is not writable. Nothing was changed. Fix its permissions so that your user can write it (for example: chmod u+rwx), or choose another folder with --data-dir.`,
    );
    this.name = 'DataFolderError';
    this.problem = problem;
    this.dataDir = dataDir;
  }
}
const POSIX = process.platform !== 'win32';

/** Creates the folder 0700, or tightens an existing one; refuses a folder this user cannot write. */
export async function prepareDataFolder(dataDir: string, log: (line: string) => void): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: OWNER_ONLY_FOLDER }).catch(async (error: unknown) => {
    // A file where the folder (EEXIST) or one of its parents (ENOTDIR) should be.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new DataFolderError('notAFolder', dataDir);
    // Node's recursive mkdir reports a read-only file system as ENOENT: its nearest existing folder tells.
    if ((await isWritable(await nearestExisting(dataDir), 0o700)) === 'readOnly') throw new DataFolderError('readOnly', dataDir);
    throw error;
  });
  const info = await stat(dataDir);
  if (!info.isDirectory()) throw new DataFolderError('notAFolder', dataDir);
  if (POSIX && (info.mode & 0o077) !== 0) {
    await chmod(dataDir, OWNER_ONLY_FOLDER).then(
      () => log(`Data folder ${dataDir}: access limited to your user (was ${octal(info.mode)}).`),
      (error: unknown) => log(`Data folder ${dataDir} is readable by other users (${octal(info.mode)}) and could not be changed: ${(error as Error).message}`),
    );
  }
  const writable = await isWritable(dataDir, info.mode);
  if (writable !== true) throw new DataFolderError(writable === 'readOnly' ? 'readOnly' : 'notWritable', dataDir);
}

/** Checks the database files before they are opened; throws a DatabaseFileError that says what to do. */
export async function checkDatabaseFiles(dataDir: string): Promise<void> {
  const databasePath = path.join(dataDir, DATABASE_FILE);
  for (const suffix of ['', '-wal', '-shm']) {
    const file = databasePath + suffix;
    const info = await stat(file).catch(() => undefined);
    if (!info) continue;
    if (!info.isFile()) throw new DatabaseFileError('damaged', file, 'it is not a regular file');
    const writable = await isWritable(file, info.mode);
    if (writable === 'readOnly') throw new DataFolderError('readOnly', dataDir);
    if (!writable) throw new DatabaseFileError('notWritable', file, `the file is read-only (${octal(info.mode)})`);
  }
  if (!(await exists(path.join(dataDir, FOLDER_MARKER_FILE)))) return;
  const database = await stat(databasePath).catch(() => undefined);
  const wal = await stat(`${databasePath}-wal`).catch(() => undefined);
  if (!database) throw new DatabaseFileError('missingData', databasePath, 'missing');
  if (database.size === 0 && !(wal && wal.size > 0)) throw new DatabaseFileError('missingData', databasePath, 'empty (0 bytes)');
}

/** After the database opened: remember that this folder holds a salon. */
export async function markDataFolder(dataDir: string, version: string, now: Date): Promise<void> {
  const marker = path.join(dataDir, FOLDER_MARKER_FILE);
  if (await exists(marker)) return;
  const body = { about: 'This folder holds a FrontDesk salon database. Back up the whole folder while FrontDesk is closed.', createdAt: now.toISOString(), createdBy: version };
  await writeFile(marker, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
}

/**
 * Owner write permission, checked on the mode bits as well as with access(): root passes every access() check, and a
 * file a person made read-only on purpose (or copied from a read-only medium) must not be written behind their back.
 * A read-only file system (EROFS) is told apart: no permission fixes it.
 */
async function isWritable(file: string, mode: number): Promise<boolean | 'readOnly'> {
  const answer = await access(file, constants.W_OK).then(
    () => true,
    (error: unknown) => ((error as NodeJS.ErrnoException).code === 'EROFS' ? 'readOnly' : false),
  );
  if (answer === 'readOnly') return answer;
  return POSIX && (mode & 0o200) === 0 ? false : answer;
}

async function nearestExisting(folder: string): Promise<string> {
  const parent = path.dirname(folder);
  return parent === folder || (await exists(folder)) ? folder : nearestExisting(parent);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
