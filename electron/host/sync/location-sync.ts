/**
 * Sync of one location: RxDB's CouchDB replication for each collection against the location's databases
 * (`<prefix>-<collection>`), live, resumed from its checkpoint after a restart or an outage; plus the location's
 * dispatch lease. Only this location's documents are pushed (a desk may keep several locations), and pulled ones pass
 * the incoming check first. Keeps what the status shows: documents still to push, first-sync progress, conflicts.
 */
import type { Subscription } from 'rxjs';
import { replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { RxCollection } from 'rxdb';
import type { CollectionName } from '../../../shared/domain/collections.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { CascadeStep, Job } from '../../../shared/domain/job.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import { appointmentConflict, settingsConflict, type AppointmentConflict, type SettingsConflict, type StampedSettings } from '../../../shared/sync/conflict-handlers.ts';
import { SYNCED_COLLECTIONS, databaseName, type SyncedLocation } from '../../../shared/sync/sync-config.ts';
import { OFFLINE_CODES, type LocationSyncStatus, type SyncPhase, type SyncProblem } from '../../../shared/sync/sync-status.ts';
import type { Clock, Timers } from '../../../shared/time/clock.ts';
import type { CouchClient } from './couch-client.ts';
import { documentChanges } from '../db/document-changes.ts';
import { describeDocument } from './describe-document.ts';
import { DispatchLease } from './dispatch-lease.ts';
import { incomingCheck, type Quarantine } from './incoming.ts';
import type { OwnEchoes } from './own-echoes.ts';
import { replicationFetch } from './replication-fetch.ts';
import type { SetAside } from './set-aside.ts';

/** A pushed version of a job records the given send: its step in `sending`, stamped and fenced as this send's. */
function carriesSend(pushed: Job & { _deleted?: boolean }, jobId: string, send: CascadeStep): boolean {
  if (pushed.id !== jobId || pushed._deleted === true) return false;
  return (pushed.cascade ?? []).some((step) => step.channel === send.channel && step.state === 'sending' && step.at === send.at && step.fence?.desk === send.fence?.desk && step.fence?.epoch === send.fence?.epoch);
}

function refusedProblem(count: number): SyncProblem {
  return { code: 'sync.documentsRefused', message: `The sync server refused ${count} of this desk's documents; they wait on this desk (see Settings → Sync). The rest syncs on.`, params: { count } };
}

export type SyncConflictReport =
  | { kind: 'appointment'; locationId: string; conflict: AppointmentConflict }
  | { kind: 'settings'; locationId: string; collection: 'notification_settings' | 'locations'; conflict: SettingsConflict<StampedSettings & Partial<NotificationSettings & Location>> };

export interface LocationSyncTuning {
  leaseTtlMs: number;
  leaseObserveMs?: number;
  longpollMs: number;
  /** RxDB's wait between retries of a failed pull or push (the client adds its own backoff). */
  retryMs: number;
  /** Each collection's own backoff after consecutive failures (see replication-fetch). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface LocationSyncOptions {
  db: FrontDeskDatabase;
  location: SyncedLocation;
  client: CouchClient;
  deskId: string;
  deskName: string;
  clock: Clock;
  timers: Timers;
  quarantine: Quarantine;
  setAside: SetAside;
  /** Where the desk's storage learns which pulled versions are older than the desk's own pushes. */
  echoes?: OwnEchoes;
  tuning: LocationSyncTuning;
  /** Holds dispatch only when the desk may send for the location at all (false: plan only, e.g. a manager's laptop). */
  dispatch: boolean;
  log: (line: string) => void;
  onChange: () => void;
  onLeaseChange: () => void;
  onConflict: (report: SyncConflictReport) => void;
}

export class LocationSync {
  readonly locationId: string;
  readonly lease: DispatchLease | undefined;
  readonly #o: LocationSyncOptions;
  readonly #replications = new Map<CollectionName, RxCouchDBReplicationState<unknown>>();
  readonly #pending = new Map<CollectionName, Set<string>>();
  readonly #databases: ReadonlySet<string>;
  #subscriptions: Subscription[] = [];
  #releaseEchoes: (() => void)[] = [];
  #stopped = false;
  /**
   * First-sync progress: of what the endpoint has (`total`), how much is on this desk. Counted per collection when the
   * endpoint's count arrives — the desk's own count then, plus what is pulled after — so documents that came down
   * before the count are neither missed nor counted twice.
   */
  #initial: { total: number; finished: boolean; counted: Map<CollectionName, { local: number; pulledBefore: number }> } = { total: 0, finished: false, counted: new Map() };
  #pulled = new Map<CollectionName, number>();
  #active = new Set<CollectionName>();
  #lastSyncedAt: number | undefined;

  /** The endpoint's databases this location's collections sync with. */
  get databases(): ReadonlySet<string> {
    return this.#databases;
  }

  constructor(options: LocationSyncOptions) {
    this.#o = options;
    this.locationId = options.location.locationId;
    this.#databases = new Set(SYNCED_COLLECTIONS.map((name) => databaseName(options.location.databasePrefix, name)));
    this.lease = options.dispatch
      ? new DispatchLease({
          client: options.client,
          database: databaseName(options.location.databasePrefix, 'dispatch'),
          deskId: options.deskId,
          deskName: options.deskName,
          clock: options.clock,
          timers: options.timers,
          ttlMs: options.tuning.leaseTtlMs,
          ...(options.tuning.leaseObserveMs ? { observeMs: options.tuning.leaseObserveMs } : {}),
          log: options.log,
          onChange: () => {
            options.onLeaseChange();
            options.onChange();
          },
        })
      : undefined;
  }

  start(): void {
    void this.#countRemote();
    for (const name of SYNCED_COLLECTIONS) this.#replicate(name);
    void Promise.all([...this.#replications.values()].map((r) => r.awaitInitialReplication()))
      .then(() => {
        if (this.#stopped) return;
        this.#initial.finished = true;
        this.#lastSyncedAt = this.#o.clock.now();
        // The lease is asked for once the desk has what the endpoint had: its delivery log above all, the one record
        // that a job whose document came back `planned` (a peer's replay, an old copy restored) was sent. A new desk
        // that took the lease at once dispatched its jobs before its log arrived, and sent such a job again.
        this.lease?.start();
        this.#o.onChange();
      })
      .catch(() => undefined);
  }

  async stop(release: boolean): Promise<void> {
    this.#stopped = true;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
    for (const release of this.#releaseEchoes.splice(0)) release();
    await Promise.all([this.lease?.stop(release), ...[...this.#replications.values()].map((r) => r.cancel().catch(() => undefined))]);
    this.#replications.clear();
  }

  /**
   * Resolves true once the endpoint has this send — a push of the job that carries its `sending` step (the same
   * channel, start and fence) — and false after `timeoutMs`. A push of an earlier version does not count: RxDB reports
   * every version it pushed (sent$), and a job planned a moment before its send often still has its `planned`
   * version on the way. Counted as the hand-off, that let the provider be called while the endpoint had the job
   * planned; a desk frozen right after the send never pushed the rest, and the desk that took the lease over sent
   * the message again (multi-desk SIGSTOP scene). Subscribed before anything is awaited: the `sending` version is
   * written already, and its push must not complete unseen.
   */
  awaitSendPushed(job: Job, timeoutMs: number): Promise<boolean> {
    const replication = this.#replications.get('jobs');
    const send = [...(job.cascade ?? [])].reverse().find((step) => step.state === 'sending');
    if (!replication || !send) return Promise.resolve(false);
    const path = `${encodeURIComponent(databaseName(this.#o.location.databasePrefix, 'jobs'))}/${encodeURIComponent(job.id)}`;
    const client = this.#o.client;
    // The push was answered "ok"; the endpoint must also show it: one that confirms writes it does not keep (a broken
    // proxy) left the send unknown to every other desk, and the next holder sent the message again.
    const readBack = async (): Promise<boolean> => {
      const answer = await client.request(path, { expect: [404] }).catch(() => undefined);
      const doc = answer?.status === 200 ? (answer.body as Record<string, unknown> | undefined) : undefined;
      return typeof doc === 'object' && doc !== null && carriesSend({ ...doc, id: doc._id } as unknown as Job, job.id, send);
    };
    return new Promise<boolean>((resolve) => {
      // Once the endpoint answered the push, its own copy decides (read back), not later writes here.
      let pushed = false;
      const subscriptions = [
        replication.sent$.subscribe((sentVersion) => {
          if (pushed || !carriesSend(sentVersion as unknown as Job, job.id, send)) return;
          pushed = true;
          void readBack().then(finish);
        }),
        // The push met a version on the endpoint that knows more (another desk's verdict or its earlier send), and the
        // merge written here replaced this send: it will never be pushed, so the send is refused now, not at the
        // timeout (the engine sends nothing else meanwhile; a desk that takes over with a lagging copy meets this
        // once for every job the previous holder had started).
        documentChanges(this.#o.db.jobs).subscribe((change) => {
          if (!pushed && change.documentId === job.id && !carriesSend(change.documentData, job.id, send)) finish(false);
        }),
      ];
      const timer = setTimeout(() => finish(false), timeoutMs);
      function finish(handedOff: boolean): void {
        clearTimeout(timer);
        for (const subscription of subscriptions) subscription.unsubscribe();
        resolve(handedOff);
      }
    });
  }

  /** Resolves when every collection has pushed and pulled all it knows of (tests, the bench). */
  async awaitInSync(): Promise<void> {
    await Promise.all([...this.#replications.values()].map((r) => r.awaitInSync()));
  }

  status(quarantined: number): LocationSyncStatus {
    const health = this.#o.client.health;
    const pending = [...this.#pending.values()].reduce((n, ids) => n + ids.size, 0);
    const have = this.#initialDone();
    const toPull = this.#initial.finished ? 0 : Math.max(0, this.#initial.total - have);
    const lease = this.lease?.view();
    // The endpoint's own failures first; else the lease's (an endpoint that does not keep what it confirms); else
    // documents of this desk the endpoint refused (the rest syncs, but these wait until someone acts).
    const refused = this.#o.setAside.countIn(this.#databases);
    const problem = health.problem ?? lease?.problem ?? (refused > 0 ? refusedProblem(refused) : undefined);
    const offline = problem !== undefined && OFFLINE_CODES.includes(problem.code);
    let phase: SyncPhase;
    if (problem && offline) phase = 'offline';
    else if (problem) phase = 'error';
    else if (health.lastSuccessAt === undefined) phase = 'connecting';
    else if (!this.#initial.finished) phase = 'initial';
    else if (pending > 0 || this.#active.size > 0) phase = 'syncing';
    else phase = 'upToDate';
    const self = lease?.holding === true;
    const holder = lease?.holder;
    return {
      locationId: this.locationId,
      phase,
      pending: pending + toPull,
      ...(!this.#initial.finished && this.#initial.total > 0 ? { progress: { done: Math.min(have, this.#initial.total), total: this.#initial.total } } : {}),
      ...(health.failingSince !== undefined && offline ? { offlineSince: new Date(health.failingSince).toISOString() } : {}),
      ...(this.#lastSyncedAt !== undefined ? { lastSyncedAt: new Date(this.#lastSyncedAt).toISOString() } : {}),
      ...(problem ? { problem } : {}),
      ...(self ? { dispatcher: { self: true, deskName: this.#o.deskName, epoch: lease!.fence!.epoch, ...(holder ? { renewedAt: holder.renewedAt } : {}) } } : holder ? { dispatcher: { self: false, deskName: holder.deskName, epoch: holder.epoch, renewedAt: holder.renewedAt } } : {}),
      quarantined,
    };
  }

  #owns(name: CollectionName, doc: Record<string, unknown>): boolean {
    return (name === 'locations' ? doc.id : doc.locationId) === this.locationId;
  }

  #replicate(name: CollectionName): void {
    const { location, client, quarantine, tuning } = this.#o;
    const collection = this.#o.db[name] as unknown as RxCollection;
    const pending = new Set<string>();
    this.#pending.set(name, pending);
    const url = `${client.endpoint}${encodeURIComponent(databaseName(location.databasePrefix, name))}/`;
    const echoes = this.#o.echoes?.track(name);
    if (echoes) this.#releaseEchoes.push(echoes.release);
    const replication = replicateCouchDB<unknown>({
      // The identifier keys the checkpoint: the same endpoint and database resume where they stopped.
      replicationIdentifier: `frontdesk|${url}`,
      collection,
      url,
      live: true,
      retryTime: tuning.retryMs,
      waitForLeadership: false,
      autoStart: true,
      fetch: replicationFetch({
        client,
        collection: name,
        database: databaseName(location.databasePrefix, name),
        setAside: this.#o.setAside,
        describe: (doc) => describeDocument(this.#o.db, name, doc),
        check: incomingCheck(name, location.locationId),
        quarantine,
        longpollMs: tuning.longpollMs,
        ...(echoes ? { echoes: echoes.tracker } : {}),
        ...(tuning.baseBackoffMs !== undefined ? { baseBackoffMs: tuning.baseBackoffMs } : {}),
        ...(tuning.maxBackoffMs !== undefined ? { maxBackoffMs: tuning.maxBackoffMs } : {}),
        onPulled: (count) => {
          if (this.#initial.finished || count === 0) return;
          this.#pulled.set(name, (this.#pulled.get(name) ?? 0) + count);
          this.#o.onChange();
        },
      }) as unknown as typeof fetch,
      pull: { batchSize: 200 },
      push: {
        batchSize: 100,
        // Only this location's documents leave the desk.
        modifier: (doc: Record<string, unknown>) => (this.#owns(name, doc) ? doc : null),
      },
    });
    this.#replications.set(name, replication);
    const storageChanges = collection.storageInstance.changeStream();
    this.#subscriptions.push(
      storageChanges.subscribe((bulk) => {
        // Writes that came from the endpoint need no push.
        if (bulk.context.startsWith('replication-downstream')) return;
        let added = false;
        for (const event of bulk.events) {
          if (event.documentData && this.#owns(name, event.documentData as unknown as Record<string, unknown>)) {
            pending.add(event.documentId);
            added = true;
          }
        }
        if (added) this.#o.onChange();
      }),
      replication.sent$.subscribe((doc) => {
        const id = (doc as { id?: string }).id;
        if (id !== undefined && pending.delete(id)) {
          this.#lastSyncedAt = this.#o.clock.now();
          this.#o.onChange();
        }
      }),
      replication.received$.subscribe(() => {
        this.#lastSyncedAt = this.#o.clock.now();
      }),
      replication.active$.subscribe((active) => {
        const had = this.#active.has(name);
        if (active) this.#active.add(name);
        else this.#active.delete(name);
        // Idle means nothing is left to push: writes RxDB found equal to the endpoint's (a resolved conflict the
        // endpoint already had) never show up on sent$.
        if (!active && pending.size > 0) pending.clear();
        if (had !== active) this.#o.onChange();
      }),
      // Errors are already in the endpoint's health (the status); RxDB retries by itself. Each kind is logged once.
      replication.error$.subscribe((error) => {
        this.#logError(name, error);
        this.#o.onChange();
      }),
      replication.conflict$.subscribe((resolved) => this.#reportConflict(name, resolved.input as never)),
    );
  }

  #loggedErrors = new Set<string>();

  #logError(name: CollectionName, error: unknown): void {
    const rx = error as { code?: string; message?: string; parameters?: { errors?: { message?: string; code?: string }[] } };
    const inner = rx.parameters?.errors?.[0];
    const text = `${rx.code ?? ''} ${inner?.code ?? ''} ${(inner?.message ?? rx.message ?? String(error)).slice(0, 300)}`;
    const key = `${name}|${text}`;
    if (this.#loggedErrors.has(key) || this.#loggedErrors.size > 200) return;
    this.#loggedErrors.add(key);
    this.#o.log(`sync: ${name}: ${text}`);
  }

  #reportConflict(name: CollectionName, input: Parameters<typeof appointmentConflict>[0]): void {
    try {
      if (name === 'appointments') {
        const conflict = appointmentConflict(input);
        if (conflict) this.#o.onConflict({ kind: 'appointment', locationId: this.locationId, conflict });
      } else if (name === 'notification_settings' || name === 'locations') {
        const conflict = settingsConflict(input as never);
        if (conflict) this.#o.onConflict({ kind: 'settings', locationId: this.locationId, collection: name, conflict: conflict as never });
      }
    } catch (error) {
      this.#o.log(`sync: could not report a ${name} conflict: ${String(error)}`);
    }
  }

  /** What the endpoint has, for the first-sync progress bar (collections it could not count are left out). */
  async #countRemote(): Promise<void> {
    let total = 0;
    for (const name of SYNCED_COLLECTIONS) {
      const answer = await this.#o.client.request(encodeURIComponent(databaseName(this.#o.location.databasePrefix, name))).catch(() => undefined);
      const count = (answer?.body as { doc_count?: unknown } | undefined)?.doc_count;
      if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) continue;
      const selector = name === 'locations' ? { id: this.locationId } : { locationId: this.locationId };
      const pulledBefore = this.#pulled.get(name) ?? 0;
      const local = await (this.#o.db[name] as unknown as RxCollection).count({ selector }).exec().catch(() => undefined);
      if (local === undefined) continue;
      this.#initial.counted.set(name, { local, pulledBefore });
      total += count;
    }
    this.#initial.total = total;
    this.#o.onChange();
  }

  #initialDone(): number {
    let done = 0;
    for (const [name, { local, pulledBefore }] of this.#initial.counted) done += local + (this.#pulled.get(name) ?? 0) - pulledBefore;
    return done;
  }
}
