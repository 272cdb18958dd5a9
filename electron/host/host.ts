/**
 * The front-desk core that Electron main and the web mode both run. It owns the data folder and
 * (as later issues add them) the database, the notification engine and sync, and answers the API.
 * Node only: it never imports 'electron', so it runs the same in plain Node.
 */
import { mkdir, access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../shared/time/clock.ts';
import type { AppInfo, HostEvent } from '../../shared/ipc/contract.ts';
import { createApiRouter, type ApiRouter, type Handlers } from './api/router.ts';
import { systemClock } from './system-clock.ts';

export type HostMode = AppInfo['mode'];
export type HostState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface HostOptions {
  dataDir: string;
  mode: HostMode;
  version: string;
  clock?: Clock;
  log?: (line: string) => void;
}

type EventListener = (event: HostEvent) => void;

export class FrontDeskHost {
  readonly dataDir: string;
  readonly mode: HostMode;
  readonly version: string;
  readonly clock: Clock;
  readonly api: ApiRouter;
  #state: HostState = 'idle';
  #startedAt: number | undefined;
  #listeners = new Set<EventListener>();
  #log: (line: string) => void;

  constructor(options: HostOptions) {
    this.dataDir = path.resolve(options.dataDir);
    this.mode = options.mode;
    this.version = options.version;
    this.clock = options.clock ?? systemClock;
    this.#log = options.log ?? (() => {});
    this.api = createApiRouter(this.#handlers(), {
      onHandlerError: (channel, error) => this.#log(`API ${channel} failed: ${describe(error)}`),
    });
  }

  get state(): HostState {
    return this.#state;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`Host cannot start from state '${this.#state}'.`);
    this.#state = 'starting';
    try {
      await mkdir(this.dataDir, { recursive: true });
      await access(this.dataDir, constants.W_OK).catch(() => {
        throw new Error(`The data folder ${this.dataDir} is not writable: choose another with --data-dir or fix its permissions.`);
      });
      this.#startedAt = this.clock.now();
      this.#state = 'running';
    } catch (error) {
      this.#state = 'failed';
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    this.emit({ type: 'hostStopping' });
    this.#listeners.clear();
    this.#state = 'stopped';
  }

  /** Host → UI events; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: HostEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log(`event listener failed: ${describe(error)}`);
      }
    }
  }

  #handlers(): Handlers {
    return {
      'app.info': () => ({
        name: 'FrontDesk',
        version: this.version,
        mode: this.mode,
        dataDir: this.dataDir,
        startedAt: new Date(this.#startedAt ?? this.clock.now()).toISOString(),
        platform: process.platform,
      }),
      'app.ping': ({ echo }) => ({ echo, at: new Date(this.clock.now()).toISOString() }),
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
