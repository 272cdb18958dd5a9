import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import type { HostEvent } from '../../../../shared/ipc/contract.ts';

let host: FrontDeskHost;
let running: MemoryHost;

beforeAll(async () => {
  running = await startMemoryHost('location-api', { demo: true });
  host = running.host;
}, 120_000);

afterAll(async () => {
  await running.stop();
});

const SMTP = { host: 'smtp.example.com', port: 587, secure: false, username: 'desk', fromAddress: 'desk@lumiere.example', fromName: 'Lumière' };

async function location() {
  const result = await host.api.call('settings.list', { locationId: DEMO_LOCATION_ID });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { location: unknown }).location as Record<string, unknown> & { smtp?: Record<string, unknown> };
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

  it('refuses a bad time or sender, naming the field, and saves nothing', async () => {
    const before = await location();
    const badTime = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, quietHours: { enabled: true, start: '25:00', end: '08:00' } });
    expect(badTime).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('quietHours.start') } });
    const badSender = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, fromAddress: 'not-an-address' } });
    expect(badSender).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('smtp.fromAddress') } });
    expect(await location()).toEqual(before);
  });

  it('refuses a password before the server is configured', async () => {
    const result = await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('SMTP server settings first') } });
  });

  it('stores the SMTP password encrypted under smtp:<locationId>, never handing it back', async () => {
    expect((await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: SMTP })).ok).toBe(true);
    // A user name without a password: the panel asks for it.
    expect((await location()).smtp).toMatchObject({ username: 'desk', password: 'needed' });
    const result = await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'hunter2-secret' });
    expect(result).toEqual({ ok: true, value: { passwordSet: true } });
    expect(await host.runtime.secrets.get(`smtp:${DEMO_LOCATION_ID}`)).toBe('hunter2-secret');
    const stored = await host.runtime.db.locations.findOne(DEMO_LOCATION_ID).exec();
    expect(stored?.smtp?.passwordRef).toBe(`smtp:${DEMO_LOCATION_ID}`);
    const listed = await location();
    expect(listed.smtp).toMatchObject({ host: 'smtp.example.com', port: 587, username: 'desk', password: 'set' });
    expect(listed.smtp).not.toHaveProperty('passwordRef');
    expect(JSON.stringify(listed)).not.toContain('hunter2');
    expect(await readFile(path.join(running.dataDir, 'secrets', 'secrets.json'), 'utf8')).not.toContain('hunter2');
    // The engine's email provider has the new password as soon as the call answered.
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)?.auth?.pass).toBe('hunter2-secret');
    // Saving the same server and login again (another sender name, another security mode) keeps the password.
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, fromName: 'Lumière Desk', secure: true } });
    expect((await host.runtime.db.locations.findOne(DEMO_LOCATION_ID).exec())?.smtp).toMatchObject({ fromName: 'Lumière Desk', passwordRef: `smtp:${DEMO_LOCATION_ID}` });
    // And a changed password reaches the provider too.
    await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'second' });
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)?.auth?.pass).toBe('second');
  });

  it.each([
    ['host', { host: 'mail.other.example' }],
    ['port', { port: 2525 }],
    ['user name', { username: 'frontdesk' }],
  ])('forgets the saved password when the %s changes', async (_what, change) => {
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: SMTP });
    await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'hunter2-secret' });
    expect((await location()).smtp).toMatchObject({ password: 'set' });
    const saved = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, ...change } });
    expect(saved).toMatchObject({ ok: true, value: { location: { smtp: { ...change, password: 'needed' } } } });
    expect((await host.runtime.db.locations.findOne(DEMO_LOCATION_ID).exec())?.smtp?.passwordRef).toBeUndefined();
    expect(await host.runtime.secrets.status(`smtp:${DEMO_LOCATION_ID}`)).toBe('missing');
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)).toMatchObject({ passwordNeeded: true, auth: { pass: '' } });
  });

  it('keeps the consent to log in without TLS for the same server only', async () => {
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, allowInsecureAuth: true } });
    expect((await location()).smtp).toMatchObject({ allowInsecureAuth: true });
    // Omitted on a save of the same server: kept.
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, fromName: 'Front desk' } });
    expect((await location()).smtp).toMatchObject({ allowInsecureAuth: true });
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)).toMatchObject({ allowInsecureAuth: true });
    // Another server: reset, unless the same request gives it again.
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, host: 'relay.lan' } });
    expect((await location()).smtp).not.toHaveProperty('allowInsecureAuth');
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)).not.toHaveProperty('allowInsecureAuth');
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, host: 'relay2.lan', allowInsecureAuth: true } });
    expect((await location()).smtp).toMatchObject({ host: 'relay2.lan', allowInsecureAuth: true });
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: { ...SMTP, host: 'relay2.lan', allowInsecureAuth: false } });
    expect((await location()).smtp).not.toHaveProperty('allowInsecureAuth');
  });

  it('forgets the password when it is set to an empty one', async () => {
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: SMTP });
    await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'hunter2-secret' });
    expect(await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: '' })).toEqual({ ok: true, value: { passwordSet: false } });
    expect(await host.runtime.secrets.status(`smtp:${DEMO_LOCATION_ID}`)).toBe('missing');
    expect((await location()).smtp).toMatchObject({ password: 'needed' });
  });

  it('refuses a prototype key as a password reference, and keeps serving', async () => {
    const doc = await host.runtime.db.locations.findOne(DEMO_LOCATION_ID).exec();
    for (const ref of ['__proto__', 'constructor', 'toString', 'smtp:../key']) {
      await expect(doc!.incrementalModify((l) => ({ ...l, smtp: { ...SMTP, passwordRef: ref } }))).rejects.toThrow();
      await expect(host.runtime.secrets.status(ref)).rejects.toThrow(/not a secret reference/);
    }
    expect(await host.api.call('app.ping', { echo: 'still here' })).toMatchObject({ ok: true, value: { echo: 'still here' } });
  });

  it('removes the SMTP connection with smtp: null, and forgets its password', async () => {
    await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: SMTP });
    await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: 'hunter2-secret' });
    expect((await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: null })).ok).toBe(true);
    expect((await location()).smtp).toBeUndefined();
    expect(await host.runtime.secrets.status(`smtp:${DEMO_LOCATION_ID}`)).toBe('missing');
    expect(host.runtime.smtpSettings(DEMO_LOCATION_ID)).toBeUndefined();
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
});
