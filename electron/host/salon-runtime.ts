/**
 * The salon's live parts inside the host: the database in the data folder, the channel providers and the
 * notification engine, started and stopped in order.
 */
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import type { Subscription } from 'rxjs';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import type { Location } from '../../shared/domain/location.ts';
import type { ChannelProvider } from '../../shared/engine/provider.ts';
import type { Channel } from '../../shared/notifications/catalog.ts';
import { loadDemoSalon } from '../../shared/demo/load-demo-salon.ts';
import { DEMO_SEED } from '../../shared/demo/demo-salon.ts';
import type { Clock, Timers } from '../../shared/time/clock.ts';
import { ClockWatch } from '../../shared/time/clock-watch.ts';
import { createDesktopProvider } from './channels/desktop-provider.ts';
import { appendOnlyLogStorage } from './db/append-only-storage.ts';
import { forwardOnlyJobsStorage } from './db/forward-only-jobs.ts';
import { OwnEchoes, ownEchoStorage } from './sync/own-echoes.ts';
import { ProviderHub } from './channels/provider-hub.ts';
import { InboundPoller } from './channels/inbound-poller.ts';
import { moveAllLegacySmtp, moveLegacySmtp } from './channels/legacy-smtp.ts';
import { openFrontDeskDatabase, type MigrationProgress } from './db/open-database.ts';
import { NotificationEngine } from './engine/notification-engine.ts';
import { DATABASE_FILE, DATABASE_NAME } from './data-folder.ts';
import { defaultKeyDir } from './paths.ts';
import { SecretStore, type KeyProtection } from './secret-store.ts';
import { documentChanges } from './db/document-changes.ts';
import { BackupService } from './backup/backup-service.ts';
import { getRxStorageNodeSqlite } from './storage/index.ts';
import { startMark } from './start-trace.ts';
import { stampLocalEdits } from './sync/stamp-edits.ts';
import { SyncService, type SyncTuning } from './sync/sync-service.ts';
import type { DeskToast } from './integrations/integration-events.ts';
import { IntegrationService, integrationPortFromEnv } from './integrations/integration-service.ts';
import type { SyncConfig } from '../../shared/sync/sync-config.ts';

export interface SalonRuntimeOptions {
  dataDir: string;
  clock: Clock;
  timers: Timers;
  /** The clock the timers follow, to notice the wall clock jump (clock-watch.ts); default performance.now(). */
  monotonic?: () => number;
  /** Tests pass RxDB's memory storage; the app uses node:sqlite files in the data folder. */
  storage?: RxStorage<unknown, unknown>;
  /** Replace providers (tests of the host against loopback servers). */
  providers?: Partial<Record<Channel, ChannelProvider>>;
  demo?: boolean;
  onToastClick?: (appointmentId: string) => void;
  /** The icon desktop toasts show (HostOptions.toastIcon). */
  toastIcon?: string;
  log: (line: string) => void;
  /** Tests and the bench: shorter lease and retry times. */
  syncTuning?: Partial<SyncTuning>;
  /** Telegram's getUpdates long-poll wait in seconds (tests shorten it). */
  telegramPollSeconds?: number;
  /** Electron: the secret store's key is wrapped by the OS keychain (safeStorage), injected by main. */
  keyProtection?: KeyProtection;
  /** Otherwise the key file's folder; default defaultKeyDir() (FRONTDESK_KEY_DIR, or the user's config folder). */
  keyDir?: string;
  /** Progress of the migration of older documents at the first start after an update (the window says why it waits). */
  onMigration?: (progress: MigrationProgress) => void;
  /** How long the engine's start-up re-plan waits, so the window loads first (EngineOptions.startPlanDelayMs). */
  startPlanDelayMs?: number;
  /** A call or payment an integration reported, for this desk's toast. */
  onDeskToast?: (toast: DeskToast) => void;
  /** The integration endpoint's port instead of the saved one (tests: 0 for any free port). */
  integrationPort?: number;
  /**
   * Called once the database is open, migrated and (with `demo`) filled, before the providers, sync and the engine
   * start: the renderers' reads need nothing more, so they are answered from here on (FrontDeskHost.whenDatabaseReady).
   */
  onDatabaseReady?: (db: FrontDeskDatabase) => void;
}

function syncs(config: SyncConfig, locationId: string): boolean {
  return config.enabled && config.locations.some((location) => location.locationId === locationId);
}

export class SalonRuntime {
  readonly db: FrontDeskDatabase;
  /** The storage the database runs on (the delivery log append-only). (Renderers read the database's collections: remote-storage/hub.ts.) */
  readonly storage: RxStorage<unknown, unknown>;
  readonly engine: NotificationEngine;
  readonly secrets: SecretStore;
  /** Replication to the CouchDB endpoint and the dispatch lease; off until configured. */
  readonly sync: SyncService;
  readonly clock: Clock;
  readonly providers: Record<Channel, ChannelProvider>;
  /** The mail server, SMS, messenger and push providers configured in provider_settings, built with this desk's secrets. */
  readonly providerHub: ProviderHub;
  /** Payment terminals and phone systems reporting to this desk, and their endpoint. */
  readonly integrations: IntegrationService;
  /** Reads clients' replies (and Telegram deep-link starts) from the providers that list them. */
  readonly inbound: InboundPoller;
  /** Daily and on-demand copies of the database file in the data folder's backups/ folder. */
  readonly backups: BackupService;
  #subscription: Subscription | undefined;
  #log: (line: string) => void;
  /** Moves of old SMTP settings run one after another, so two never write the same provider document. */
  #smtpMoves: Promise<void> = Promise.resolve();

  private constructor(db: FrontDeskDatabase, storage: RxStorage<unknown, unknown>, secrets: SecretStore, echoes: OwnEchoes, options: SalonRuntimeOptions) {
    this.db = db;
    this.storage = storage;
    this.secrets = secrets;
    this.#log = options.log;
    const desktop = options.providers?.desktop ?? createDesktopProvider({ ...(options.toastIcon ? { icon: options.toastIcon } : {}), onClick: (target) => options.onToastClick?.(target.appointmentId) });
    this.providerHub = new ProviderHub({
      db, secrets, log: options.log, deps: { clock: options.clock, timers: options.timers },
      ...(options.telegramPollSeconds !== undefined ? { pollTimeoutSeconds: options.telegramPollSeconds } : {}),
    });
    const routers = this.providerHub.routers();
    this.providers = {
      email: options.providers?.email ?? routers.email!,
      desktop,
      aggregatorPush: options.providers?.aggregatorPush ?? routers.aggregatorPush!,
      adminPush: options.providers?.adminPush ?? routers.adminPush!,
      brandedPush: options.providers?.brandedPush ?? routers.brandedPush!,
      sms: options.providers?.sms ?? routers.sms!,
    };
    this.clock = options.clock;
    this.sync = new SyncService({
      db,
      dataDir: options.dataDir,
      secrets,
      clock: options.clock,
      timers: options.timers,
      log: options.log,
      echoes,
      ...(options.syncTuning ? { tuning: options.syncTuning } : {}),
      onConflict: (report) => this.engine.reportSyncConflict(report),
    });
    this.engine = new NotificationEngine({
      db,
      clock: options.clock,
      timers: options.timers,
      provider: (c) => this.providers[c],
      log: options.log,
      gate: this.sync,
      deskId: () => this.sync.deskId,
      // Desktop toasts are planned per desk: with sync, for the staff who work at this desk (the other desks show the
      // others'); without sync this desk is the only one that sees the event, so it shows every toast.
      deskStaff: (locationId) => (syncs(this.sync.config, locationId) ? this.sync.config.deskStaffIds : undefined),
      ...(options.startPlanDelayMs ? { startPlanDelayMs: options.startPlanDelayMs } : {}),
      clockJumps: new ClockWatch({ clock: options.clock, monotonic: options.monotonic ?? (() => performance.now()), timers: options.timers }).jumps,
      ...(options.monotonic ? { monotonic: options.monotonic } : {}),
    });
    const integrationPort = options.integrationPort ?? integrationPortFromEnv();
    this.integrations = new IntegrationService({
      dataDir: options.dataDir, db, engine: this.engine, secrets, log: options.log,
      now: () => options.clock.now(), deskId: () => this.sync.deskId,
      toast: (toast) => options.onDeskToast?.(toast),
      ...(integrationPort !== undefined ? { port: integrationPort } : {}),
    });
    this.backups = new BackupService({
      dataDir: options.dataDir,
      // Only the app's own storage keeps the book in the data folder's file (tests may pass memory storage).
      databaseFile: options.storage === undefined ? path.join(options.dataDir, DATABASE_FILE) : undefined,
      clock: options.clock,
      timers: options.timers,
      log: options.log,
    });
    this.inbound = new InboundPoller({
      hub: this.providerHub,
      receive: (locationId, message) => this.engine.receiveReply(locationId, message),
      mayPoll: (locationId) => this.sync.permit(locationId).ok,
      clock: options.clock,
      timers: options.timers,
      log: options.log,
    });
  }

  static async open(options: SalonRuntimeOptions): Promise<SalonRuntime> {
    const base =
      options.storage ?? (getRxStorageNodeSqlite({ directory: options.dataDir, verifyOnOpen: true }) as unknown as RxStorage<unknown, unknown>);
    // Every way into the database (the engine, the API, replication, the renderers' reads) meets the append-only log,
    // and sync never moves a job back, nor any document back to a version older than this desk's own later push.
    const echoes = new OwnEchoes();
    const storage = ownEchoStorage(forwardOnlyJobsStorage(appendOnlyLogStorage(base)), echoes);
    const db = await openFrontDeskDatabase({ storage, name: DATABASE_NAME, multiInstance: true, ...(options.onMigration ? { onMigration: options.onMigration } : {}) }).catch((error: unknown) => {
      // DB6: a collection's schema changed without a new version, i.e. the folder was written by another build.
      if ((error as { code?: string }).code === 'DB6') {
        const collection = (error as { parameters?: { collection?: string } }).parameters?.collection ?? 'a collection';
        throw new Error(
          `The data folder ${options.dataDir} was written by an incompatible FrontDesk build (${collection} has a different layout). ` +
            'Nothing was changed. Open a different folder with --data-dir, or move this one aside to start fresh.',
        );
      }
      throw error;
    });
    startMark('database_open');
    try {
      if (options.demo && (await db.locations.count().exec()) === 0) {
        await loadDemoSalon(db, { now: options.clock.now(), seed: DEMO_SEED });
        options.log('Loaded the demo salon (sandbox mode is on: nothing is sent).');
      }
      options.onDatabaseReady?.(db);
      const secrets = new SecretStore({
        dataDir: options.dataDir,
        ...(options.keyProtection ? { keyProtection: options.keyProtection } : { keyDir: options.keyDir ?? defaultKeyDir() }),
        log: options.log,
      });
      const runtime = new SalonRuntime(db, storage, secrets, echoes, options);
      await runtime.#moveLegacySmtp();
      startMark('runtime_built');
      await runtime.providerHub.start();
      startMark('providers_started');
      await runtime.sync.start();
      startMark('sync_started');
      stampLocalEdits(db, () => runtime.sync.config.deskName, options.clock);
      await runtime.engine.start();
      startMark('engine_started');
      await runtime.integrations.start();
      runtime.inbound.start();
      runtime.backups.start();
      return runtime;
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /**
   * Older builds kept the mail server on the location: move it onto the providers' shape before the hub and the engine
   * start, and again whenever a location arrives with it later (a backup, a demo, a sync peer on an older build).
   */
  async #moveLegacySmtp(): Promise<void> {
    const move = { db: this.db, secrets: this.secrets, now: () => this.clock.now(), log: this.#log };
    await moveAllLegacySmtp(move);
    this.#subscription = documentChanges(this.db.locations).subscribe((event) => {
      const location = event.documentData as Location;
      if (event.operation === 'DELETE' || !location.smtp) return;
      this.#smtpMoves = this.#smtpMoves
        .then(async () => {
          const doc = await moveLegacySmtp(location.id, move);
          // The password may have arrived after the hub built the provider without it.
          if (doc) await this.providerHub.reload(doc);
        })
        .catch((error: unknown) => this.#log(`Location ${location.id}: the email (SMTP) settings could not be moved: ${(error as Error).message}`));
    });
  }

  async close(): Promise<void> {
    this.#subscription?.unsubscribe();
    // First: no event arrives for an engine that is stopping.
    await this.integrations.stop();
    await this.inbound.stop();
    await this.engine.stop();
    // After the engine: a send in flight finishes under the lease, then the lease is released for the next desk.
    await this.sync.stop();
    await this.#smtpMoves;
    this.providerHub.stop();
    // A copy in progress finishes first: its connection must not outlive the host's (the last one removes the WAL).
    await this.backups.stop();
    await this.db.close();
  }
}
