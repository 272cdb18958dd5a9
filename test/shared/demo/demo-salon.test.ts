import { describe, expect, it } from 'vitest';
import { generateDemoSalon } from '../../../shared/demo/demo-salon.ts';
import { createRandom } from '../../../shared/demo/prng.ts';
import { CLIENT_NOTIFICATION_TYPES, isScenarioAllowed, TEAM_EVENT_TYPES } from '../../../shared/notifications/catalog.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import { isActiveStatus } from '../../../shared/domain/appointment.ts';
import { isValidEmail } from '../../../shared/domain/email.ts';
import { isE164 } from '../../../shared/domain/phone.ts';
import { hhmmToMinutes, utcToWallClock } from '../../../shared/domain/zoned-time.ts';

const NOW = Date.parse('2025-03-26T10:17:00.000Z'); // a Wednesday; Berlin switches to summer time on the 30th
const salon = generateDemoSalon({ now: NOW, seed: 42 });

describe('demo salon generator', () => {
  it('is deterministic for the same seed and now, and differs for another seed', () => {
    expect(generateDemoSalon({ now: NOW, seed: 42 })).toEqual(salon);
    const other = generateDemoSalon({ now: NOW, seed: 43 });
    expect(other.clients.map((c) => c.phone)).not.toEqual(salon.clients.map((c) => c.phone));
    expect(createRandom('x').next()).toBe(createRandom('x').next());
  });

  it('has the promised size', () => {
    expect(salon.location.timeZone).toBe('Europe/Berlin');
    expect(salon.location.sandboxMode).toBe(true);
    expect(salon.staff.filter((s) => s.serviceIds.length > 0)).toHaveLength(6);
    expect(salon.services.length).toBeGreaterThanOrEqual(20);
    expect(salon.clients).toHaveLength(300);
    expect(salon.appointments.length).toBeGreaterThan(250);
    expect(salon.notificationSettings).toHaveLength(CLIENT_NOTIFICATION_TYPES.length + TEAM_EVENT_TYPES.length);
    expect(new Set(salon.appointments.map((a) => a.id)).size).toBe(salon.appointments.length);
  });

  it('spreads appointments over two weeks around now, with statuses that fit the time', () => {
    const min = Math.min(...salon.appointments.map((a) => a.startMs));
    const max = Math.max(...salon.appointments.map((a) => a.startMs));
    expect(min).toBeGreaterThan(NOW - 8 * 86_400_000);
    expect(max).toBeLessThan(NOW + 8 * 86_400_000);
    for (const a of salon.appointments) {
      const endMs = Date.parse(a.end);
      expect(a.startMs).toBe(Date.parse(a.start));
      if (endMs <= NOW) expect(['completed', 'noShow', 'cancelled']).toContain(a.status);
      else if (a.startMs > NOW) expect(['booked', 'confirmed', 'cancelled']).toContain(a.status);
      else expect(a.status).toBe('arrived');
      for (const h of a.history) expect(Date.parse(h.at)).toBeLessThanOrEqual(NOW);
      expect(Date.parse(a.createdAt)).toBeLessThanOrEqual(NOW);
    }
    const statuses = new Set(salon.appointments.map((a) => a.status));
    for (const s of ['completed', 'noShow', 'cancelled', 'booked', 'confirmed']) expect(statuses).toContain(s);
  });

  it('never double-books a specialist or a client', () => {
    for (const key of ['staffId', 'clientId'] as const) {
      const byOwner = new Map<string, [number, number][]>();
      for (const a of salon.appointments) {
        const list = byOwner.get(a[key]) ?? [];
        list.push([a.startMs, Date.parse(a.end)]);
        byOwner.set(a[key], list);
      }
      for (const list of byOwner.values()) {
        list.sort((x, y) => x[0] - y[0]);
        for (let i = 1; i < list.length; i++) expect(list[i]![0]).toBeGreaterThanOrEqual(list[i - 1]![1]);
      }
    }
  });

  it('books inside working hours in the salon zone, with services the specialist performs', () => {
    const staff = new Map(salon.staff.map((s) => [s.id, s]));
    const services = new Map(salon.services.map((s) => [s.id, s]));
    for (const a of salon.appointments) {
      const member = staff.get(a.staffId)!;
      const start = utcToWallClock(a.startMs, 'Europe/Berlin');
      const end = utcToWallClock(Date.parse(a.end), 'Europe/Berlin');
      expect(end.date).toBe(start.date);
      const inRange = member.workingHours[start.weekday].some(
        (r) => hhmmToMinutes(r.start) <= start.minutes && end.minutes <= hhmmToMinutes(r.end),
      );
      expect(inRange, `${a.id} ${start.date} ${start.time}-${end.time} ${member.name}`).toBe(true);
      for (const id of a.serviceIds) expect(member.serviceIds).toContain(id);
      const minutes = a.serviceIds.reduce((s, id) => s + services.get(id)!.durationMinutes, 0);
      expect(Date.parse(a.end) - a.startMs).toBe(minutes * 60_000);
    }
  });

  it('gives clients valid, unique contacts and a language mix', () => {
    const phones = salon.clients.map((c) => c.phone!);
    expect(phones.every(isE164)).toBe(true);
    expect(phones.every((p) => p.startsWith('+49'))).toBe(true);
    expect(new Set(phones).size).toBe(phones.length);
    const emails = salon.clients.flatMap((c) => (c.email === undefined ? [] : [c.email]));
    expect(emails.every(isValidEmail)).toBe(true);
    expect(new Set(emails).size).toBe(emails.length);
    const ru = salon.clients.filter((c) => c.language === 'ru').length;
    expect(ru).toBeGreaterThan(50);
    expect(ru).toBeLessThan(250);
    expect(salon.clients.some((c) => c.apps.aggregator)).toBe(true);
    expect(salon.clients.some((c) => (c.apps.brandedPushTokens ?? []).length > 0)).toBe(true);
    expect(salon.clients.some((c) => c.email === undefined)).toBe(true);
  });

  it('has default settings with the documented timing and cascade, templates for every used channel', () => {
    const byType = new Map(salon.notificationSettings.map((s) => [s.type, s]));
    expect(byType.get('reminder')!.timing.reminderOffsetsMinutes).toEqual([1440, 120]);
    expect(byType.get('winBack')!.timing.delayMinutes).toBe(3 * 24 * 60);
    expect(byType.get('reviewRequest')!.timing.delayMinutes).toBe(120);
    expect(byType.get('birthdayGreeting')!.timing).toEqual({ daysBefore: 7, localTime: '10:00' });
    expect(byType.get('reminder')!.channels).toMatchObject({
      email: { scenario: 'always' },
      aggregatorPush: { scenario: 'always' },
      brandedPush: { scenario: 'ifPreviousFailed' },
      sms: { scenario: 'ifPreviousFailed' },
    });
    expect(byType.get('cancellation')!.channels.desktop!.scenario).toBe('always');
    for (const s of salon.notificationSettings) {
      expect(s.enabled).toBe(true);
      for (const [channel, setting] of Object.entries(s.channels)) {
        expect(isScenarioAllowed(channel as Channel, setting.scenario)).toBe(true);
        if (setting.scenario !== 'off') {
          expect(s.templates[channel as Channel]?.en?.body, `${s.type}.${channel}.en`).toBeTruthy();
          expect(s.templates[channel as Channel]?.ru?.body, `${s.type}.${channel}.ru`).toBeTruthy();
        }
      }
    }
  });

  it('takes templates from the caller when given', () => {
    const custom = generateDemoSalon({
      now: NOW,
      seed: 42,
      clientCount: 10,
      templates: () => ({ email: { en: { subject: 'S', body: 'custom' } } }),
    });
    const reminder = custom.notificationSettings.find((s) => s.type === 'reminder')!;
    expect(reminder.templates).toEqual({ email: { en: { subject: 'S', body: 'custom' } } });
    expect(custom.clients).toHaveLength(10);
  });

  it('leaves future bookings for some clients and perks that expire soon', () => {
    expect(salon.appointments.some((a) => a.startMs > NOW && isActiveStatus(a.status))).toBe(true);
    const soon = salon.clientPerks.filter((p) => p.expiresOn !== undefined && p.expiresOn >= '2025-03-26' && p.expiresOn <= '2025-04-05');
    expect(soon.length).toBeGreaterThan(0);
  });

  it('refuses a "now" that is not a number', () => {
    expect(() => generateDemoSalon({ now: Number.NaN, seed: 1 })).toThrow('demo salon: "now" must be epoch milliseconds');
  });
});
