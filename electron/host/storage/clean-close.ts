/**
 * `quick_check` reads every page of the database at open (storage/shared-file.ts): about a second per 300 MB, at every
 * start. A file that this storage closed cleanly, and that nobody touched since, needs no such check: on a clean close
 * a seal (`<file>-closed`) records the file's identity, size and times; the next open compares them, and breaks the
 * seal before anything can write. A crash leaves no seal (the file is checked), and any change made to the file while
 * FrontDesk was closed breaks it too (a copy, a truncation, an overwrite changes its size, times or inode, and its
 * change time cannot be set back).
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

interface Seal {
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
}

const sealPath = (filePath: string) => `${filePath}-closed`;

function identity(filePath: string): Seal | undefined {
  try {
    const { size, ino, mtimeMs, ctimeMs } = statSync(filePath);
    return { size, ino, mtimeMs, ctimeMs };
  } catch {
    return undefined;
  }
}

/** True when the file is exactly as this storage left it at its last clean close (and no write-ahead log is left). */
export function unchangedSinceCleanClose(filePath: string): boolean {
  let seal: Partial<Seal>;
  try {
    seal = JSON.parse(readFileSync(sealPath(filePath), 'utf8')) as Partial<Seal>;
  } catch {
    return false;
  }
  const now = identity(filePath);
  if (!now || (identity(`${filePath}-wal`)?.size ?? 0) > 0) return false;
  return now.size === seal.size && now.ino === seal.ino && now.mtimeMs === seal.mtimeMs && now.ctimeMs === seal.ctimeMs;
}

/** Once the file is open (and checked if it had to be): from here on it may change. */
export function breakSeal(filePath: string): void {
  rmSync(sealPath(filePath), { force: true });
}

/**
 * After the last connection to the file closed cleanly (SQLite has checkpointed and removed the log). Best effort: a
 * full disk refused the seal and the host's stop failed with it; without a seal the next start checks the file.
 */
export function sealAfterCleanClose(filePath: string): void {
  const now = identity(filePath);
  if (!now) return;
  try {
    writeFileSync(sealPath(filePath), `${JSON.stringify(now)}\n`, { mode: 0o600 });
  } catch {
    rmSync(sealPath(filePath), { force: true });
  }
}
