/**
 * The front-desk core that Electron main and the web mode both run. It owns the data folder and
 * (as later issues add them) the database, the notification engine and sync, and answers the API.
 * Node only: it never imports 'electron', so it runs the same in plain Node.
 */
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import type { ChannelProvider } from '../../shared/engine/provider.ts';
import type { Channel } from '../../shared/notifications/catalog.ts';
import type { Clock, Timers } from '../../shared/time/clock.ts';
import { ApiError } from '../../shared/ipc/result.ts';
import { locationHandlers } from './api/location-api.ts';
import { backupHandlers } from './api/backup-api.ts';
import { deskHandlers } from './api/desk-api.ts';
import { locationCommandHandlers } from './commands/location-commands.ts';
import { appointmentHandlers } from './commands/appointment-commands.ts';
import { clientHandlers } from './commands/client-commands.ts';
import { loyaltyHandlers } from './commands/loyalty-commands.ts';
import { ClientImports, clientImportHandlers } from './commands/client-import-commands.ts';
import { staffHandlers } from './commands/staff-commands.ts';
import { integrationHandlers } from './api/integrations-api.ts';
import { settingsHandlers } from './commands/settings-commands.ts';
import { providerHandlers } from './api/providers-api.ts';
import { syncHandlers } from './api/sync-api.ts';
import type { SyncTuning } from './sync/sync-service.ts';
import { notificationHandlers } from './api/notification-api.ts';
import type { DataFolderLock } from './data-folder-lock.ts';
import { markDataFolder } from './data-folder.ts';
import { claimDataFolder, dataFolderRefused } from './folder-claim.ts';
import { SalonRuntime } from './salon-runtime.ts';
import type { KeyProtection } from './secret-store.ts';
import type { AppInfo, HostEvent } from '../../shared/ipc/contract.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import { createApiRouter, type ApiRouter, type Handlers } from './api/router.ts';
import { documentChanges, type DocumentChange } from './db/document-changes.ts';
import type { DeliveryLogEntry } from '../../shared/domain/delivery-log.ts';
import type { MigrationProgress } from './db/open-database.ts';
import { systemClock, systemTimers } from './system-clock.ts';
import { storageWriteFailure } from './storage/storage-failure.ts';
import { startMark } from './start-trace.ts';

export type HostMode = AppInfo['mode'];
export type HostState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface HostOptions {
  dataDir: string;
  mode: HostMode;
  version: string;
  clock?: Clock;
  timers?: Timers;
  log?: (line: string) => void;
  /** Load the demo salon into an empty data folder. */
  demo?: boolean;
  /** Tests: RxDB's memory storage instead of the node:sqlite files in the data folder. */
  storage?: RxStorage<unknown, unknown>;
  /** Tests: providers talking to loopback servers. */
  providers?: Partial<Record<Channel, ChannelProvider>>;
  /** Electron main injects safeStorage here; the saved passwords' key is then wrapped by the OS keychain. */
  keyProtection?: KeyProtection;
  /** Without keyProtection: the folder of the key file (default: FRONTDESK_KEY_DIR or the user's config folder). */
  keyDir?: string;
  /** Tests: shorter sync lease, retry and timeout times. */
  syncTuning?: Partial<SyncTuning>;
  /** The app's entries give the window this head start before the engine re-plans the book (EngineOptions). */
  startPlanDelayMs?: number;
  /** The integration endpoint's port instead of the saved one (tests: 0 for any free port). */
  integrationPort?: number;
  /** The data folder, already claimed by the caller (folder-claim.ts); the host releases it when it stops or fails. */
  claimedFolder?: DataFolderLock;
  /** A backup file to put in place of the book before it opens (`--restore-backup`); only when the host claims the folder. */
  restoreFrom?: string;
  /** The app's icon for desktop toasts: a real file the OS's notifier can read (not inside an asar archive). */
  toastIcon?: string;
}

/**
 * The app's entries (web mode, the desktop host process) give the window this head start before the engine re-plans
 * the whole book at start: measured with 30 staff and 5k visits, the re-plan otherwise holds the event loop for
 * seconds in 100–200 ms slices while the page, its stylesheet and its first queries wait behind them.
 */
export const WINDOW_HEAD_START_MS = 2000;

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
  #options: HostOptions;
  #runtime: SalonRuntime | undefined;
  #lock: DataFolderLock | undefined;
  #stopWatching: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #databaseReady = deferred<FrontDeskDatabase>();

  constructor(options: HostOptions) {
    this.#options = options;
    this.dataDir = path.resolve(options.dataDir);
    this.mode = options.mode;
    this.version = options.version;
    this.clock = options.clock ?? systemClock;
    this.#log = options.log ?? (() => {});
    // A failed start rejects it whether or not a renderer was waiting; the caller of start() gets the error.
    this.#databaseReady.promise.catch(() => undefined);
    const router = createApiRouter(this.#handlers(), {
      onHandlerError: (channel, error) => this.#log(`API ${channel} failed: ${describe(error)}`),
      explainFailure: (error) => storageWriteFailure(error, this.dataDir),
    });
    this.api = {
      // A call that arrives while the database opens (the web mode serves the page before that) waits for it.
      call: async (channel, payload) => {
        if (this.#state === 'starting') await this.whenRunning().catch(() => undefined);
        return router.call(channel, payload);
      },
    };
  }

  get state(): HostState {
    return this.#state;
  }

  /**
   * Start-up, in this order, so a refusal never leaves anything half-done: the data folder (0700, writable), the lock
   * (one host per folder: a second one is refused here, naming the first), the database files (read-only, missing or
   * damaged files are refused with what to do; nothing is written to them), then the database, secrets and engine.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`Host cannot start from state '${this.#state}'.`);
    this.#state = 'starting';
    const started = this.#start();
    this.#running = started;
    // Nobody may be waiting; the caller of start() gets the error.
    started.catch(() => undefined);
    return started;
  }

  /**
   * The database, as soon as it is open and filled — while the rest of the host (providers, sync, engine) still starts:
   * what the renderers' read-only storage channel needs. Rejects if the start fails (or the host is not starting).
   */
  whenDatabaseReady(): Promise<FrontDeskDatabase> {
    if (this.#state === 'running') return Promise.resolve(this.runtime.db);
    if (this.#state === 'starting') return this.#databaseReady.promise;
    return Promise.reject(new ApiError('unavailable', `FrontDesk is ${this.#state}; try again in a moment.`));
  }

  /** Resolves once the host is running; rejects if its start failed (or it was never started). */
  whenRunning(): Promise<void> {
    if (this.#state === 'running') return Promise.resolve();
    if (this.#state === 'starting' && this.#running) return this.#running;
    return Promise.reject(new ApiError('unavailable', `FrontDesk is ${this.#state}; try again in a moment.`));
  }

  async #start(): Promise<void> {
    try {
      // The database's open holds the event loop until it is done: what the page's sockets sent meanwhile is read first
      // (web mode: its storage connections are then answered at once, see web-server.ts, and it opens its collections
      // while the database opens). Two turns: the first check phase comes before the next poll for input.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      const onFiles = !this.#options.storage;
      // Taken over from the caller, who claimed the folder already (the web mode, to serve the page sooner); from then
      // on this host releases it.
      this.#lock = this.#options.claimedFolder;
      this.#lock ??= await claimDataFolder(this.dataDir, { mode: this.mode, version: this.version, now: this.clock.now(), log: this.#log, checkFiles: onFiles, restoreFrom: this.#options.restoreFrom });
      this.#runtime = await SalonRuntime.open({
        dataDir: this.dataDir,
        clock: this.clock,
        timers: this.#options.timers ?? systemTimers,
        log: this.#log,
        ...(this.#options.storage ? { storage: this.#options.storage } : {}),
        ...(this.#options.providers ? { providers: this.#options.providers } : {}),
        ...(this.#options.demo ? { demo: true } : {}),
        ...(this.#options.keyProtection ? { keyProtection: this.#options.keyProtection } : {}),
        ...(this.#options.keyDir ? { keyDir: this.#options.keyDir } : {}),
        ...(this.#options.syncTuning ? { syncTuning: this.#options.syncTuning } : {}),
        ...(this.#options.startPlanDelayMs ? { startPlanDelayMs: this.#options.startPlanDelayMs } : {}),
        ...(this.#options.toastIcon ? { toastIcon: this.#options.toastIcon } : {}),
        onMigration: (progress) => this.#reportMigration(progress),
        onDatabaseReady: (db) => this.#databaseReady.resolve(db),
        onToastClick: (appointmentId) => this.emit({ type: 'openAppointment', appointmentId }),
        onDeskToast: (toast) => this.emit({ type: 'deskToast', ...toast }),
        ...(this.#options.integrationPort !== undefined ? { integrationPort: this.#options.integrationPort } : {}),
      });
      if (onFiles) await markDataFolder(this.dataDir, this.version, new Date(this.clock.now()));
      this.#stopWatching = this.#watchCollections(this.#runtime);
      this.#startedAt = this.clock.now();
      this.#state = 'running';
      startMark('host_running');
    } catch (failure) {
      const error = dataFolderRefused(failure, this.dataDir) ?? failure;
      this.#databaseReady.reject(error);
      this.#state = 'failed';
      await this.#runtime?.close().catch(() => undefined);
      this.#runtime = undefined;
      this.#lock?.release();
      this.#lock = undefined;
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'idle' || this.#state === 'failed') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    this.emit({ type: 'hostStopping' });
    this.#listeners.clear();
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    try {
      await this.#runtime?.close();
    } finally {
      this.#runtime = undefined;
      // Last: the folder is free only once the database is closed.
      this.#lock?.release();
      this.#lock = undefined;
      this.#state = 'stopped';
    }
  }

  /** The database, engine and providers; only while running. */
  get runtime(): SalonRuntime {
    if (!this.#runtime) throw new ApiError('unavailable', `FrontDesk is ${this.#state}; try again in a moment.`);
    return this.#runtime;
  }

  /** Host → UI events; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #migrationsLogged = new Set<string>();

  /** The first start after an update: the window is told how far (it waits for the data meanwhile), the log once each way. */
  #reportMigration(progress: MigrationProgress): void {
    const done = progress.total > 0 && progress.handled >= progress.total;
    const key = `${progress.collection}:${done ? 'done' : 'started'}`;
    if (progress.total > 0 && !this.#migrationsLogged.has(key)) {
      this.#migrationsLogged.add(key);
      this.#log(done ? `Updated ${progress.collection} to this version's layout (${progress.total} documents).` : `Updating ${progress.collection} to this version's layout (${progress.total} documents, once after an update)…`);
    }
    this.emit({ type: 'dataUpdating', ...progress });
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

  /**
   * Live screens refetch on these events instead of polling. Bursts (the engine writing a cascade, a demo load) are
   * coalesced: at most one event per collection every 150 ms.
   */
  #watchCollections(runtime: SalonRuntime): () => void {
    const coalesced = (event: () => HostEvent) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      return {
        fire: () => {
          timer ??= setTimeout(() => {
            timer = undefined;
            this.emit(event());
          }, 150);
        },
        cancel: () => clearTimeout(timer),
      };
    };
    const teamEvents = coalesced(() => ({ type: 'teamEventsChanged' }));
    // The log is append-only: its changes are entries written, and the oldest of a burst tells a window that keeps recent
    // entries (the delivery log screen) what to fetch again.
    let oldestLogged: number | undefined;
    const deliveryLog = coalesced(() => {
      const fromMs = oldestLogged;
      oldestLogged = undefined;
      return fromMs === undefined ? { type: 'deliveryLogChanged' } : { type: 'deliveryLogChanged', fromMs };
    });
    const logWritten = (change: DocumentChange<DeliveryLogEntry>) => {
      const atMs = change.documentData?.atMs;
      if (typeof atMs === 'number' && Number.isFinite(atMs)) oldestLogged = Math.min(oldestLogged ?? atMs, atMs);
      deliveryLog.fire();
    };
    const syncStatus = coalesced(() => ({ type: 'syncStatusChanged' }));
    const subscriptions = [documentChanges(runtime.db.team_events).subscribe(teamEvents.fire), documentChanges(runtime.db.delivery_log).subscribe(logWritten)];
    const stopSync = runtime.sync.onStatus(syncStatus.fire);
    return () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      stopSync();
      teamEvents.cancel();
      deliveryLog.cancel();
      syncStatus.cancel();
    };
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
      // The router noted the request (time-slice.ts): nothing else to do.
      'app.gesture': () => ({}),
      ...notificationHandlers(() => this.runtime),
      ...settingsHandlers(() => this.runtime, this.clock),
      ...appointmentHandlers(() => this.runtime, this.clock),
      ...clientHandlers(() => this.runtime, this.clock),
      ...locationHandlers(() => this.runtime),
      ...locationCommandHandlers(() => this.runtime, this.clock),
      ...deskHandlers(() => this.runtime),
      ...backupHandlers(() => this.runtime),
      ...syncHandlers(() => this.runtime),
      ...providerHandlers(() => this.runtime),
      ...loyaltyHandlers(() => this.runtime, this.clock),
      ...staffHandlers(() => this.runtime, this.clock),
      ...clientImportHandlers(() => this.runtime, new ClientImports(this.clock)),
      ...integrationHandlers(() => this.runtime),
    };
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
