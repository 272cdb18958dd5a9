/**
 * One host per data folder. Two hosts on one folder (web mode twice, or web mode beside the desktop app) would both
 * dispatch, and a client would get every reminder twice; so a host holds this lock for its whole life.
 *
 * The lock is an OS file lock, not a pid file: `frontdesk.lock` is a small SQLite file opened in exclusive locking
 * mode with a write transaction, so SQLite holds its byte-range lock (fcntl on POSIX, LockFileEx on Windows) until
 * the connection closes — and the OS drops it when the process dies, however it dies. A lock left by a crashed host
 * is therefore simply free: no pid guessing, no staleness timeout. Beside it, `frontdesk.lock.json` names the holder
 * (mode, pid, since when) for the refusal message; it is informational only and never decides anything.
 *
 * Never open `frontdesk.lock` with `fs` in a process that holds the lock: closing any descriptor of a file drops the
 * process's POSIX locks on it. The lock file itself is never deleted (deleting it would let two hosts lock two
 * different files of the same name).
 */
import { chmodSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const LOCK_FILE = 'frontdesk.lock';
export const LOCK_HOLDER_FILE = 'frontdesk.lock.json';

export interface LockHolder {
  mode: 'electron' | 'web';
  pid: number;
  /** ISO time the holder took the lock. */
  since: string;
  version: string;
  hostname: string;
}

export interface DataFolderLock {
  /** The holder file a previous host left behind when it did not stop cleanly (crash, kill, power loss). */
  readonly previousHolder: LockHolder | undefined;
  release(): void;
}

const MODE_NAMES: Record<LockHolder['mode'], string> = { electron: 'the desktop app', web: 'web mode' };

export function describeHolder(holder: LockHolder): string {
  const where = holder.hostname && holder.hostname !== os.hostname() ? ` on ${holder.hostname}` : '';
  return `${MODE_NAMES[holder.mode] ?? holder.mode}, process ${holder.pid}${where}, running since ${holder.since}`;
}

/** A second host on a folder that is in use: says which host holds it and what to do. */
export class DataFolderInUseError extends Error {
  readonly code = 'DATA_FOLDER_IN_USE';
  readonly dataDir: string;
  readonly holder: LockHolder | undefined;
  constructor(dataDir: string, holder: LockHolder | undefined) {
    const who = holder ? `another FrontDesk (${describeHolder(holder)})` : 'another FrontDesk that is just starting or stopping';
    super(
      `The data folder ${dataDir} is in use by ${who}. Only one FrontDesk may run on a data folder at a time: ` +
        'switch to the one that is running, or quit it first, or open a different folder with --data-dir.',
    );
    this.name = 'DataFolderInUseError';
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** Data folders whose lock this process holds. */
const HELD_HERE = new Set<string>();

/** SQLite's answers for a file that is not a sound database. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** Takes the lock or throws DataFolderInUseError. The folder must exist. */
export async function acquireDataFolderLock(dataDir: string, holder: Omit<LockHolder, 'hostname'>): Promise<DataFolderLock> {
  try {
    return await lockOnce(dataDir, holder);
  } catch (error) {
    const errcode = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
    // Not while this process holds it: closing the descriptor truncateSync opens would drop this process's lock.
    if ((errcode !== SQLITE_NOTADB && errcode !== SQLITE_CORRUPT) || HELD_HERE.has(path.resolve(dataDir))) throw error;
    // The lock file's bytes were damaged (a disk error, a sync tool's copy): only its OS lock means anything, and
    // SQLite took none, since it could not read the file. Emptied in place — the same file, so a live holder's lock,
    // if any, still stands and refuses this host — it locks as a fresh one. Before, the folder could never start again.
    truncateSync(path.join(dataDir, LOCK_FILE), 0);
    return lockOnce(dataDir, holder);
  }
}

async function lockOnce(dataDir: string, holder: Omit<LockHolder, 'hostname'>): Promise<DataFolderLock> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const holderPath = path.join(dataDir, LOCK_HOLDER_FILE);
  const db = new DatabaseSync(lockPath, { timeout: 0 });
  try {
    // Before the first transaction: SQLite creates `frontdesk.lock-journal` with the lock file's mode, and keeps it
    // while the lock is held. chmod by path opens no descriptor, so it cannot drop a lock this process holds.
    if (process.platform !== 'win32') chmodSync(lockPath, 0o600);
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = OFF');
    // In exclusive locking mode the lock a write transaction takes is kept after COMMIT, until close().
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    const errcode = (error as { errcode?: number }).errcode;
    if (errcode === SQLITE_BUSY || errcode === SQLITE_LOCKED) throw new DataFolderInUseError(dataDir, await readHolderSoon(holderPath));
    throw error;
  }
  const previousHolder = readHolder(holderPath);
  const record: LockHolder = { ...holder, hostname: os.hostname() };
  try {
    writeFileSync(`${holderPath}.tmp`, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    renameSync(`${holderPath}.tmp`, holderPath);
  } catch (error) {
    // A full disk: the start fails, and the folder must not stay locked by this process for the next try.
    rmSync(`${holderPath}.tmp`, { force: true });
    db.close();
    throw error;
  }
  let released = false;
  HELD_HERE.add(path.resolve(dataDir));
  return {
    previousHolder,
    release() {
      if (released) return;
      released = true;
      HELD_HERE.delete(path.resolve(dataDir));
      // The holder file goes first: once the lock is free, a new host may already have written its own.
      try {
        rmSync(holderPath, { force: true });
      } catch {
        // A folder that turned read-only keeps it: the next start reports an unclean stop, which is all a stale
        // holder file means. The quit goes on, and the lock is let go, or this process would hold the folder.
      }
      db.close();
    },
  };
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder> | null;
    if (
      value &&
      (value.mode === 'electron' || value.mode === 'web') &&
      Number.isInteger(value.pid) &&
      typeof value.since === 'string' &&
      typeof value.version === 'string'
    ) {
      return { mode: value.mode, pid: value.pid!, since: value.since, version: value.version, hostname: typeof value.hostname === 'string' ? value.hostname : '' };
    }
  } catch {
    // Missing or unreadable: the message then says less, nothing else depends on it.
  }
  return undefined;
}

/** The holder writes its file right after it got the lock; give a host that is just starting a moment to do so. */
async function readHolderSoon(file: string): Promise<LockHolder | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const holder = readHolder(file);
    if (holder) return holder;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}
