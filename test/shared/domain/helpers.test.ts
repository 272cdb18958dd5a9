import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  APPOINTMENT_STATUSES,
  assertTransition,
  canTransition,
  isActiveStatus,
  STATUS_TRANSITIONS,
} from '../../../shared/domain/appointment.ts';
import { clientDisplayName, migrateClientV0toV1, splitFullName } from '../../../shared/domain/client.ts';
import type { ClientV0 } from '../../../shared/domain/client.ts';
import { isValidEmail, normalizeEmail } from '../../../shared/domain/email.ts';
import { isE164, normalizePhone } from '../../../shared/domain/phone.ts';
import { audienceOf, notificationSettingsId } from '../../../shared/domain/notification-settings.ts';
import { isTerminalJobState, jobId } from '../../../shared/domain/job.ts';

describe('appointment status transitions', () => {
  it('allows the everyday flow and refuses jumps', () => {
    expect(canTransition('booked', 'confirmed')).toBe(true);
    expect(canTransition('confirmed', 'arrived')).toBe(true);
    expect(canTransition('arrived', 'completed')).toBe(true);
    expect(canTransition('booked', 'completed')).toBe(false);
    expect(canTransition('cancelled', 'completed')).toBe(false);
  });

  it('never lists a self-transition and names the allowed moves in the error', () => {
    for (const s of APPOINTMENT_STATUSES) expect(STATUS_TRANSITIONS[s]).not.toContain(s);
    expect(() => assertTransition('cancelled', 'completed')).toThrow(
      'appointments.status: cannot change from "cancelled" to "completed"; allowed from "cancelled": booked',
    );
    expect(() => assertTransition('booked', 'arrived')).not.toThrow();
  });

  it('treats only pending visits as future bookings', () => {
    expect(APPOINTMENT_STATUSES.filter(isActiveStatus)).toEqual(['booked', 'confirmed', 'arrived']);
  });
});

describe('normalizePhone', () => {
  it.each([
    ['0151 2345 6789', 'DE', '+4915123456789'],
    ['+49 (151) 2345-6789', 'DE', '+4915123456789'],
    ['0049 151 23456789', 'DE', '+4915123456789'],
    ['8 (912) 345-67-89', 'RU', '+79123456789'],
    ['+7 912 345 67 89', 'DE', '+79123456789'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['07400 123456', 'GB', '+447400123456'],
    ['612 34 56 78', 'ES', '+34612345678'],
  ])('%s in %s → %s', (input, country, e164) => {
    expect(normalizePhone(input, country)).toEqual({ ok: true, e164 });
  });

  it('explains what is wrong', () => {
    expect(normalizePhone('', 'DE')).toEqual({ ok: false, error: 'phone number is empty', problem: 'empty', params: {} });
    const short = normalizePhone('8 912 345', 'RU');
    expect(short.ok).toBe(false);
    expect(!short.ok && short.error).toContain('expected 10');
    // The code and parameters the UI translates.
    expect(short).toMatchObject({ problem: 'length', params: { digits: 7, expected: '10', callingCode: '+7', example: '8 (912) 345-67-89' } });
    const letters = normalizePhone('0151 abc', 'DE');
    expect(!letters.ok && letters.error).toContain('characters other than digits');
    const unknown = normalizePhone('123 456 789', 'ZZ');
    expect(!unknown.ok && unknown.error).toContain('no local number rules for country "ZZ"');
    expect(unknown).toMatchObject({ problem: 'country', params: { country: 'ZZ' } });
  });

  it('checks every number with libphonenumber-js: calling codes that exist, lengths a country has; national numbers beyond the table', () => {
    expect(normalizePhone('+999 1234 5678', 'DE')).toMatchObject({ ok: false, problem: 'invalid', params: { phone: '+999 1234 5678' } });
    expect(normalizePhone('+351 912 345 678', 'DE')).toEqual({ ok: true, e164: '+351912345678' });
    expect(normalizePhone('912 345 678', 'PT')).toEqual({ ok: true, e164: '+351912345678' });
    expect(normalizePhone('12', 'PT')).toMatchObject({ ok: false, problem: 'invalid', params: { country: 'PT' } });
    expect(normalizePhone('+1 055 555 0123', 'US')).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('always yields E.164 when it succeeds', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.constantFrom('DE', 'RU', 'US', 'GB', 'FR'), (s, c) => {
        const r = normalizePhone(s, c);
        return !r.ok || isE164(r.e164);
      }),
    );
  });
});

describe('email', () => {
  it('accepts ordinary addresses and normalises the domain case', () => {
    expect(isValidEmail('anna.mueller@example.de')).toBe(true);
    expect(normalizeEmail('  Anna@Example.COM ')).toEqual({ ok: true, email: 'Anna@example.com' });
  });
  it('refuses malformed ones with a message', () => {
    expect(isValidEmail('anna@')).toBe(false);
    expect(isValidEmail('anna@localhost')).toBe(false);
    expect(normalizeEmail('anna')).toEqual({
      ok: false,
      error: 'email address "anna" needs a name before "@" and a domain after it',
    });
    const bad = normalizeEmail('a b@example.com');
    expect(bad.ok).toBe(false);
  });
});

describe('client v0 → v1 migration', () => {
  const v0: ClientV0 = {
    id: 'c1',
    locationId: 'l1',
    name: 'Anna Maria  Schmidt',
    phone: '+4915123456789',
    language: 'en',
    aggregatorAppInstalled: true,
    brandedPushToken: 'tok',
    optOuts: ['reminder'],
    marketingConsent: true,
    loyaltyPoints: 12,
    createdAt: '2024-01-01T10:00:00.000Z',
  };

  it('splits the name and moves the app flags', () => {
    expect(migrateClientV0toV1(v0)).toEqual({
      id: 'c1',
      locationId: 'l1',
      firstName: 'Anna Maria',
      lastName: 'Schmidt',
      phone: '+4915123456789',
      language: 'en',
      apps: { aggregator: true, brandedPushToken: 'tok' },
      optOuts: ['reminder'],
      marketingConsent: true,
      loyaltyPoints: 12,
      createdAt: '2024-01-01T10:00:00.000Z',
    });
  });

  it('keeps a one-word name as the first name and leaves no undefined token', () => {
    const { brandedPushToken: _omit, ...noToken } = v0;
    const m = migrateClientV0toV1({ ...noToken, name: 'Olga' });
    expect(m.firstName).toBe('Olga');
    expect(m.lastName).toBe('');
    expect('brandedPushToken' in m.apps).toBe(false);
    expect(clientDisplayName(m)).toBe('Olga');
    expect(splitFullName('  ')).toEqual({ firstName: '?', lastName: '' });
  });
});

describe('ids and small rules', () => {
  it('job ids are deterministic and readable', () => {
    const parts = { type: 'reminder', subjectId: 'a1', occasion: '1440@2025-03-01T09:00:00.000Z', channel: 'cascade' } as const;
    expect(jobId(parts)).toBe(jobId({ ...parts }));
    expect(jobId(parts)).toBe('reminder|a1|1440@2025-03-01T09:00:00.000Z|cascade');
    expect(notificationSettingsId('loc', 'winBack')).toBe('loc:winBack');
  });
  it('classifies types and job states', () => {
    expect(audienceOf('reminder')).toBe('client');
    expect(audienceOf('cancellation')).toBe('team');
    expect(isTerminalJobState('planned')).toBe(false);
    expect(isTerminalJobState('sending')).toBe(false);
    expect(isTerminalJobState('uncertain')).toBe(true);
  });
});
