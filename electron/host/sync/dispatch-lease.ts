/**
 * The dispatch lease of one location (DESIGN §4.6): one document, `lease`, in the location's `<prefix>-dispatch`
 * database, written only with CouchDB's revision compare-and-swap (a PUT that names the revision it replaces).
 *
 * - The holder renews every `ttl/3`. It counts itself the holder only until its last successful renewal's START plus
 *   the ttl minus a margin, by its own clock: a desk that sleeps, is paused or loses the network stops sending by
 *   itself, whatever the endpoint says.
 * - Another desk takes over when it has seen the same revision for a whole ttl by ITS own clock (clocks of different
 *   computers are never compared), counted from the answer that first showed it, or at once when the holder released
 *   it. A takeover raises the epoch.
 * - "Its own clock" is two clocks, and each span must hold by both: the wall clock goes on while the computer sleeps
 *   (the monotonic one may not), the monotonic one cannot be set (the wall clock can). A holder's clock set back an hour
 *   kept its lease an hour longer by the wall clock alone, while the other desks took over after the ttl: two desks
 *   sent; an observer's clock set forward took over at once, before the holder's end.
 * - Every `sending` step records the holder and the epoch (the fence); right before a provider call the dispatcher asks
 *   `valid(fence)`, so a desk that lost the lease — even one frozen between the check and the call of its last pass —
 *   refuses to send.
 * - A write counts only once a read shows it back, with the revision the write was answered: an endpoint that
 *   confirms writes it does not keep (a broken proxy or gateway) gave every desk "201" on an empty database, and each
 *   counted itself the dispatcher. Such an endpoint gets no holder at all, and the desk says why.
 */
import type { SendFence } from '../../../shared/domain/job.ts';
import type { SyncProblem } from '../../../shared/sync/sync-status.ts';
import type { Clock, TimerHandle, Timers } from '../../../shared/time/clock.ts';
import { elapsed, type Instant } from '../../../shared/time/instant.ts';
import { SyncError, type CouchClient } from './couch-client.ts';

export interface LeaseDocument {
  _id: 'lease';
  _rev?: string;
  holder: string;
  holderName: string;
  epoch: number;
  renewedAt: string;
  /** By the holder's clock; shown to people, not used to decide (clocks differ between computers). */
  expiresAt: string;
  ttlMs: number;
  released?: boolean;
}

export interface DispatchLeaseOptions {
  client: CouchClient;
  /** `<prefix>-dispatch` */
  database: string;
  deskId: string;
  deskName: string;
  clock: Clock;
  timers: Timers;
  /** A clock that never goes back and that the timers follow; default performance.now(). */
  monotonic?: () => number;
  ttlMs: number;
  /** How often a desk that does not hold the lease reads it (default ttl/6). */
  observeMs?: number;
  log?: (line: string) => void;
  onChange: () => void;
}

export interface LeaseView {
  holding: boolean;
  fence?: SendFence;
  holder?: { desk: string; deskName: string; epoch: number; renewedAt: string };
  /** Why this desk cannot hold the lease although it tries (the endpoint does not keep what it confirms). */
  problem?: SyncProblem;
}

export class DispatchLease {
  readonly #o: DispatchLeaseOptions;
  #epoch: number | undefined;
  /** By the wall clock and by the monotonic one: the lease holds until either says it ended. */
  #validUntil = 0;
  #validUntilMonotonic = 0;
  #rev: string | undefined;
  #known: LeaseDocument | undefined;
  #seen: { rev: string; at: Instant } | undefined;
  #timer: TimerHandle | undefined;
  #expiryTimer: TimerHandle | undefined;
  #running = false;
  /** What the engine was last told (onChange): whether this desk holds the lease. */
  #toldHolding = false;
  #problem: SyncProblem | undefined;
  #ticking: Promise<void> = Promise.resolve();

  constructor(options: DispatchLeaseOptions) {
    this.#o = options;
  }

  get #margin(): number {
    return Math.min(2_000, this.#o.ttlMs / 10);
  }

  start(): void {
    this.#running = true;
    this.#schedule(0);
  }

  /** Stops renewing; `release` lets another desk take over at once instead of after the ttl. */
  async stop(release: boolean): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    this.#expiryTimer?.cancel();
    await this.#ticking;
    const wasHolding = this.holding;
    if (release && wasHolding && this.#known && this.#rev) {
      await this.#o.client
        .request(this.#path, { method: 'PUT', body: { ...this.#known, _rev: this.#rev, released: true, expiresAt: new Date(this.#o.clock.now()).toISOString() }, timeoutMs: 3_000, backoff: false })
        .catch(() => undefined);
    }
    this.#epoch = undefined;
    this.#validUntil = 0;
    this.#validUntilMonotonic = 0;
    this.#toldHolding = false;
  }

  get holding(): boolean {
    return this.#epoch !== undefined && this.#o.clock.now() < this.#validUntil && this.#monotonic() < this.#validUntilMonotonic;
  }

  #monotonic(): number {
    return this.#o.monotonic ? this.#o.monotonic() : performance.now();
  }

  #instant(): Instant {
    return { wall: this.#o.clock.now(), monotonic: this.#monotonic() };
  }

  get fence(): SendFence | undefined {
    return this.holding ? { desk: this.#o.deskId, epoch: this.#epoch! } : undefined;
  }

  /** Synchronous, so nothing can come between this answer and the provider call that follows it. */
  valid(fence: SendFence): boolean {
    return this.holding && fence.desk === this.#o.deskId && fence.epoch === this.#epoch;
  }

  view(): LeaseView {
    const fence = this.fence;
    const known = this.#known;
    return {
      holding: fence !== undefined,
      ...(fence ? { fence } : {}),
      ...(known && !known.released ? { holder: { desk: known.holder, deskName: known.holderName, epoch: known.epoch, renewedAt: known.renewedAt } } : {}),
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }

  get #path(): string {
    return `${encodeURIComponent(this.#o.database)}/lease`;
  }

  #schedule(delay: number): void {
    this.#timer?.cancel();
    if (!this.#running) return;
    this.#timer = this.#o.timers.after(delay, () => {
      this.#ticking = this.#tick().catch((error: unknown) => this.#o.log?.(`sync: lease check failed: ${String(error)}`));
    });
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    const started = this.#instant();
    let next = this.#o.observeMs ?? Math.max(250, this.#o.ttlMs / 6);
    try {
      const answer = await this.#o.client.request(this.#path, { expect: [404] });
      const current = answer.status === 404 ? undefined : (answer.body as LeaseDocument);
      if (current !== undefined && !isLeaseDocument(current)) throw new SyncError('sync.badResponse', 'The dispatch lease on the sync server is malformed; FrontDesk does not send until it is fixed (delete the lease document).');
      this.#known = current;
      if (!current) await this.#write(started, { epoch: 1 });
      else if (current.holder === this.#o.deskId && current.epoch === this.#epoch && !current.released) await this.#write(started, { epoch: current.epoch, rev: current._rev! });
      else if (current.holder === this.#o.deskId || current.released || this.#staleFor(current, this.#instant())) await this.#write(started, { epoch: current.epoch + 1, rev: current._rev! });
      else {
        // Another desk's lease stands on the endpoint: whatever this desk could not confirm, it does not try now.
        this.#problem = undefined;
        this.#lose();
      }
      // Counted from this renewal's start, as its validity is: a slow answer does not push the next renewal past the end.
      // By the timers' clock: a wall clock set back during the renewal put the next one off by as much.
      if (this.holding) next = Math.max(0, this.#o.ttlMs / 3 - (this.#monotonic() - started.monotonic));
      else if (this.#seen) next = Math.min(next, Math.max(0, this.#o.ttlMs - elapsed(this.#seen.at, this.#instant())));
    } catch (error) {
      // Unreachable: keep the lease only as long as the last renewal allows (checked on every use).
      if (!(error instanceof SyncError)) throw error;
      next = Math.min(next, 1_000 + this.#o.client.health.waitMs());
    } finally {
      this.#armExpiry();
      this.#tellIfChanged();
      this.#schedule(next);
    }
  }

  /**
   * Whether the holder's revision has stood for a whole ttl, counted from when a read of this desk ANSWERED with it.
   * The holder counts its lease from its write's start, which came before that answer but may well come after the
   * read was asked (a busy endpoint answers a read late, with a renewal written meanwhile): counted from the ask, a
   * desk took over up to the read's latency before the holder's own end, and both counted themselves the dispatcher.
   */
  #staleFor(current: LeaseDocument, answeredAt: Instant): boolean {
    const rev = current._rev ?? '';
    if (this.#seen?.rev !== rev) {
      this.#seen = { rev, at: answeredAt };
      return false;
    }
    return elapsed(this.#seen.at, answeredAt) >= this.#o.ttlMs;
  }

  async #write(started: Instant, target: { epoch: number; rev?: string }): Promise<void> {
    const doc: LeaseDocument = {
      _id: 'lease',
      ...(target.rev ? { _rev: target.rev } : {}),
      holder: this.#o.deskId,
      holderName: this.#o.deskName,
      epoch: target.epoch,
      renewedAt: new Date(started.wall).toISOString(),
      expiresAt: new Date(started.wall + this.#o.ttlMs).toISOString(),
      ttlMs: this.#o.ttlMs,
    };
    const answer = await this.#o.client.request(this.#path, { method: 'PUT', body: doc, expect: [409] });
    if (answer.status === 409) {
      // Another desk wrote first: it holds the lease now (or renewed it); read again soon.
      this.#lose();
      return;
    }
    const rev = (answer.body as { rev?: unknown }).rev;
    if (typeof rev !== 'string') throw new SyncError('sync.badResponse', 'The sync server did not confirm the dispatch lease write.');
    if (!(await this.#confirmed(rev, target.epoch))) return;
    this.#problem = undefined;
    const took = this.#epoch !== target.epoch;
    this.#epoch = target.epoch;
    this.#rev = rev;
    this.#known = { ...doc, _rev: rev };
    this.#seen = undefined;
    this.#validUntil = started.wall + this.#o.ttlMs - this.#margin;
    this.#validUntilMonotonic = started.monotonic + this.#o.ttlMs - this.#margin;
    if (took) this.#o.log?.(`sync: this desk dispatches for ${this.#o.database} (epoch ${target.epoch})`);
  }

  /**
   * Reads the lease back after a write the endpoint answered with `rev`: true when it holds this desk's write under
   * that revision. A later revision by another desk is a takeover (lost, as after a 409); anything else — no lease,
   * an older or a different revision — means the endpoint confirms writes it does not keep, and nobody may count on
   * its compare-and-swap: this desk does not hold the lease and says why.
   */
  async #confirmed(rev: string, epoch: number): Promise<boolean> {
    const answer = await this.#o.client.request(this.#path, { expect: [404] });
    const back = answer.status === 404 ? undefined : (answer.body as LeaseDocument);
    const backRev = back !== undefined && isLeaseDocument(back) ? back._rev! : undefined;
    if (backRev === rev && back!.holder === this.#o.deskId && back!.epoch === epoch) return true;
    if (backRev !== undefined && back!.holder !== this.#o.deskId && revisionHeight(backRev) > revisionHeight(rev)) {
      this.#known = back;
      this.#lose();
      return false;
    }
    const shown = back === undefined ? 'no lease' : backRev !== undefined ? `revision ${backRev.slice(0, 40)}` : 'a malformed lease';
    if (!this.#problem) this.#o.log?.(`sync: the endpoint confirmed the dispatch lease write ${rev.slice(0, 40)} for ${this.#o.database} but shows ${shown}; this desk does not send`);
    this.#problem = {
      code: 'sync.leaseUnconfirmed',
      message: 'The sync server confirms writes it does not keep (a proxy or gateway in the way?): it accepted the dispatch lease but does not show it back. No desk sends messages through it until this is fixed.',
    };
    this.#lose();
    return false;
  }

  #lose(): void {
    if (this.#epoch !== undefined) this.#o.log?.(`sync: this desk no longer dispatches for ${this.#o.database}`);
    this.#epoch = undefined;
    this.#validUntil = 0;
    this.#validUntilMonotonic = 0;
  }

  /** Tell the engine the moment the lease runs out, even when no request comes back. */
  #armExpiry(): void {
    this.#expiryTimer?.cancel();
    if (!this.holding) return;
    const left = Math.min(this.#validUntil - this.#o.clock.now(), this.#validUntilMonotonic - this.#monotonic());
    this.#expiryTimer = this.#o.timers.after(Math.max(0, left) + 1, () => this.#tellIfChanged());
  }

  /**
   * Tells the engine when holding changed since it was last told. A renewal that answers after the lease ran out
   * (a slow endpoint or a loaded machine) takes it back: the expiry told "lost", so the renewal must tell "held again",
   * or the engine keeps waiting for a permit it already has.
   */
  #tellIfChanged(): void {
    const holding = this.holding;
    if (holding === this.#toldHolding) return;
    this.#toldHolding = holding;
    this.#o.onChange();
  }
}

/** How many edits a CouchDB revision ("3-9f…") stands for; 0 for anything else. */
function revisionHeight(rev: string): number {
  const height = Number.parseInt(rev, 10);
  return Number.isSafeInteger(height) && height > 0 ? height : 0;
}

function isLeaseDocument(doc: unknown): doc is LeaseDocument {
  const d = doc as LeaseDocument;
  return (
    typeof d === 'object' && d !== null && typeof d._rev === 'string' && typeof d.holder === 'string' && d.holder.length <= 128 &&
    typeof d.holderName === 'string' && Number.isInteger(d.epoch) && d.epoch >= 0 && typeof d.renewedAt === 'string'
  );
}
