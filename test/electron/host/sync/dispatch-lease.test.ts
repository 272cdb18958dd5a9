/**
 * The dispatch lease against a stand-in endpoint whose answers the test releases by hand, on a manual clock: what the
 * engine is told (onChange) when a renewal answers late, after the lease ran out by this desk's own clock.
 */
import { describe, expect, it } from 'vitest';
import type { CouchAnswer, CouchClient } from '../../../../electron/host/sync/couch-client.ts';
import { DispatchLease, type LeaseDocument } from '../../../../electron/host/sync/dispatch-lease.ts';
import { ManualTime, T0 } from '../engine/support/harness.ts';

const TTL_MS = 4_000;

/** One lease document with CouchDB's revision check; every request waits until the test answers it. */
class HeldEndpoint {
  doc: LeaseDocument | undefined;
  #revisions = 0;
  readonly #waiting: (() => void)[] = [];

  get waiting(): number {
    return this.#waiting.length;
  }

  readonly client = {
    health: { waitMs: () => 0 },
    request: (_path: string, init: { method?: string; body?: unknown } = {}) =>
      new Promise<CouchAnswer>((resolve) => {
        this.#waiting.push(() => resolve(this.#answer(init.method ?? 'GET', init.body as LeaseDocument | undefined)));
      }),
  } as unknown as CouchClient;

  /** Answers the requests waiting now, in order, and lets their callers go on. */
  async answerWaiting(): Promise<void> {
    for (const answer of this.#waiting.splice(0)) answer();
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  #answer(method: string, body: LeaseDocument | undefined): CouchAnswer {
    if (method === 'GET') return this.doc ? { status: 200, body: { ...this.doc } } : { status: 404, body: { error: 'not_found' } };
    if ((this.doc?._rev ?? undefined) !== body?._rev) return { status: 409, body: { error: 'conflict' } };
    const rev = `${++this.#revisions}-x`;
    this.doc = { ...body!, _rev: rev };
    return { status: 201, body: { ok: true, rev } };
  }
}

const STEP_MS = 5;

/** Moves time on in small steps until the lease sends a request. */
async function untilRequest(time: ManualTime, endpoint: HeldEndpoint, limitMs: number): Promise<void> {
  for (let waited = 0; endpoint.waiting === 0; waited += STEP_MS) {
    if (waited > limitMs) throw new Error(`no lease request within ${limitMs} ms`);
    await time.advance(STEP_MS, () => Promise.resolve());
  }
}

describe('DispatchLease', () => {
  it('tells the engine the lease is held again when a renewal that answers after it ran out takes it back', async () => {
    const time = new ManualTime(T0);
    const endpoint = new HeldEndpoint();
    const told: boolean[] = [];
    const lease: DispatchLease = new DispatchLease({
      client: endpoint.client, database: 'fd-dispatch', deskId: 'desk-a', deskName: 'Desk A', clock: time, timers: time, monotonic: () => time.monotonic(), ttlMs: TTL_MS,
      onChange: () => told.push(lease.holding),
    });
    lease.start();
    await untilRequest(time, endpoint, 100);
    await endpoint.answerWaiting(); // GET: no lease yet
    await endpoint.answerWaiting(); // PUT: written
    await endpoint.answerWaiting(); // GET: the write read back, taken
    expect(told).toEqual([true]);

    // The next renewal's read is slow to answer: the lease runs out meanwhile, by this desk's clock (0.9 ttl after
    // the first renewal started), though not yet the ttl after this renewal started.
    await untilRequest(time, endpoint, TTL_MS);
    await time.advance(TTL_MS * 0.7, () => Promise.resolve());
    expect(lease.holding).toBe(false);
    expect(told).toEqual([true, false]);

    // It answers at last, and the renewal's write still finds the desk's own revision: the lease is held again.
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    expect(endpoint.doc?.holder).toBe('desk-a');
    expect(lease.holding).toBe(true);
    expect(told).toEqual([true, false, true]);
    await lease.stop(false);
  });

  it('renews a third of the ttl after the previous renewal started, however long that one took to answer', async () => {
    const time = new ManualTime(T0);
    const endpoint = new HeldEndpoint();
    const lease = new DispatchLease({ client: endpoint.client, database: 'fd-dispatch', deskId: 'desk-a', deskName: 'Desk A', clock: time, timers: time, monotonic: () => time.monotonic(), ttlMs: TTL_MS, onChange: () => undefined });
    lease.start();
    await untilRequest(time, endpoint, 100);
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();

    // A renewal starts a third of the ttl later and takes a second to answer.
    await untilRequest(time, endpoint, TTL_MS);
    const renewalStarted = time.now();
    expect(renewalStarted - T0).toBeLessThanOrEqual(TTL_MS / 3 + 4 * STEP_MS);
    await time.advance(1_000, () => Promise.resolve());
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();

    // The next one starts a third of the ttl after the slow one started, not after it answered.
    await untilRequest(time, endpoint, TTL_MS);
    expect(time.now() - renewalStarted).toBeLessThanOrEqual(TTL_MS / 3 + 4 * STEP_MS);
    expect(lease.holding).toBe(true);
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await lease.stop(false);
  });

  it("takes over a frozen holder's lease only a ttl after a read ANSWERED with its revision, never before the holder's own end", async () => {
    const time = new ManualTime(T0);
    const endpoint = new HeldEndpoint();
    const margin = Math.min(2_000, TTL_MS / 10);
    const held = (renewedAt: number, rev: string): LeaseDocument => ({
      _id: 'lease', _rev: rev, holder: 'desk-b', holderName: 'Desk B', epoch: 1, renewedAt: new Date(renewedAt).toISOString(), expiresAt: new Date(renewedAt + TTL_MS).toISOString(), ttlMs: TTL_MS,
    });
    endpoint.doc = held(T0 - 1_000, '1-b');
    const lease = new DispatchLease({ client: endpoint.client, database: 'fd-dispatch', deskId: 'desk-a', deskName: 'Desk A', clock: time, timers: time, monotonic: () => time.monotonic(), ttlMs: TTL_MS, onChange: () => undefined });
    lease.start();
    await untilRequest(time, endpoint, 100);
    // Desk A's read waits on a busy endpoint; meanwhile desk B renews (its lease runs from this write's start, by its
    // clock) and then freezes. The read answers with that renewal.
    await time.advance(1_500, () => Promise.resolve());
    const renewedAt = time.now();
    endpoint.doc = held(renewedAt, '2-b');
    await endpoint.answerWaiting();

    let takenAt: number | undefined;
    while (takenAt === undefined && time.now() < T0 + 5 * TTL_MS) {
      if (endpoint.waiting > 0) {
        const writesBefore = endpoint.doc.holder;
        await endpoint.answerWaiting();
        if (writesBefore === 'desk-b' && endpoint.doc?.holder === 'desk-a') takenAt = time.now();
      } else await time.advance(STEP_MS, () => Promise.resolve());
    }
    expect(takenAt, 'desk A never took the lease over').toBeDefined();
    // Desk B counts itself the holder until its renewal's start plus the ttl minus the margin.
    expect(takenAt!).toBeGreaterThanOrEqual(renewedAt + TTL_MS - margin);
    await endpoint.answerWaiting(); // the takeover read back
    expect(lease.holding).toBe(true);
    await lease.stop(false);
  });
});

/** Desk A takes the free lease: the first read, the write, and the write read back. */
async function takenByDeskA(onChange: (lease: DispatchLease) => void = () => undefined) {
  const time = new ManualTime(T0);
  const endpoint = new HeldEndpoint();
  const lease: DispatchLease = new DispatchLease({
    client: endpoint.client, database: 'fd-dispatch', deskId: 'desk-a', deskName: 'Desk A', clock: time, timers: time, monotonic: () => time.monotonic(), ttlMs: TTL_MS,
    onChange: () => onChange(lease),
  });
  lease.start();
  await untilRequest(time, endpoint, 100);
  await endpoint.answerWaiting();
  await endpoint.answerWaiting();
  await endpoint.answerWaiting();
  expect(lease.holding).toBe(true);
  return { time, endpoint, lease };
}

describe('DispatchLease when the wall clock is set', () => {
  it('a holder whose clock is set back an hour stops counting itself the holder a ttl after its renewal, as the other desks count', async () => {
    const told: boolean[] = [];
    const { time, endpoint, lease } = await takenByDeskA((l) => told.push(l.holding));
    // The endpoint answers nothing more (the network is gone); the clock goes back an hour.
    time.jumpWallClock(-3_600_000);
    await time.advance(TTL_MS, () => Promise.resolve());
    expect(endpoint.waiting).toBeGreaterThan(0);
    expect(lease.holding).toBe(false);
    expect(lease.valid({ desk: 'desk-a', epoch: 1 })).toBe(false);
    expect(told).toEqual([true, false]);
    let stopped = false;
    const stopping = lease.stop(false).then(() => void (stopped = true));
    while (!stopped) await endpoint.answerWaiting();
    await stopping;
  });

  it('a clock set back during a renewal does not put the next renewal off by as much', async () => {
    const { time, endpoint, lease } = await takenByDeskA();
    await untilRequest(time, endpoint, TTL_MS);
    time.jumpWallClock(-3_600_000);
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    const renewed = time.monotonic();
    await untilRequest(time, endpoint, TTL_MS);
    expect(time.monotonic() - renewed).toBeLessThanOrEqual(TTL_MS / 3 + 4 * STEP_MS);
    expect(lease.holding).toBe(true);
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await endpoint.answerWaiting();
    await lease.stop(false);
  });

  it("an observer whose clock is set forward does not take over before a ttl of its own timers has passed", async () => {
    const time = new ManualTime(T0);
    const endpoint = new HeldEndpoint();
    endpoint.doc = {
      _id: 'lease', _rev: '1-b', holder: 'desk-b', holderName: 'Desk B', epoch: 1, renewedAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + TTL_MS).toISOString(), ttlMs: TTL_MS,
    };
    const lease = new DispatchLease({ client: endpoint.client, database: 'fd-dispatch', deskId: 'desk-a', deskName: 'Desk A', clock: time, timers: time, monotonic: () => time.monotonic(), ttlMs: TTL_MS, onChange: () => undefined });
    lease.start();
    await untilRequest(time, endpoint, 100);
    await endpoint.answerWaiting();
    const firstSeen = time.monotonic();
    time.jumpWallClock(3_600_000);
    let takenAt: number | undefined;
    while (takenAt === undefined && time.monotonic() < T0 + 5 * TTL_MS) {
      if (endpoint.waiting > 0) {
        await endpoint.answerWaiting();
        if (endpoint.doc?.holder === 'desk-a') takenAt = time.monotonic();
      } else await time.advance(STEP_MS, () => Promise.resolve());
    }
    expect(takenAt, 'desk A never took the lease over').toBeDefined();
    expect(takenAt! - firstSeen).toBeGreaterThanOrEqual(TTL_MS);
    await endpoint.answerWaiting();
    await lease.stop(false);
  });
});
