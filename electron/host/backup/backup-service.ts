/**
 * Backups of the book in the data folder's `backups/` folder: one a day on its own (the first a few minutes after
 * start when the newest is older than a day), one whenever the manager asks ("Back up now"), the newest KEEP kept.
 * Without sync, the database file is the salon's whole book; a damaged file (a disk error, a crash of the machine
 * mid-write, a bad copy) is refused at start with "restore the data folder from your last backup" — this is that
 * backup. Each is a checked, self-contained copy (copy-database.ts) written under a temporary name and renamed into
 * place, so a backup that is listed is a whole one. The folder is the owner's only (0700, files 0600), as the data
 * folder is. The service sleeps until the next backup is due (one timer, no polling).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { Clock, TimerHandle, Timers } from '../../../shared/time/clock.ts';
import { storageWriteProblem } from '../storage/storage-failure.ts';
import { copyDatabase } from './copy-database.ts';

export const BACKUP_FOLDER = 'backups';
const KEEP = 7;
const DAY_MS = 24 * 60 * 60_000;
/** The first automatic backup waits this long after start: the window, sync and the start-up plan come first. */
const FIRST_DELAY_MS = 5 * 60_000;
/** After a failed automatic backup, the next try. */
const RETRY_MS = 60 * 60_000;
const NAME = /^frontdesk-(\d{8}-\d{6})\.sqlite$/;

export interface BackupFile {
  file: string;
  /** ISO time the copy was made. */
  at: string;
  bytes: number;
}

export interface BackupProblem {
  code: 'backup.diskFull' | 'backup.readOnly' | 'backup.failed';
  params: Record<string, string>;
  at: string;
}

export interface BackupStatus {
  /** False when the book is not in a file (tests on memory storage): nothing to back up. */
  available: boolean;
  folder: string;
  running: boolean;
  backups: BackupFile[];
  nextAt?: string;
  problem?: BackupProblem;
}

export interface BackupOptions {
  dataDir: string;
  /** The live database file; undefined when the book is not in a file. */
  databaseFile: string | undefined;
  clock: Clock;
  timers: Timers;
  log: (line: string) => void;
  /** Tests: how long after start the first automatic backup may come. */
  firstDelayMs?: number;
}

export class BackupService {
  readonly #o: BackupOptions;
  readonly #folder: string;
  #state: 'idle' | 'started' | 'stopped' = 'idle';
  #timer: TimerHandle | undefined;
  #nextAt: number | undefined;
  #running: Promise<BackupFile> | undefined;
  #problem: BackupProblem | undefined;
  #listeners = new Set<() => void>();

  constructor(options: BackupOptions) {
    this.#o = options;
    this.#folder = path.join(options.dataDir, BACKUP_FOLDER);
  }

  start(): void {
    if (this.#state !== 'idle' || this.#o.databaseFile === undefined) return;
    this.#state = 'started';
    const newest = this.list()[0];
    const now = this.#o.clock.now();
    const dueByAge = newest ? Date.parse(newest.at) + DAY_MS : now;
    this.#schedule(Math.max(now + (this.#o.firstDelayMs ?? FIRST_DELAY_MS), dueByAge));
  }

  /** Waits for a backup in progress (a copy cannot be cut short), then no more are made. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#nextAt = undefined;
    await this.#running?.catch(() => undefined);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  status(): BackupStatus {
    return {
      available: this.#o.databaseFile !== undefined,
      folder: this.#folder,
      running: this.#running !== undefined,
      backups: this.list(),
      ...(this.#nextAt !== undefined ? { nextAt: new Date(this.#nextAt).toISOString() } : {}),
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }

  /** The backups in the folder, newest first. */
  list(): BackupFile[] {
    let names: string[];
    try {
      names = readdirSync(this.#folder);
    } catch {
      return [];
    }
    const files: BackupFile[] = [];
    for (const name of names) {
      const stamp = NAME.exec(name)?.[1];
      if (!stamp) continue;
      try {
        files.push({ file: path.join(this.#folder, name), at: stampToIso(stamp), bytes: statSync(path.join(this.#folder, name)).size });
      } catch {
        // Removed meanwhile.
      }
    }
    return files.sort((a, b) => b.at.localeCompare(a.at));
  }

  /** Makes a backup now (or joins the one in progress). Rejects with a coded problem when the copy fails. */
  backupNow(): Promise<BackupFile> {
    const source = this.#o.databaseFile;
    if (source === undefined) return Promise.reject(problemError({ code: 'backup.failed', params: { detail: 'this book is not kept in a file' }, at: new Date(this.#o.clock.now()).toISOString() }));
    if (this.#state === 'stopped') return Promise.reject(problemError({ code: 'backup.failed', params: { detail: 'FrontDesk is closing' }, at: new Date(this.#o.clock.now()).toISOString() }));
    this.#running ??= this.#copy(source).finally(() => {
      this.#running = undefined;
      this.#changed();
    });
    this.#changed();
    return this.#running;
  }

  async #copy(source: string): Promise<BackupFile> {
    const started = this.#o.clock.now();
    const name = `frontdesk-${isoToStamp(new Date(started).toISOString())}.sqlite`;
    const target = path.join(this.#folder, name);
    const temporary = `${target}.partial`;
    try {
      mkdirSync(this.#folder, { recursive: true, mode: 0o700 });
      chmodSync(this.#folder, 0o700);
      rmSync(temporary, { force: true });
    } catch (error) {
      throw this.#failed(error as NodeJS.ErrnoException);
    }
    const result = await copyDatabase(source, temporary);
    if (!result.ok) {
      rmSync(temporary, { force: true });
      throw this.#failed({ code: result.code, message: result.message } as NodeJS.ErrnoException);
    }
    try {
      chmodSync(temporary, 0o600);
      renameSync(temporary, target);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw this.#failed(error as NodeJS.ErrnoException);
    }
    this.#problem = undefined;
    this.#prune();
    // Asked for or automatic, the next automatic one is a day after this one.
    if (this.#state === 'started') this.#schedule(started + DAY_MS);
    this.#o.log(`Backup written: ${target} (${Math.round(result.bytes / 1024)} KiB)`);
    return { file: target, at: new Date(started).toISOString(), bytes: result.bytes };
  }

  #failed(error: { code?: string; message: string }): Error {
    this.#problem = { code: problemCode(error), params: { folder: this.#folder, detail: error.message.slice(0, 300) }, at: new Date(this.#o.clock.now()).toISOString() };
    this.#o.log(`Backup failed: ${error.message}`);
    return problemError(this.#problem);
  }

  #prune(): void {
    for (const old of this.list().slice(KEEP)) rmSync(old.file, { force: true });
  }

  #schedule(at: number): void {
    if (this.#state !== 'started') return;
    this.#timer?.cancel();
    this.#nextAt = at;
    this.#timer = this.#o.timers.after(Math.max(0, at - this.#o.clock.now()), () => {
      this.#timer = undefined;
      // A backup that works schedules the next itself (#copy); one that fails is tried again sooner.
      void this.backupNow().catch(() => this.#schedule(this.#o.clock.now() + RETRY_MS));
    });
    this.#changed();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** A copy's failure (fs's code, or SQLite's result code as the copying thread passes it on) as the desk is told it. */
function problemCode(error: { code?: string; message: string }): BackupProblem['code'] {
  const errcode = /^\d+$/.test(error.code ?? '') ? Number(error.code) : undefined;
  const problem = storageWriteProblem({ code: error.code, errcode, message: error.message });
  if (problem === 'diskFull' || /disk is full|no space/i.test(error.message)) return 'backup.diskFull';
  return problem === 'readOnly' ? 'backup.readOnly' : 'backup.failed';
}

/** The error a failed backup rejects with: its `issue` travels to the desk, which translates it. */
export interface BackupError extends Error {
  problem: BackupProblem;
}

function problemError(problem: BackupProblem): BackupError {
  return Object.assign(new Error(`${problem.code}: ${problem.params['detail'] ?? ''}`), { problem });
}

/** 2026-12-05T02:35:12.345Z → 20261205-023512 (UTC: names sort by time, whatever the salon's zone). */
function isoToStamp(iso: string): string {
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

function stampToIso(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.000Z`;
}
