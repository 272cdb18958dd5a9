/**
 * The desk's sync service: its configuration (this desk's own, in `sync.json` of the data folder; the password in
 * the encrypted secret store), one `LocationSync` per synced location against the endpoint, the status the UI shows,
 * and the dispatch gate the engine asks before it sends. Lifecycle: start → running → stop; `configure` restarts it.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { Job, SendFence } from '../../../shared/domain/job.ts';
import { fenceOfSendingJob, type DispatchGate, type DispatchPermit } from '../../../shared/engine/dispatch-gate.ts';
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '../../../shared/sync/sync-config.ts';
import { checkEndpoint } from './endpoint-check.ts';
import { OFFLINE_CODES, overallPhase, type SyncStatus } from '../../../shared/sync/sync-status.ts';
import type { Clock, Timers } from '../../../shared/time/clock.ts';
import { CouchClient, EndpointHealth } from './couch-client.ts';
import { Quarantine } from './incoming.ts';
import type { OwnEchoes } from './own-echoes.ts';
import { SetAside } from './set-aside.ts';
import { LocationSync, type LocationSyncTuning, type SyncConflictReport } from './location-sync.ts';

export const SYNC_PASSWORD_REF = 'sync:password';
const CONFIG_FILE = 'sync.json';

export interface SecretAccess {
  get(ref: string): Promise<string | undefined>;
  set(ref: string, secret: string): Promise<void>;
}

export interface SyncTuning extends LocationSyncTuning {
  requestTimeoutMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** How long a send waits for its `sending` state to reach the endpoint before it gives up for now. */
  handOffTimeoutMs: number;
  /** The first wait before a document the endpoint refused is sent again unchanged (doubles up to 30 min). */
  setAsideRetryMs: number;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  leaseTtlMs: 30_000,
  longpollMs: 25_000,
  retryMs: 2_000,
  requestTimeoutMs: 20_000,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  handOffTimeoutMs: 10_000,
  setAsideRetryMs: 60_000,
};

export interface SyncServiceOptions {
  db: FrontDeskDatabase;
  dataDir: string;
  secrets: SecretAccess;
  clock: Clock;
  timers: Timers;
  log: (line: string) => void;
  tuning?: Partial<SyncTuning>;
  /** The desk's storage guard against its own older pushes coming back (own-echoes.ts). */
  echoes?: OwnEchoes;
  /** Two desks changed the same thing while apart: the engine turns it into a team event. */
  onConflict?: (report: SyncConflictReport) => void;
}

interface StoredConfig {
  deskId: string;
  config: SyncConfig;
}

type Running = {
  config: SyncConfig;
  abort: AbortController;
  client: CouchClient;
  locations: Map<string, LocationSync>;
  insecure: boolean;
};

export type SyncServiceState = 'idle' | 'running' | 'stopped';

export class SyncService implements DispatchGate {
  readonly #o: SyncServiceOptions;
  readonly tuning: SyncTuning;
  readonly quarantine: Quarantine;
  readonly setAside: SetAside;
  #deskId = '';
  #config: SyncConfig = DEFAULT_SYNC_CONFIG;
  #running: Running | undefined;
  #state: SyncServiceState = 'idle';
  #gateListeners = new Set<() => void>();
  #statusListeners = new Set<() => void>();
  #transitions: Promise<void> = Promise.resolve();

  constructor(options: SyncServiceOptions) {
    this.#o = options;
    this.tuning = { ...DEFAULT_SYNC_TUNING, ...options.tuning };
    this.quarantine = new Quarantine(options.dataDir, options.clock, () => this.#statusChanged());
    this.setAside = new SetAside({ dataDir: options.dataDir, clock: options.clock, onChange: () => this.#statusChanged(), retryMs: this.tuning.setAsideRetryMs });
  }

  get deskId(): string {
    return this.#deskId;
  }

  get config(): SyncConfig {
    return this.#config;
  }

  get state(): SyncServiceState {
    return this.#state;
  }

  async start(): Promise<void> {
    const stored = await this.#load();
    await this.setAside.load();
    this.#deskId = stored.deskId;
    this.#config = stored.config;
    this.#state = 'running';
    if (this.#config.enabled) await this.#connect();
  }

  async stop(): Promise<void> {
    this.#state = 'stopped';
    await this.#serial(() => this.#disconnect(true));
    await this.quarantine.flush();
    await this.setAside.flush();
  }

  /** Saves a new configuration (and the password, when given) and reconnects with it. */
  async configure(config: SyncConfig, password: string | undefined): Promise<void> {
    await this.#serial(async () => {
      await this.#disconnect(true);
      if (password !== undefined) await this.#o.secrets.set(SYNC_PASSWORD_REF, password);
      this.#config = config;
      await this.#save();
      if (config.enabled && this.#state === 'running') await this.#connectNow();
      this.#statusChanged();
      this.#gateChanged();
    });
  }

  /** This desk's name and its staff: saved at once, without reconnecting (the lease shows the new name on renewal). */
  async configureDesk(deskName: string, staffIds: readonly string[]): Promise<void> {
    await this.#serial(async () => {
      this.#config = { ...this.#config, deskName, deskStaffIds: [...new Set(staffIds)] };
      await this.#save();
      this.#statusChanged();
    });
  }

  async hasPassword(): Promise<boolean> {
    return ((await this.#o.secrets.get(SYNC_PASSWORD_REF)) ?? '') !== '';
  }

  onStatus(listener: () => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  status(): SyncStatus {
    const running = this.#running;
    const locations = running ? [...running.locations.values()].map((l) => l.status(this.quarantine.count)) : [];
    if (running) {
      for (const location of locations) {
        const permit = this.permit(location.locationId);
        if (permit.ok) continue;
        location.notSendingBecause =
          running.client.health.lastSuccessAt === undefined ? 'starting'
          : location.phase === 'offline' ? 'offline'
          : location.problem?.code === 'sync.leaseUnconfirmed' ? 'untrustedEndpoint'
          : location.phase === 'initial' ? 'firstSync'
          : 'noLease';
      }
    }
    return {
      phase: overallPhase(locations, this.#config.enabled),
      deskName: this.#config.deskName,
      insecure: running?.insecure ?? false,
      locations,
      quarantine: this.quarantine.recent(),
      // Only what waits for a location this desk syncs now: the rest stays on file and is tried again when it syncs again.
      setAside: this.setAside.list(new Set([...(running?.locations.values() ?? [])].flatMap((l) => [...l.databases]))),
    };
  }

  /** Waits until every synced location pushed and pulled what it knows of (tests and the bench). */
  async awaitInSync(): Promise<void> {
    for (const location of this.#running?.locations.values() ?? []) await location.awaitInSync();
  }

  // ——— the dispatch gate ———

  permit(locationId: string): DispatchPermit {
    const running = this.#running;
    if (!running) return this.#config.enabled ? { ok: false, reason: 'sync is starting' } : { ok: true };
    const location = running.locations.get(locationId);
    if (!location) return { ok: true };
    const fence = location.lease?.fence;
    if (fence) return { ok: true, fence };
    if (this.#config.onlyDesk && this.#offline(running)) return { ok: true, fence: { desk: this.#deskId, epoch: 0 } };
    return { ok: false, reason: this.#offline(running) ? 'the sync endpoint cannot be reached' : 'another desk holds the dispatch lease' };
  }

  stillValid(locationId: string, fence: SendFence | undefined): boolean {
    const running = this.#running;
    if (!running) return !this.#config.enabled;
    const location = running.locations.get(locationId);
    if (!location) return true;
    if (!fence) return false;
    if (fence.epoch === 0) return this.#config.onlyDesk && fence.desk === this.#deskId;
    return location.lease?.valid(fence) ?? false;
  }

  async handOff(job: Job): Promise<boolean> {
    const location = this.#running?.locations.get(job.locationId);
    if (!location) return true;
    const fence = fenceOfSendingJob(job);
    if (fence?.epoch === 0) return true;
    return location.awaitSendPushed(job, this.tuning.handOffTimeoutMs);
  }

  active(): boolean {
    if (!this.#config.enabled) return true;
    const running = this.#running;
    if (!running) return false;
    if (running.locations.size === 0) return true;
    return [...running.locations.keys()].some((id) => this.permit(id).ok);
  }

  replicates(locationId: string): boolean {
    return this.#running?.locations.has(locationId) ?? false;
  }

  onChange(listener: () => void): () => void {
    this.#gateListeners.add(listener);
    return () => this.#gateListeners.delete(listener);
  }

  // ——— internals ———

  #offline(running: Running): boolean {
    const problem = running.client.health.problem;
    return problem !== undefined && OFFLINE_CODES.includes(problem.code);
  }

  #serial(work: () => Promise<void>): Promise<void> {
    this.#transitions = this.#transitions.then(work, work);
    return this.#transitions;
  }

  async #connect(): Promise<void> {
    await this.#serial(() => this.#connectNow());
  }

  async #connectNow(): Promise<void> {
    const config = this.#config;
    const endpoint = checkEndpoint(config.endpoint, config.allowInsecureHttp);
    if (!endpoint.ok) {
      this.#o.log(`sync: not started: ${endpoint.message}`);
      return;
    }
    const password = (await this.#o.secrets.get(SYNC_PASSWORD_REF)) ?? '';
    const abort = new AbortController();
    const health = new EndpointHealth({
      clock: this.#o.clock,
      baseBackoffMs: this.tuning.baseBackoffMs,
      maxBackoffMs: this.tuning.maxBackoffMs,
      onChange: () => {
        this.#statusChanged();
        // Reachability decides whether an "only desk" sends while offline.
        if (config.onlyDesk) this.#gateChanged();
      },
    });
    const client = new CouchClient({ endpoint: endpoint.url, ...(config.username ? { auth: { username: config.username, password } } : {}), health, signal: abort.signal, timeoutMs: this.tuning.requestTimeoutMs });
    const locations = new Map<string, LocationSync>();
    for (const location of config.locations) {
      locations.set(
        location.locationId,
        new LocationSync({
          db: this.#o.db,
          location,
          client,
          deskId: this.#deskId,
          deskName: config.deskName,
          clock: this.#o.clock,
          timers: this.#o.timers,
          quarantine: this.quarantine,
          setAside: this.setAside,
          ...(this.#o.echoes ? { echoes: this.#o.echoes } : {}),
          tuning: this.tuning,
          dispatch: true,
          log: this.#o.log,
          onChange: () => this.#statusChanged(),
          onLeaseChange: () => this.#gateChanged(),
          onConflict: (report) => this.#o.onConflict?.(report),
        }),
      );
    }
    this.#running = { config, abort, client, locations, insecure: endpoint.insecure };
    for (const location of locations.values()) location.start();
    if (endpoint.insecure) this.#o.log(`sync: WARNING: plain http to ${new URL(endpoint.url).host}, as configured`);
    this.#o.log(`sync: started for ${locations.size} location(s) at ${new URL(endpoint.url).host}`);
    this.#statusChanged();
    this.#gateChanged();
  }

  async #disconnect(release: boolean): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = undefined;
    this.#gateChanged();
    // Release first (while requests can still go out), then end every pending request so nothing hangs.
    await Promise.all([...running.locations.values()].map((l) => l.lease?.stop(release)));
    running.abort.abort();
    await Promise.all([...running.locations.values()].map((l) => l.stop(false)));
    this.#statusChanged();
  }

  #statusChanged(): void {
    for (const listener of this.#statusListeners) {
      try {
        listener();
      } catch (error) {
        this.#o.log(`sync: status listener failed: ${String(error)}`);
      }
    }
  }

  #gateChanged(): void {
    for (const listener of this.#gateListeners) {
      try {
        listener();
      } catch (error) {
        this.#o.log(`sync: gate listener failed: ${String(error)}`);
      }
    }
  }

  async #load(): Promise<StoredConfig> {
    const file = path.join(this.#o.dataDir, CONFIG_FILE);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as Partial<StoredConfig>;
        if (typeof parsed.deskId === 'string' && parsed.deskId.length > 0) return { deskId: parsed.deskId, config: { ...DEFAULT_SYNC_CONFIG, ...parsed.config } };
      } catch {
        this.#o.log(`sync: ${file} is unreadable; sync stays off until it is saved again`);
      }
    }
    const stored: StoredConfig = { deskId: randomUUID(), config: DEFAULT_SYNC_CONFIG };
    this.#deskId = stored.deskId;
    await this.#save();
    return stored;
  }

  async #save(): Promise<void> {
    const file = path.join(this.#o.dataDir, CONFIG_FILE);
    const stored: StoredConfig = { deskId: this.#deskId, config: this.#config };
    await writeFile(`${file}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}
