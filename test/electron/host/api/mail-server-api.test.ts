/**
 * The mail server through the providers API (it used to be `location.save { smtp }` and `location.setSmtpPassword`):
 * settings validated against the catalog, the password into the encrypted store and never back out, and a password
 * that belongs to one server and one login — another host, port or user name forgets it unless it comes again.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
import { providerSecretRef } from '../../../../shared/providers/catalog.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';

let host: FrontDeskHost;
let running: MemoryHost;

beforeAll(async () => {
  running = await startMemoryHost('mail-server-api', { demo: true });
  host = running.host;
}, 120_000);
afterAll(async () => {
  await running.stop();
});

const which = { locationId: DEMO_LOCATION_ID, channel: 'email', kind: 'smtp' } as const;
const SERVER = { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'desk', fromAddress: 'desk@lumiere.example', fromName: 'Lumière' };
const REF = providerSecretRef(DEMO_LOCATION_ID, 'email', 'smtp', 'password');

async function save(settings: Record<string, string | number | boolean>, password?: string) {
  return host.api.call('providers.save', { ...which, enabled: true, settings, ...(password !== undefined ? { secrets: { password } } : {}) });
}

async function mailServer() {
  const listed = await host.api.call('providers.list', { locationId: DEMO_LOCATION_ID });
  if (!listed.ok) throw new Error(listed.error.message);
  return (listed.value as ResponseOf<'providers.list'>).providers.find((p) => p.channel === 'email');
}

describe('the mail server as a provider', () => {
  it('refuses a bad sender, host or port, naming the field, and saves nothing', async () => {
    const bad = await save({ ...SERVER, fromAddress: 'not-an-address', host: 'smtp example', port: 70_000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.issues?.map((i) => [i.code, i.field]).sort()).toEqual([
      ['provider.field.email', 'settings.fromAddress'], ['provider.field.number', 'settings.port'], ['provider.field.pattern', 'settings.host'],
    ]);
    expect(await mailServer()).toBeUndefined();
  });

  it('stores the password encrypted under the provider’s reference, never handing it back', async () => {
    expect(await save(SERVER)).toMatchObject({ ok: true, value: { provider: { ready: false, secrets: { password: 'missing' }, problem: { reasonCode: 'smtp.password.needed' } } } });
    const saved = await save(SERVER, 'hunter2-secret');
    expect(saved).toMatchObject({ ok: true, value: { provider: { ready: true, secrets: { password: 'set' } } } });
    expect(JSON.stringify(saved)).not.toContain('hunter2');
    expect(await host.runtime.secrets.get(REF)).toBe('hunter2-secret');
    expect(JSON.stringify((await host.runtime.db.provider_settings.findOne(`${DEMO_LOCATION_ID}:email:smtp`).exec())?.toJSON())).not.toContain('hunter2');
    expect(JSON.stringify(await mailServer())).not.toContain('hunter2');
    expect(await readFile(path.join(running.dataDir, 'secrets', 'secrets.json'), 'utf8')).not.toContain('hunter2');
    // The same server and login again (another sender name, another security mode): the password stays.
    expect(await save({ ...SERVER, fromName: 'Lumière Desk', security: 'tls' })).toMatchObject({ ok: true, value: { provider: { secrets: { password: 'set' } } } });
    expect(await host.runtime.secrets.get(REF)).toBe('hunter2-secret');
  });

  it.each([
    ['host', { host: 'mail.other.example' }],
    ['port', { port: 2525 }],
    ['user name', { username: 'frontdesk' }],
  ])('forgets the saved password when the %s changes, unless it comes again with it', async (_what, change) => {
    await save(SERVER, 'hunter2-secret');
    expect(await save({ ...SERVER, ...change })).toMatchObject({ ok: true, value: { provider: { settings: change, secrets: { password: 'missing' }, ready: false } } });
    expect(await host.runtime.secrets.status(REF)).toBe('missing');
    expect(await save({ ...SERVER, host: 'mail.third.example', ...change }, 'for-the-new-one')).toMatchObject({ ok: true, value: { provider: { secrets: { password: 'set' }, ready: true } } });
    expect(await host.runtime.secrets.get(REF)).toBe('for-the-new-one');
  });

  it('forgets the password with an empty one, and everything with remove', async () => {
    await save(SERVER, 'hunter2-secret');
    expect(await save(SERVER, '')).toMatchObject({ ok: true, value: { provider: { secrets: { password: 'missing' } } } });
    await save(SERVER, 'hunter2-secret');
    expect(await host.api.call('providers.remove', which)).toEqual({ ok: true, value: { removed: true } });
    expect(await host.runtime.secrets.status(REF)).toBe('missing');
    expect(await mailServer()).toBeUndefined();
    await expect.poll(() => host.runtime.providers.email.readiness(DEMO_LOCATION_ID)).toMatchObject({ ready: false, reasonCode: 'channel.notConfigured' });
  });
});
