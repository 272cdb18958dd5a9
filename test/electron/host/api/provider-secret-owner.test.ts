/**
 * A provider's secret belongs to the server it was typed for. Two loopback Telegram Bot APIs, A and B: the bot token
 * typed for A never reaches B — not when the manager switches the address, and not when the settings document is
 * changed behind this desk's back (another desk, a sync peer), even if the manager then saves what the card shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Channel, RequestOf, ResponseOf } from '../../../../shared/ipc/contract.ts';
import type { ApiResult } from '../../../../shared/ipc/result.ts';
import { providerDocId } from '../../../../shared/providers/catalog.ts';
import { startFakeTelegram, type FakeTelegram } from '../channels/support/fake-telegram.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let serverA: FakeTelegram;
let serverB: FakeTelegram;
const which = { locationId: LOCATION_ID, channel: 'sms', kind: 'telegram' } as const;

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = (await host.api.call(channel, request as never)) as ApiResult<ResponseOf<C>>;
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const saveProvider = async (request: RequestOf<'providers.save'>) => (await call('providers.save', request)).provider;
const listed = async () => (await call('providers.list', { locationId: LOCATION_ID })).providers.find((p) => p.kind === 'telegram');
const tokenSeenBy = (server: FakeTelegram) => server.server.requests.some((r) => r.path.includes(serverA.token));

beforeAll(async () => {
  serverA = await startFakeTelegram();
  serverB = await startFakeTelegram({ token: serverA.token });
  running = await startMemoryHost('provider-secret-owner');
  host = running.host;
  await seedSalon(host.runtime.db, { now: Date.now(), clients: [] });
});
afterAll(async () => {
  await running?.stop();
  await Promise.all([serverA?.close(), serverB?.close()]);
});

describe('a secret and the server it was typed for', () => {
  it('typed for A: used with A; another path on A keeps it', async () => {
    await saveProvider({ ...which, enabled: true, settings: { baseUrl: serverA.url }, secrets: { botToken: serverA.token } });
    expect(await call('providers.test', which)).toMatchObject({ ok: true });
    expect(tokenSeenBy(serverA)).toBe(true);
    const saved = await saveProvider({ ...which, enabled: true, settings: { baseUrl: `${serverA.url.toUpperCase()}/` } });
    expect(saved).toMatchObject({ secrets: { botToken: 'set' }, ready: true });
  });

  it('the document changed elsewhere to point at B: the token reads as missing and B never sees it', async () => {
    const doc = await host.runtime.db.provider_settings.findOne(providerDocId(LOCATION_ID, 'sms', 'telegram')).exec();
    await doc!.incrementalPatch({ settings: { baseUrl: serverB.url }, updatedBy: 'another desk' });
    const view = await waitUntil(async () => {
      const p = await listed();
      return p?.problem?.reasonCode === 'provider.secretOwnerChanged' ? p : undefined;
    }, 10_000, async () => JSON.stringify(await listed()));
    expect(view).toMatchObject({ secrets: { botToken: 'missing' }, ready: false });
    expect(await call('providers.test', which)).toMatchObject({ ok: false });
    await host.api.call('providers.sendTest', { ...which, to: '4242' });
    // The manager saves what the card shows: that does not bind A's token to B.
    expect(await saveProvider({ ...which, enabled: true, settings: { baseUrl: serverB.url } })).toMatchObject({ secrets: { botToken: 'missing' }, ready: false });
    expect(await call('providers.test', which)).toMatchObject({ ok: false });
    expect(tokenSeenBy(serverB)).toBe(false);
  });

  it('switching back to A does not bring the token back: it was forgotten, and is typed again', async () => {
    expect(await saveProvider({ ...which, enabled: true, settings: { baseUrl: serverA.url } })).toMatchObject({ secrets: { botToken: 'missing' } });
    expect(await saveProvider({ ...which, enabled: true, settings: { baseUrl: serverB.url }, secrets: { botToken: serverA.token } })).toMatchObject({ secrets: { botToken: 'set' }, ready: true });
    expect(await call('providers.test', which)).toMatchObject({ ok: true });
    // Typed for B on purpose: now B may see it.
    expect(tokenSeenBy(serverB)).toBe(true);
  });
});
