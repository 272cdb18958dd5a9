/**
 * The log screen's recent entries against a real host (in memory; 8,000 entries of two locations written to its book,
 * many sharing a stamp, and nothing else writing): whatever the page answers itself is exactly the host's answer to the
 * same request, before and after the host writes more, and the page answers nothing it cannot be sure of.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOCATION_ID } from '../../../shared/demo/demo-catalog.ts';
import { DELIVERY_STATUSES, type DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import { NOTIFICATION_TYPES } from '../../../shared/domain/notification-settings.ts';
import { CHANNELS } from '../../../shared/notifications/catalog.ts';
import { createRandom } from '../../../shared/demo/prng.ts';
import { RECENT_KEPT, type LogRequest } from '../../../renderer/src/screens/delivery-log/recent-entries.ts';
import { RecentLogFeed, type LogCall } from '../../../renderer/src/screens/delivery-log/recent-log-feed.ts';
import { startMemoryHost, type MemoryHost } from '../../electron/host/support/memory-host.ts';

const MINUTE = 60_000;
const OTHER_LOCATION = 'loc-other';
let running: MemoryHost;
const now = Date.now();

function entry(i: number, atMs: number, rnd: ReturnType<typeof createRandom>, locationId = rnd.chance(0.8) ? DEMO_LOCATION_ID : OTHER_LOCATION): DeliveryLogEntry {
  const channel = rnd.pick(CHANNELS);
  return {
    id: `recent-${String(i).padStart(5, '0')}`, locationId, jobId: `job-${i}`, type: rnd.pick(NOTIFICATION_TYPES), channel,
    recipient: channel === 'email' ? 'a@b.example' : '', status: rnd.pick(DELIVERY_STATUSES), clientId: `client-${i % 40}`,
    at: new Date(atMs).toISOString(), atMs,
  };
}

const hostCall: LogCall = async (request) => {
  const result = await running.host.api.call('log.list', request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { entries: DeliveryLogEntry[] };
};

async function hostAnswer(request: LogRequest): Promise<string[]> {
  return ((await hostCall(request)).entries as DeliveryLogEntry[]).map((e) => e.id);
}

/** Requests a desk makes: each filter alone and together, dates, clients, both page sizes; some match nothing. */
function requests(): LogRequest[] {
  const base = { locationId: DEMO_LOCATION_ID };
  const out: LogRequest[] = [{ ...base, limit: 200 }, { ...base, limit: 1000 }];
  for (const type of NOTIFICATION_TYPES) out.push({ ...base, limit: 200, type });
  for (const channel of CHANNELS) out.push({ ...base, limit: 200, channel }, { ...base, limit: 50, channel, status: 'failed' });
  for (const status of DELIVERY_STATUSES) out.push({ ...base, limit: 200, status });
  out.push({ ...base, limit: 200, clientId: 'client-7' }, { ...base, limit: 200, clientId: 'nobody' });
  out.push({ ...base, limit: 200, fromMs: now - 60 * MINUTE }, { ...base, limit: 200, toMs: now - 600 * MINUTE }, { ...base, limit: 200, fromMs: now - 30 * MINUTE, type: 'reminder' });
  out.push({ ...base, limit: 200, type: 'reminder', channel: 'sms', status: 'delivered' });
  return out;
}

/** Every request the feed answers gets the host's answer; how many it answered. */
async function expectSameAsHost(feed: RecentLogFeed): Promise<{ answered: number; asked: number }> {
  let answered = 0;
  const all = requests();
  for (const request of all) {
    const here = feed.answer(request);
    if (here === undefined) continue;
    answered++;
    expect({ request, ids: here.map((e) => e.id) }).toEqual({ request, ids: await hostAnswer(request) });
  }
  return { answered, asked: all.length };
}

async function until(what: () => boolean, message: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!what()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  running = await startMemoryHost('recent-log-feed');
  const rnd = createRandom(7);
  // Two days back, stamps on whole minutes so that many entries share one (the cut between two pages falls in a tie).
  const entries = Array.from({ length: 8000 }, (_, i) => entry(i, now - Math.floor(rnd.next() * 2880) * MINUTE, rnd));
  await running.host.runtime.db.delivery_log.bulkInsert(entries);
}, 120_000);

afterAll(async () => {
  await running.stop();
});

describe('the delivery log screen answering filters from its recent entries', () => {
  it('answers only what the host would, entry for entry, and leaves to the host what it cannot be sure of', async () => {
    const feed = new RecentLogFeed(hostCall, DEMO_LOCATION_ID);
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200 })).toBeUndefined();
    feed.start();
    await until(() => feed.size >= RECENT_KEPT, 'the recent entries');
    const { answered, asked } = await expectSameAsHost(feed);
    expect(answered).toBeGreaterThan(asked / 2);
    // Not sure: a client with no entries among the recent ones may have older ones; entries before the kept ones.
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200, clientId: 'nobody' })).toBeUndefined();
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200, toMs: now - 2870 * MINUTE })).toBeUndefined();
    // Another location's request is the host's.
    expect(feed.answer({ locationId: OTHER_LOCATION, limit: 200 })).toBeUndefined();
    feed.stop();
  });

  it("stays the host's answer as the host writes, newest and older entries alike, and answers nothing until it has them", async () => {
    const feed = new RecentLogFeed(hostCall, DEMO_LOCATION_ID);
    const off = running.host.onEvent((event) => {
      if (event.type === 'deliveryLogChanged') feed.changed(event.fromMs);
    });
    feed.start();
    await until(() => feed.size >= RECENT_KEPT, 'the recent entries');
    const unfiltered: LogRequest = { locationId: DEMO_LOCATION_ID, limit: 200 };
    const rnd = createRandom(11);
    // New entries now, and one a peer kept for an hour (stamped among the kept ones).
    const written = [90_001, 90_002, 90_003].map((i, k) => ({ ...entry(i, k === 2 ? now - 60 * MINUTE : now + k, rnd, DEMO_LOCATION_ID), clientId: 'client-new' }));
    const theirs: LogRequest = { locationId: DEMO_LOCATION_ID, limit: 200, clientId: 'client-new', fromMs: now - 61 * MINUTE };
    expect(feed.answer(theirs)).toEqual([]);
    await running.host.runtime.db.delivery_log.bulkInsert(written);
    // Until the host's event arrives (150 ms coalescing) the entries here do not know; after it they do, once fetched.
    await until(() => feed.answer(theirs)?.length === 3, 'the new entries');
    expect(feed.answer(theirs)!.map((e) => e.id)).toEqual(await hostAnswer(theirs));
    await expectSameAsHost(feed);

    // A change the host did not date: everything is fetched again, and nothing is answered meanwhile.
    feed.changed(undefined);
    expect(feed.answer(unfiltered)).toBeUndefined();
    await until(() => feed.answer(unfiltered) !== undefined && feed.size >= RECENT_KEPT, 'the entries fetched again');
    const { answered } = await expectSameAsHost(feed);
    expect(answered).toBeGreaterThan(0);
    off();
    feed.stop();
  });

  it('leaves every answer to the host after a failed call, until the next change fills it again', async () => {
    let fail = false;
    const feed = new RecentLogFeed(async (request) => {
      if (fail) throw new Error('the host went away');
      return hostCall(request);
    }, DEMO_LOCATION_ID);
    feed.start();
    await until(() => feed.size >= RECENT_KEPT, 'the recent entries');
    fail = true;
    feed.changed(now);
    await until(() => feed.size === 0, 'the entries dropped');
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200 })).toBeUndefined();
    fail = false;
    feed.changed(now);
    await until(() => feed.size >= RECENT_KEPT, 'the entries fetched again');
    await expectSameAsHost(feed);
    feed.stop();
  });

  it('answers nothing while stopped, and after a start again has what was announced meanwhile', async () => {
    const feed = new RecentLogFeed(hostCall, DEMO_LOCATION_ID);
    feed.start();
    await until(() => feed.size >= RECENT_KEPT, 'the recent entries');
    feed.stop();
    const theirs: LogRequest = { locationId: DEMO_LOCATION_ID, limit: 200, clientId: 'client-while-stopped', fromMs: now - 61 * MINUTE };
    expect(feed.answer(theirs)).toBeUndefined();
    const written = { ...entry(91_001, now - 30 * MINUTE, createRandom(3), DEMO_LOCATION_ID), clientId: 'client-while-stopped' };
    await running.host.runtime.db.delivery_log.insert(written);
    feed.changed(written.atMs);
    expect(feed.answer(theirs)).toBeUndefined();
    // React's development mount stops and starts its effects once: the feed goes on from where it was.
    feed.start();
    await until(() => feed.answer(theirs) !== undefined, 'the announced entry');
    expect(feed.answer(theirs)!.map((e) => e.id)).toEqual([written.id]);
    feed.stop();
  });

  it('once the connection is lost, answers nothing again and asks nothing, whatever is announced or started', async () => {
    let calls = 0;
    const feed = new RecentLogFeed((request) => {
      calls++;
      return hostCall(request);
    }, DEMO_LOCATION_ID);
    feed.start();
    await until(() => feed.size >= RECENT_KEPT, 'the recent entries');
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200 })).toBeDefined();
    feed.lost();
    expect(feed.size).toBe(0);
    const asked = calls;
    feed.changed(now);
    feed.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(asked);
    expect(feed.answer({ locationId: DEMO_LOCATION_ID, limit: 200 })).toBeUndefined();
  });
});
