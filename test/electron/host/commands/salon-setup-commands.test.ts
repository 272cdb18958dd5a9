/**
 * The first-run commands on a real host with an empty data folder: a salon from nothing (location.create, services.save,
 * staff.save) that books and plans a confirmation; the salon's profile edited (location.save); the demo as a choice
 * (demo.load); this desk's staff (desk.save) and toasts filtered to them. Every refusal is coded, with its field, and
 * writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { call, issueKeys } from './support/booking-salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;

beforeAll(async () => {
  running = await startMemoryHost('salon-setup');
  host = running.host;
  db = host.runtime.db;
}, 60_000);

afterAll(async () => {
  await running.stop();
});

const HOURS = {
  mon: [{ start: '09:00', end: '18:00' }],
  tue: [{ start: '09:00', end: '18:00' }],
  wed: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }],
  thu: [{ start: '09:00', end: '18:00' }],
  fri: [{ start: '09:00', end: '18:00' }],
  sat: [{ start: '10:00', end: '15:00' }],
  sun: [],
};

const SALON = {
  name: '  Studio Nord ',
  address: { line1: 'Hauptstraße 5', city: 'Hamburg', postalCode: '20095' },
  phone: '040 1234567',
  countryCode: 'de',
  timeZone: 'Europe/Berlin',
  currency: 'eur',
  clientLanguages: ['en', 'ru'],
  openingHours: HOURS,
};

async function counts(): Promise<string> {
  const names = ['locations', 'notification_settings', 'staff', 'services'] as const;
  return (await Promise.all(names.map((n) => db[n].count().exec()))).join(',');
}

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const result = await call(host, channel, payload);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function refused(channel: string, payload: unknown): Promise<string[]> {
  const before = await counts();
  const result = await call(host, channel, payload);
  expect(result.ok).toBe(false);
  expect(await counts()).toBe(before);
  return issueKeys(result);
}

describe('a salon from an empty data folder', () => {
  let locationId = '';
  const serviceIds: string[] = [];

  it('refuses a salon profile it cannot use, every problem at once, and writes nothing', async () => {
    expect(
      await refused('location.create', {
        ...SALON,
        name: ' ',
        countryCode: 'XX',
        timeZone: 'Mars/Olympus',
        currency: 'EUX',
        reviewUrl: 'review page',
        openingHours: { ...HOURS, mon: [{ start: '18:00', end: '09:00' }], tue: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] },
      }),
    ).toEqual([
      'location.name.required@name',
      'location.country.unsupported@countryCode',
      'location.timeZone.unknown@timeZone',
      'location.currency.unknown@currency',
      'staff.hours.endBeforeStart@openingHours.mon.0',
      'staff.hours.overlap@openingHours.tue',
      'location.link.invalid@reviewUrl',
    ]);
    expect(await refused('location.create', { ...SALON, phone: '040 1' })).toEqual(['client.phone.length@phone']);
    expect(await refused('location.create', { ...SALON, clientLanguages: [] })).toEqual(['request.tooFew@clientLanguages']);
  });

  it('creates the location safe to try: sandbox on, quiet hours, every notification type with its templates', async () => {
    const { location } = await ok<{ location: { id: string } }>('location.create', SALON);
    locationId = location.id;
    const stored = (await db.locations.findOne(locationId).exec())!.toMutableJSON();
    expect(stored).toMatchObject({
      name: 'Studio Nord',
      phone: '+49401234567',
      countryCode: 'DE',
      currency: 'EUR',
      timeZone: 'Europe/Berlin',
      locale: 'en-DE',
      clientLanguages: ['en', 'ru'],
      address: { line1: 'Hauptstraße 5', city: 'Hamburg', postalCode: '20095', country: 'DE' },
      sandboxMode: true,
      quietHours: { enabled: true, start: '21:00', end: '09:00' },
    });
    expect(stored.openingHours?.wed).toHaveLength(2);
    const settings = await db.notification_settings.find({ selector: { locationId } }).exec();
    expect(settings.map((s) => s.type)).toContain('bookingConfirmation');
    expect(settings.find((s) => s.type === 'bookingConfirmation')?.templates.email?.en?.body).toBeTruthy();
    expect((await ok<{ locations: { id: string }[] }>('location.list', {})).locations.map((l) => l.id)).toEqual([locationId]);
  });

  it('edits the profile: links, languages and phone checked against the stored country', async () => {
    expect(await refused('location.save', { locationId, phone: '12', bookingUrl: 'ftp://x' })).toEqual(['client.phone.length@phone', 'location.link.invalid@bookingUrl']);
    // The salon's name goes into every client message ("Studio Nord: see you at 15:00"): one line only.
    expect(await refused('location.save', { locationId, name: 'Studio\nNord' })).toEqual(['location.name.controlCharacter@name']);
    await ok('location.save', { locationId, reviewUrl: 'https://g.page/r/studio-nord', bookingUrl: 'https://studio-nord.example/book', clientLanguages: ['ru'] });
    let stored = (await db.locations.findOne(locationId).exec())!.toMutableJSON();
    expect(stored).toMatchObject({ reviewUrl: 'https://g.page/r/studio-nord', bookingUrl: 'https://studio-nord.example/book', clientLanguages: ['ru'], locale: 'ru-DE' });
    await ok('location.save', { locationId, reviewUrl: '', countryCode: 'AT' });
    stored = (await db.locations.findOne(locationId).exec())!.toMutableJSON();
    expect(stored.reviewUrl).toBeUndefined();
    expect(stored).toMatchObject({ countryCode: 'AT', address: { country: 'AT' }, name: 'Studio Nord' });
    await ok('location.save', { locationId, countryCode: 'DE', clientLanguages: ['en', 'ru'] });
  });

  it('takes three services and two specialists with their hours (the people commands)', async () => {
    for (const [name, category, minutes, price] of [['Haircut', 'hair', 45, 4500], ['Manicure', 'nails', 60, 3500], ['Brow shaping', 'brows', 30, 2000]] as const) {
      const saved = await ok<{ serviceId: string; created: boolean }>('services.save', { locationId, name, category, durationMinutes: minutes, priceMinor: price, repeatIntervalDays: 42, excludeFromReviewRequests: false });
      expect(saved.created).toBe(true);
      serviceIds.push(saved.serviceId);
    }
    await ok('staff.save', { locationId, name: 'Anna Berg', role: 'specialist', serviceIds: serviceIds.slice(0, 2), workingHours: HOURS, desktopToasts: true, phone: '0151 23456789' });
    await ok('staff.save', { locationId, name: 'Boris Lang', role: 'specialist', serviceIds: [serviceIds[2]], workingHours: { ...HOURS, mon: [] }, desktopToasts: false });
    expect(await db.staff.count({ selector: { locationId } }).exec()).toBe(2);
  });

  it('books the first visit and the confirmation is planned', async () => {
    const staff = await db.staff.findOne({ selector: { name: 'Anna Berg' } }).exec();
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const booked = await ok<{ appointmentId: string }>('appointments.create', {
      locationId,
      client: { kind: 'new', firstName: 'Clara', lastName: 'Wolf', phone: '0170 7654321', email: 'clara@example.com' },
      staffId: staff!.id,
      serviceIds: [serviceIds[0]],
      start: { date: tomorrow, time: '10:00' },
    });
    await host.runtime.engine.idle();
    const jobs = await db.jobs.find({ selector: { subjectId: booked.appointmentId } }).exec();
    expect(jobs.map((j) => j.type)).toContain('bookingConfirmation');
  });

  it('fills the templates’ links from the salon settings', async () => {
    await ok('location.save', { locationId, reviewUrl: 'https://g.page/r/studio-nord' });
    const preview = await ok<{ body: string; missing: string[] }>('templates.preview', {
      locationId, type: 'reviewRequest', channel: 'email', language: 'en', template: { subject: 'Thanks', body: 'Review: {{reviewLink}} — book again: {{bookingLink}}' },
    });
    expect(preview.missing).toEqual([]);
    expect(preview.body).toMatch(/^Review: https:\/\/g\.page\/r\/studio-nord\?visit=\S+ — book again: https:\/\/studio-nord\.example\/book$/);
  });

  it('keeps the demo a choice for an empty folder only', async () => {
    expect(await refused('demo.load', {})).toEqual(['demo.notEmpty@']);
  });

  it('remembers who works at this desk, and refuses staff that do not exist', async () => {
    expect(await refused('desk.save', { deskName: 'Reception', staffIds: ['stf-ghost'] })).toEqual(['desk.staff.unknown@staffIds[0]']);
    const anna = (await db.staff.findOne({ selector: { name: 'Anna Berg' } }).exec())!;
    const saved = await ok<{ deskName: string; staffIds: string[] }>('desk.save', { deskName: 'Reception', staffIds: [anna.id] });
    expect(saved).toMatchObject({ deskName: 'Reception', staffIds: [anna.id] });
    expect(await ok('desk.settings', {})).toMatchObject({ deskName: 'Reception', staffIds: [anna.id] });
    expect(host.runtime.sync.config.deskStaffIds).toEqual([anna.id]);
  });
});
