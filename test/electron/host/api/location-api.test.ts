import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import type { HostEvent } from '../../../../shared/ipc/contract.ts';
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';

let host: FrontDeskHost;
let running: MemoryHost;

beforeAll(async () => {
  running = await startMemoryHost('location-api', { demo: true });
  host = running.host;
}, 120_000);

afterAll(async () => {
  await running.stop();
});

async function location() {
  const result = await host.api.call('settings.list', { locationId: DEMO_LOCATION_ID });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { location: unknown }).location as Record<string, unknown>;
}

describe('location API', () => {
  it('lists the locations for the switcher', async () => {
    const result = await host.api.call('location.list', {});
    expect(result).toMatchObject({ ok: true, value: { locations: [{ id: DEMO_LOCATION_ID, name: 'Lumière Beauty Studio', timeZone: 'Europe/Berlin' }] } });
  });

  it('saves quiet hours and the sandbox switch', async () => {
    const saved = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, quietHours: { enabled: true, start: '22:00', end: '08:30' }, sandboxMode: false });
    expect(saved.ok).toBe(true);
    expect(await location()).toMatchObject({ quietHours: { enabled: true, start: '22:00', end: '08:30' }, sandboxMode: false });
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, sandboxMode: true });
    expect((await location()).sandboxMode).toBe(true);
  });

  it('refuses a bad time, naming the field, and saves nothing', async () => {
    const before = await location();
    const badTime = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, quietHours: { enabled: true, start: '25:00', end: '08:00' } });
    expect(badTime).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('quietHours.start') } });
    expect(await location()).toEqual(before);
  });

  it('no longer takes the mail server: it is a provider (providers.save, channel email)', async () => {
    const smtp = { host: 'smtp.example.com', port: 587, secure: false, fromAddress: 'desk@lumiere.example' };
    expect(await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp } as never)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await location()).not.toHaveProperty('smtp');
  });

  it('answers not_found for an unknown location', async () => {
    expect(await host.api.call('location.save', { locationId: 'nope', sandboxMode: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('pushes teamEventsChanged and deliveryLogChanged, coalesced', async () => {
    const events: HostEvent['type'][] = [];
    const off = host.onEvent((event) => events.push(event.type));
    const list = await host.api.call('teamEvents.list', { limit: 5 });
    const ids = list.ok ? (list.value as { events: { id: string }[] }).events.map((e) => e.id) : [];
    const { db } = host.runtime;
    if (ids.length === 0) {
      const at = new Date().toISOString();
      await db.team_events.insert({ id: 'te-test', locationId: DEMO_LOCATION_ID, type: 'incomingCall', staffIds: [], title: 'Incoming call', body: '+49 30 1234', at, atMs: Date.parse(at), readBy: [], read: false });
    } else {
      await host.api.call('teamEvents.markRead', { ids, by: 'desk-test' });
    }
    const at = new Date().toISOString();
    for (let i = 0; i < 5; i++) {
      await db.delivery_log.insert({ id: `log-test-${i}`, locationId: DEMO_LOCATION_ID, jobId: 'test|job', type: 'reminder', channel: 'email', recipient: 'a@b.example', status: 'sandboxed', at, atMs: Date.parse(at) });
    }
    await expect.poll(() => events.includes('teamEventsChanged') && events.includes('deliveryLogChanged')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.filter((e) => e === 'deliveryLogChanged').length).toBeLessThanOrEqual(2);
    off();
  });

  it('says in deliveryLogChanged how far back the entries it announces go, burst by burst', async () => {
    const changes: number[] = [];
    const off = host.onEvent((event) => {
      if (event.type === 'deliveryLogChanged' && event.fromMs !== undefined) changes.push(event.fromMs);
    });
    const { db } = host.runtime;
    const now = Date.now();
    const entry = (id: string, atMs: number): DeliveryLogEntry => ({ id, locationId: DEMO_LOCATION_ID, jobId: 'test|job', type: 'reminder', channel: 'email', recipient: 'a@b.example', status: 'sandboxed', at: new Date(atMs).toISOString(), atMs });
    // One burst, written out of order (a peer's older entries come with new ones): the oldest is announced.
    await db.delivery_log.bulkInsert([entry('log-from-1', now - 1_000), entry('log-from-2', now - 7_200_000), entry('log-from-3', now)]);
    await expect.poll(() => changes).toEqual([now - 7_200_000]);
    // The next burst starts afresh.
    await db.delivery_log.insert(entry('log-from-4', now + 5));
    await expect.poll(() => changes).toEqual([now - 7_200_000, now + 5]);
    off();
  });
});
