/** `clients.save` on a real host: contacts normalised host-side, every refusal coded with its field, nothing written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Client } from '../../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, bookSnapshot, call, issueKeys, seedBookingSalon } from './support/booking-salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;

beforeAll(async () => {
  running = await startMemoryHost('client-commands');
  host = running.host;
  db = host.runtime.db;
  await seedBookingSalon(db, Date.now());
}, 60_000);

afterAll(async () => {
  await running.stop();
});

async function client(id: string): Promise<{ doc: Client; revision: string }> {
  const doc = (await db.clients.findOne(id).exec())!;
  return { doc: doc.toMutableJSON(), revision: doc.revision };
}

async function refused(payload: unknown, code = 'invalid_request'): Promise<string[]> {
  const before = await bookSnapshot(db);
  const result = await call(host, 'clients.save', payload);
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect(await bookSnapshot(db)).toBe(before);
  return issueKeys(result);
}

describe('clients.save', () => {
  it('creates a client with the phone in E.164 for the location’s country and the language of the salon', async () => {
    const result = await call(host, 'clients.save', { locationId: LOCATION_ID, firstName: 'Jonas', lastName: 'Keller', phone: '0170 1234567', birthday: '--02-29' });
    expect(result).toMatchObject({ ok: true, value: { created: true } });
    const { doc } = await client((result as { value: { clientId: string } }).value.clientId);
    expect(doc).toMatchObject({ locationId: LOCATION_ID, firstName: 'Jonas', lastName: 'Keller', phone: '+491701234567', birthday: '--02-29', language: 'en', loyaltyPoints: 0 });
    expect(doc.email).toBeUndefined();
  });

  it('refuses what a client card cannot hold, every problem at once, with codes a desk can translate', async () => {
    expect(await refused({ locationId: LOCATION_ID, firstName: ' ', phone: '0151 abc', email: 'anna@@x', birthday: '2026-02-30' })).toEqual([
      'client.firstName.required@firstName',
      'client.phone.characters@phone',
      'client.email.invalid@email',
      'client.birthday.invalid@birthday',
    ]);
    expect(await refused({ locationId: LOCATION_ID, lastName: 'Nobody', phone: '+49 170 1234567' })).toEqual(['client.firstName.required@firstName']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'Ida' })).toEqual(['client.contact.required@phone']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'Ida', phone: '0151 2' })).toEqual(['client.phone.length@phone']);
    expect(await refused({ locationId: 'loc-ghost', firstName: 'Ida', phone: '0170 1234567' }, 'not_found')).toEqual(['location.unknown@locationId']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'x'.repeat(121), phone: '0170 1234567' })).toEqual(['request.tooLong@firstName']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'Ida', phone: '0170 1234567', loyaltyPoints: 1000 })).toEqual(['request.invalid@']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'Ida\r\nBcc', phone: '0170 1234567' })).toEqual(['client.name.controlCharacter@firstName']);
    expect(await refused({ locationId: LOCATION_ID, firstName: 'Ida', lastName: 'Kel\u0000ler\u001b[2J', phone: '0170 1234567' })).toEqual(['client.name.controlCharacter@lastName']);
    expect(await refused({ locationId: LOCATION_ID, firstName: '\u200B\u200F\u00AD', phone: '0170 1234567' })).toEqual(['client.firstName.required@firstName']);
  });

  it('drops the direction overrides and isolates from a name, so it cannot turn the desk’s lists or the client’s SMS backwards', async () => {
    const result = await call(host, 'clients.save', { locationId: LOCATION_ID, firstName: '\u202EIda', lastName: '\u2068Keller\u2069 \u202D', phone: '0170 7654321' });
    expect(result).toMatchObject({ ok: true });
    const { doc } = await client((result as { value: { clientId: string } }).value.clientId);
    expect(doc).toMatchObject({ firstName: 'Ida', lastName: 'Keller' });
    // The marks that only nudge their neighbours stay: a Hebrew name may need one.
    const hebrew = await call(host, 'clients.save', { locationId: LOCATION_ID, firstName: '\u05E9\u05E8\u05D4\u200F', phone: '0170 7654322' });
    expect((await client((hebrew as { value: { clientId: string } }).value.clientId)).doc.firstName).toBe('\u05E9\u05E8\u05D4\u200F');
    expect(await refused({ locationId: LOCATION_ID, firstName: '\u202E\u2066', phone: '0170 1234567' })).toEqual(['client.firstName.required@firstName']);
  });

  it('updates only the fields given; an empty field clears it, but a client keeps a way to be reached', async () => {
    const { revision } = await client('c-anna');
    const phone = await call(host, 'clients.save', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, phone: '+7 912 345-67-89', language: 'ru', optOuts: ['winBack'] });
    expect(phone.ok).toBe(true);
    const after = await client('c-anna');
    expect(after.doc).toMatchObject({ firstName: 'Anna', lastName: 'Petrova', phone: '+79123456789', email: 'anna@clients.example', language: 'ru', optOuts: ['winBack'] });
    const noEmail = await call(host, 'clients.save', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: after.revision, email: '' });
    expect(noEmail.ok).toBe(true);
    const cleared = await client('c-anna');
    expect(cleared.doc.email).toBeUndefined();
    expect(await refused({ locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: cleared.revision, phone: '' })).toEqual(['client.contact.required@phone']);
  });

  it('refuses a stale card, an unknown client, one of another location, and an update without a revision', async () => {
    const { revision } = await client('c-anna');
    const first = await call(host, 'clients.save', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, lastName: 'Petrova-Smirnova' });
    expect(first.ok).toBe(true);
    expect(await refused({ locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, lastName: 'Other' }, 'conflict')).toEqual(['client.changedElsewhere@expectedRevision']);
    expect(await refused({ locationId: LOCATION_ID, clientId: 'c-ghost', expectedRevision: revision, lastName: 'X' }, 'not_found')).toEqual(['client.notFound@clientId']);
    expect(await refused({ locationId: LOCATION_ID, clientId: 'c-far', expectedRevision: revision, lastName: 'X' })).toEqual(['client.wrongLocation@clientId']);
    expect(await refused({ locationId: LOCATION_ID, clientId: 'c-anna', lastName: 'X' })).toEqual(['command.revisionRequired@expectedRevision']);
    expect((await client('c-anna')).doc.lastName).toBe('Petrova-Smirnova');
  });

  it('keeps per-channel opt-outs and notes; "allowed" everywhere removes the field; an unknown channel or scope is refused', async () => {
    const created = await call(host, 'clients.save', { locationId: LOCATION_ID, firstName: 'Nora', phone: '0170 7654321', channelOptOuts: { sms: 'all', email: 'marketing' }, notes: 'Prefers mornings' });
    expect(created).toMatchObject({ ok: true, value: { created: true } });
    const id = (created as { value: { clientId: string } }).value.clientId;
    const first = await client(id);
    expect(first.doc).toMatchObject({ channelOptOuts: { sms: 'all', email: 'marketing' }, notes: 'Prefers mornings' });
    const cleared = await call(host, 'clients.save', { locationId: LOCATION_ID, clientId: id, expectedRevision: first.revision, channelOptOuts: {}, notes: '' });
    expect(cleared.ok).toBe(true);
    const after = await client(id);
    expect(after.doc.channelOptOuts).toBeUndefined();
    expect(after.doc.notes).toBeUndefined();
    expect(await refused({ locationId: LOCATION_ID, clientId: id, expectedRevision: after.revision, channelOptOuts: { fax: 'all' } })).toEqual(['request.invalid@channelOptOuts']);
    expect(await refused({ locationId: LOCATION_ID, clientId: id, expectedRevision: after.revision, channelOptOuts: { sms: 'sometimes' } })).toEqual(['request.invalid@channelOptOuts.sms']);
  });
});
