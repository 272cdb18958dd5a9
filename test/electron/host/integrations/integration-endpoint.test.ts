/**
 * The integration endpoint over real HTTP on loopback, as a payment terminal or phone system would call it: a wrong or
 * missing token is refused (401), a malformed body is refused with a clear JSON error, and nothing hostile writes a
 * row, shows a toast or stops the host; a valid incoming call makes exactly one notification-center row and one toast.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { HostEvent } from '../../../../shared/ipc/contract.ts';
import { appointment, HOUR } from '../engine/integration/support/salon.ts';
import { LOCATION_ID, call, seedBookingSalon } from '../commands/support/booking-salon.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';

type DeskToast = Extract<HostEvent, { type: 'deskToast' }>;

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
let url: string;
let phoneToken: string;
let terminalToken: string;
const toasts: DeskToast[] = [];

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const result = await call(host, channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

beforeAll(async () => {
  running = await startMemoryHost('integration-endpoint', { integrationPort: 0 });
  host = running.host;
  db = host.runtime.db;
  const now = Date.now();
  await seedBookingSalon(db, now);
  await db.appointments.insert(appointment('apt-now', 'c-anna', now - HOUR, now, { status: 'arrived', priceMinor: 5500 }));
  host.onEvent((event) => {
    if (event.type === 'deskToast') toasts.push(event);
  });
  const before = await value<{ endpoint: { listening: boolean } }>('integrations.list', {});
  expect(before.endpoint.listening).toBe(false);
  phoneToken = (await value<{ token: string }>('integrations.create', { name: 'Phone system', kind: 'phoneSystem', locationId: LOCATION_ID })).token;
  terminalToken = (await value<{ token: string }>('integrations.create', { name: 'Card terminal', kind: 'paymentTerminal', locationId: LOCATION_ID })).token;
  const listed = await value<{ endpoint: { listening: boolean; url: string } }>('integrations.list', {});
  expect(listed.endpoint.listening).toBe(true);
  url = listed.endpoint.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/events$/);
}, 60_000);

afterAll(async () => {
  await running.stop();
});

/** `token` null: no Authorization header at all. */
async function post(body: string | object, headers: Record<string, string> = {}, token: string | null = phoneToken) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { ok?: boolean; eventId?: string; duplicate?: boolean; clientId?: string; appointmentId?: string; error?: { code: string; message: string; issues?: { path: string; message: string }[] } } };
}

async function teamEventCount(): Promise<number> {
  return db.team_events.count().exec();
}

/** Sends something hostile and checks it left no row, no toast, and the host answering. */
async function refusedWithoutTrace(send: () => ReturnType<typeof post>) {
  const [rows, shown] = [await teamEventCount(), toasts.length];
  const answer = await send();
  expect(answer.body.error?.message.length).toBeGreaterThan(20);
  expect(await teamEventCount()).toBe(rows);
  expect(toasts.length).toBe(shown);
  expect(await call(host, 'app.ping', { echo: 'alive' })).toMatchObject({ ok: true });
  return answer;
}

describe('integration endpoint: refusals', () => {
  it('refuses a missing, wrong, forged or removed token with 401 and a clear JSON error', async () => {
    const call1 = { type: 'incomingCall', phone: '+49 170 1111111' };
    expect(await refusedWithoutTrace(() => post(call1, {}, null))).toMatchObject({ status: 401, body: { error: { code: 'token.missing' } } });
    expect(await refusedWithoutTrace(() => post(call1, {}, 'not-a-token'))).toMatchObject({ status: 401, body: { error: { code: 'token.invalid' } } });
    const forged = phoneToken.slice(0, -4) + (phoneToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await refusedWithoutTrace(() => post(call1, {}, forged))).toMatchObject({ status: 401, body: { error: { code: 'token.invalid' } } });
    const temporary = await value<{ integration: { id: string }; token: string }>('integrations.create', { name: 'Old phone', kind: 'phoneSystem', locationId: LOCATION_ID });
    await value('integrations.remove', { id: temporary.integration.id });
    expect(await refusedWithoutTrace(() => post(call1, {}, temporary.token))).toMatchObject({ status: 401, body: { error: { code: 'token.invalid' } } });
  });

  it('refuses malformed bodies with what to fix: not JSON, not an event, wrong fields, too big, prototype keys', async () => {
    const notJson = await refusedWithoutTrace(() => post('{"type": "incomingCall", "phone": '));
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'body.invalidJson' } } });
    expect(notJson.body.error!.message).toMatch(/not valid JSON/);
    const wrong = await refusedWithoutTrace(() => post({ type: 'incomingCall', phone: 12345, extra: true }));
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'body.invalid' } } });
    expect(wrong.body.error!.issues!.map((i) => i.path)).toEqual(expect.arrayContaining(['phone']));
    expect(await refusedWithoutTrace(() => post({ type: 'fax' }))).toMatchObject({ status: 400, body: { error: { code: 'body.invalid' } } });
    expect(await refusedWithoutTrace(() => post('[1,2,3]'))).toMatchObject({ status: 400, body: { error: { code: 'body.invalid' } } });
    expect(await refusedWithoutTrace(() => post('{"type":"incomingCall","phone":"+4917011111","__proto__":{"x":1}}'))).toMatchObject({ status: 400, body: { error: { code: 'body.invalid' } } });
    expect(await refusedWithoutTrace(() => post({ type: 'incomingCall', phone: 'x'.repeat(40_000) }))).toMatchObject({ status: 413, body: { error: { code: 'body.tooLarge' } } });
    expect(await refusedWithoutTrace(() => post({ type: 'incomingCall', phone: '+4917011111' }, { 'content-type': 'text/plain' }))).toMatchObject({ status: 415, body: { error: { code: 'body.notJson' } } });
    expect(await refusedWithoutTrace(() => post({ type: 'qrPayment', amountMinor: 100, currency: 'EUR' }))).toMatchObject({ status: 422, body: { error: { code: 'event.wrongIntegration' } } });
    expect(await refusedWithoutTrace(() => post({ type: 'qrPayment', amountMinor: 100, currency: 'USD' }, {}, terminalToken))).toMatchObject({ status: 422, body: { error: { code: 'event.currency' } } });
    const elsewhere = await fetch(url.replace('/v1/events', '/admin'), { method: 'POST' });
    expect(elsewhere.status).toBe(404);
    const get = await fetch(url, { headers: { authorization: `Bearer ${phoneToken}` } });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: { code: 'method.notAllowed' } });
  });

  it('survives garbage on the socket and keeps answering', async () => {
    const { port } = new URL(url);
    const reply = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('\u0000\u0001GARBAGE / HTTP/9\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(await call(host, 'app.ping', { echo: 'alive' })).toMatchObject({ ok: true });
    expect((await post({ type: 'incomingCall', phone: '+49 170 2222222', callId: 'after-garbage' })).status).toBe(202);
  });
});

describe('integration endpoint: events', () => {
  it('a valid incoming call from a known number makes exactly one row and one toast; the same call again, none more', async () => {
    const [rows, shown] = [await teamEventCount(), toasts.length];
    const first = await post({ type: 'incomingCall', phone: '0176 12345678', callId: 'call-42' });
    expect(first).toMatchObject({ status: 202, body: { ok: true, duplicate: false, clientId: 'c-anna' } });
    expect(await teamEventCount()).toBe(rows + 1);
    expect(toasts.length).toBe(shown + 1);
    const event = (await db.team_events.findOne(first.body.eventId!).exec())!.toMutableJSON();
    expect(event).toMatchObject({ type: 'incomingCall', locationId: LOCATION_ID, clientId: 'c-anna', facts: { phone: '+4917612345678', clientName: 'Anna Petrova' }, origin: { kind: 'integration', name: 'Phone system' } });
    expect(toasts.at(-1)).toMatchObject({ kind: 'incomingCall', eventId: event.id, clientId: 'c-anna', test: false });
    const again = await post({ type: 'incomingCall', phone: '0176 12345678', callId: 'call-42' });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, eventId: event.id } });
    expect(await teamEventCount()).toBe(rows + 1);
    expect(toasts.length).toBe(shown + 1);
  });

  it('an unknown number: the row and toast carry the number for "new client"', async () => {
    const answer = await post({ type: 'incomingCall', phone: '030 9876543' });
    expect(answer.status).toBe(202);
    expect(answer.body.clientId).toBeUndefined();
    expect(toasts.at(-1)).toMatchObject({ kind: 'incomingCall', phone: '+49309876543' });
    expect(toasts.at(-1)!.clientId).toBeUndefined();
  });

  it('a QR payment is recorded on the visit it settles (once per reference), and the toast opens that visit', async () => {
    const first = await post({ type: 'qrPayment', amountMinor: 5500, currency: 'EUR', reference: 'TX-9' }, {}, terminalToken);
    expect(first).toMatchObject({ status: 202, body: { appointmentId: 'apt-now', clientId: 'c-anna' } });
    expect(await post({ type: 'qrPayment', amountMinor: 5500, currency: 'EUR', reference: 'TX-9' }, {}, terminalToken)).toMatchObject({ status: 200, body: { duplicate: true } });
    const payments = (await db.appointments.findOne('apt-now').exec())!.toMutableJSON().payments;
    expect(payments).toEqual([expect.objectContaining({ method: 'qr', amountMinor: 5500, source: 'integration', by: 'Card terminal', reference: 'TX-9' })]);
    expect(toasts.at(-1)).toMatchObject({ kind: 'qrPayment', appointmentId: 'apt-now' });
    const event = (await db.team_events.findOne(first.body.eventId!).exec())!.toMutableJSON();
    expect(event.facts).toMatchObject({ amountMinor: 5500, currency: 'EUR' });
    expect(event.body).toContain('55');
  });

  it('"Send a test event" goes through the endpoint: a test row and a test toast, nothing paid', async () => {
    const { integrations } = await value<{ integrations: { id: string; kind: string }[] }>('integrations.list', {});
    for (const integration of integrations) {
      const shown = toasts.length;
      const result = await value<{ ok: boolean; eventId: string }>('integrations.sendTest', { id: integration.id });
      expect(result.ok).toBe(true);
      expect(toasts.length).toBe(shown + 1);
      expect(toasts.at(-1)).toMatchObject({ test: true, eventId: result.eventId });
      expect((await db.team_events.findOne(result.eventId).exec())!.origin).toMatchObject({ kind: 'test' });
    }
    expect((await db.appointments.findOne('apt-now').exec())!.toMutableJSON().payments).toHaveLength(1);
  });

  it('the endpoint closes when the last integration is removed', async () => {
    const { integrations } = await value<{ integrations: { id: string }[] }>('integrations.list', {});
    for (const integration of integrations) await value('integrations.remove', { id: integration.id });
    expect((await value<{ endpoint: { listening: boolean } }>('integrations.list', {})).endpoint.listening).toBe(false);
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
  });
});
