/**
 * The parent side of the multi-desk sync tests: spawns desks (desk-child.ts) with their own data folders, talks to
 * them over stdin/stdout, and counts what each handed to its email provider.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncConfig } from '../../../../../../shared/sync/sync-config.ts';
import type { SyncStatus } from '../../../../../../shared/sync/sync-status.ts';
import type { Appointment } from '../../../../../../shared/domain/appointment.ts';
import type { DeliveryLogEntry } from '../../../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../../../shared/domain/job.ts';
import type { TeamEvent } from '../../../../../../shared/domain/team-event.ts';
import type { DeskOptions } from '../desk-child.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'desk-child.ts');

export interface Dump {
  appointments: Appointment[];
  jobs: Job[];
  log: DeliveryLogEntry[];
  teamEvents: TeamEvent[];
  deskId: string;
}

export class Desk {
  readonly name: string;
  readonly dataDir: string;
  readonly options: DeskOptions;
  /** Job ids this desk's process handed to its provider, across restarts. */
  readonly sends: string[] = [];
  /** Desktop toasts this desk's process showed (with `recordToasts`), across restarts. */
  readonly toasts: { jobId: string; staffId: string }[] = [];
  stderr = '';
  /** Stopped with SIGSTOP: it answers nothing until SIGCONT, so callers must not wait on it. */
  paused = false;
  #child: ChildProcess | undefined;
  #next = 1;
  #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #ready: Promise<void> = Promise.resolve();
  #exited: Promise<void> = Promise.resolve();

  constructor(name: string, dataDir: string, options: DeskOptions) {
    this.name = name;
    this.dataDir = dataDir;
    this.options = options;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Running and not paused: a command gets an answer. */
  get responsive(): boolean {
    return this.running && !this.paused;
  }

  start(): Promise<void> {
    this.paused = false;
    const child = spawn(process.execPath, ['--no-warnings', '--expose-gc', childScript, this.dataDir, JSON.stringify(this.options)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    let buffered = '';
    this.#ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const line of parts) {
          if (line === 'ready') resolve();
          else if (line.startsWith('send ')) this.sends.push(line.slice(5));
          else if (line.startsWith('toast ')) {
            const [jobId = '', staffId = ''] = line.slice(6).split(' ');
            this.toasts.push({ jobId, staffId });
          }
          else if (line.startsWith('@')) {
            const space = line.indexOf(' ');
            const id = Number(line.slice(1, space));
            const answer = JSON.parse(line.slice(space + 1)) as { ok: boolean; value?: unknown; error?: string };
            const waiter = this.#waiting.get(id);
            this.#waiting.delete(id);
            if (answer.ok) waiter?.resolve(answer.value);
            else waiter?.reject(new Error(`${this.name}: ${answer.error}`));
          }
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => reject(new Error(`${this.name} exited before ready (${code ?? signal}): ${this.stderr.slice(-2000)}`)));
    });
    this.#exited = new Promise<void>((resolve) => child.on('exit', () => {
      for (const waiter of this.#waiting.values()) waiter.reject(new Error(`${this.name} exited`));
      this.#waiting.clear();
      resolve();
    }));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-50_000);
    });
    return this.#ready;
  }

  call<T>(command: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
    const child = this.#child;
    if (!child || !this.running) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name}: no answer to ${JSON.stringify(command)} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  }

  book(appointmentId: string, clientId: string, startInMs: number, staffId?: string): Promise<unknown> {
    return this.call({ cmd: 'book', appointmentId, clientId, startInMs, ...(staffId ? { staffId } : {}) });
  }

  /** Without telling the client unless `notifyClient`. */
  cancel(appointmentId: string, notifyClient = false): Promise<unknown> {
    return this.call({ cmd: 'cancel', appointmentId, notifyClient });
  }

  move(appointmentId: string, startInMs: number): Promise<unknown> {
    return this.call({ cmd: 'move', appointmentId, startInMs });
  }

  dump(): Promise<Dump> {
    return this.call<Dump>({ cmd: 'dump' });
  }

  status(timeoutMs?: number): Promise<SyncStatus> {
    return this.call<SyncStatus>({ cmd: 'status' }, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
    if (signal === 'SIGSTOP') this.paused = true;
    if (signal === 'SIGCONT') this.paused = false;
  }

  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  async quit(): Promise<void> {
    if (!this.running) return;
    await this.call({ cmd: 'quit' }).catch(() => undefined);
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }
}

export interface DeskSetup {
  serverUrl: string;
  smtpPort: number;
  locationId: string;
  prefix: string;
  tuning: DeskOptions['tuning'];
}

export async function makeDesk(name: string, username: string, password: string, setup: DeskSetup, extra: { seed?: { clients: number }; sync?: Partial<SyncConfig>; deferSync?: boolean; recordToasts?: boolean; clockOffsetMs?: number } = {}): Promise<Desk> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-sync-${name}-`));
  return new Desk(name, dataDir, {
    smtpPort: setup.smtpPort,
    ...(extra.seed ? { seed: extra.seed } : {}),
    ...(extra.deferSync ? { deferSync: true } : {}),
    ...(extra.recordToasts ? { recordToasts: true } : {}),
    ...(extra.clockOffsetMs ? { clockOffsetMs: extra.clockOffsetMs } : {}),
    password,
    tuning: setup.tuning,
    sync: {
      enabled: true,
      endpoint: setup.serverUrl,
      username,
      deskName: name,
      onlyDesk: false,
      allowInsecureHttp: false,
      locations: [{ locationId: setup.locationId, databasePrefix: setup.prefix }],
      ...extra.sync,
    },
  });
}

/** Polls until `check` answers a value, or fails with `describe()`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
