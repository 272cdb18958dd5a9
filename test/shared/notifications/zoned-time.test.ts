import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  addDays,
  addWallClockDays,
  atLocalTime,
  daysBeforeAt,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalTime,
  formatWeekday,
  formattingLocale,
  isValidTimeZone,
  localDateOf,
  minutesBefore,
  nextAnnualDate,
  parseTimeOfDay,
  zoneOffsetMs,
  zonedParts,
  zonedToUtc,
} from '../../../shared/notifications/zoned-time.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const iso = (t: number): string => new Date(t).toISOString();
const wall = (t: number, zone: string): string => {
  const p = zonedParts(t, zone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
};

describe('zonedParts', () => {
  it('reads the wall clock in the zone, including the weekday', () => {
    const t = Date.UTC(2026, 10, 24, 13, 30);
    expect(zonedParts(t, BERLIN)).toEqual({ year: 2026, month: 11, day: 24, hour: 14, minute: 30, second: 0, weekday: 2 });
    expect(zonedParts(t, 'Asia/Tokyo')).toMatchObject({ day: 24, hour: 22 });
    expect(zonedParts(Date.UTC(2026, 10, 24, 16), 'Asia/Tokyo')).toMatchObject({ day: 25, hour: 1, weekday: 3 });
    expect(zonedParts(Date.UTC(2026, 0, 1, 0), NEW_YORK)).toMatchObject({ year: 2025, month: 12, day: 31, hour: 19 });
  });

  it('reports midnight as hour 0', () => {
    expect(zonedParts(Date.UTC(2026, 5, 1, 22), BERLIN)).toMatchObject({ day: 2, hour: 0, minute: 0 });
  });

  it('knows the offsets on both sides of DST', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15), BERLIN)).toBe(HOUR_MS);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), BERLIN)).toBe(2 * HOUR_MS);
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15), NEW_YORK)).toBe(-5 * HOUR_MS);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), NEW_YORK)).toBe(-4 * HOUR_MS);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), 'Asia/Kolkata')).toBe(5.5 * HOUR_MS);
  });
});

describe('zonedToUtc on DST nights', () => {
  it('Europe/Berlin 2026-03-29: 02:00–03:00 does not exist; times in the gap move forward by the gap', () => {
    expect(iso(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 59 }, BERLIN))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 }, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
    const inGap = zonedToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, BERLIN);
    expect(iso(inGap)).toBe('2026-03-29T01:30:00.000Z');
    expect(wall(inGap, BERLIN)).toBe('2026-03-29 03:30');
    expect(iso(zonedToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 0 }, BERLIN))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('Europe/Berlin 2026-10-25: 02:00–03:00 happens twice; the earlier instant (CEST) is chosen', () => {
    const t = zonedToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, BERLIN);
    expect(iso(t)).toBe('2026-10-25T00:30:00.000Z');
    // The later reading of the same wall time exists too, one hour after.
    expect(wall(t + HOUR_MS, BERLIN)).toBe('2026-10-25 02:30');
    expect(iso(zonedToUtc({ year: 2026, month: 10, day: 25, hour: 3, minute: 0 }, BERLIN))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('America/New_York 2026-03-08: 02:30 does not exist and becomes 03:30 EDT', () => {
    const t = zonedToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NEW_YORK);
    expect(iso(t)).toBe('2026-03-08T07:30:00.000Z');
    expect(wall(t, NEW_YORK)).toBe('2026-03-08 03:30');
  });

  it('America/New_York 2026-11-01: 01:30 happens twice; the earlier (EDT) is chosen', () => {
    const t = zonedToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NEW_YORK);
    expect(iso(t)).toBe('2026-11-01T05:30:00.000Z');
    expect(wall(t + HOUR_MS, NEW_YORK)).toBe('2026-11-01 01:30');
  });

  const zones = [BERLIN, NEW_YORK, 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Moscow', 'America/Sao_Paulo', 'UTC'];

  it('property: instant → wall clock → instant gives back the instant, or its earlier twin in an overlap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2060, 0, 1) / 60_000 }),
        (zone, minutes) => {
          const t = minutes * 60_000;
          const back = zonedToUtc(zonedParts(t, zone), zone);
          expect(wall(back, zone)).toBe(wall(t, zone));
          expect(back).toBeLessThanOrEqual(t);
          expect(t - back).toBeLessThanOrEqual(HOUR_MS);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: wall clock → instant shows the same wall time, unless it fell in a gap (then later by ≤ the gap)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.record({
          year: fc.integer({ min: 1990, max: 2060 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
        }),
        (zone, w) => {
          const t = zonedToUtc(w, zone);
          const p = zonedParts(t, zone);
          const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
          const asked = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
          const gap = zoneOffsetMs(t, zone) - zoneOffsetMs(t - 24 * HOUR_MS, zone);
          if (shown !== asked) {
            expect(gap).toBeGreaterThan(0);
            expect(shown - asked).toBe(gap);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('elapsed vs wall-clock offsets (§4.4)', () => {
  it('"2 h before" across the spring-forward night is 2 elapsed hours (3 on the wall clock)', () => {
    const start = zonedToUtc({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }, BERLIN);
    const reminder = minutesBefore(start, 120);
    expect(start - reminder).toBe(2 * HOUR_MS);
    expect(wall(reminder, BERLIN)).toBe('2026-03-29 00:30');
  });

  it('"2 h before" across the fall-back night is 2 elapsed hours (1 on the wall clock)', () => {
    const start = zonedToUtc({ year: 2026, month: 11, day: 1, hour: 2, minute: 30 }, NEW_YORK);
    const reminder = minutesBefore(start, 120);
    expect(start - reminder).toBe(2 * HOUR_MS);
    expect(wall(reminder, NEW_YORK)).toBe('2026-11-01 01:30');
    expect(iso(reminder)).toBe('2026-11-01T05:30:00.000Z');
  });

  it('"7 days before at 10:00" is 10:00 local on the right day across DST, in both directions', () => {
    const cases: [string, { year: number; month: number; day: number }, string, string][] = [
      [BERLIN, { year: 2026, month: 4, day: 2 }, '2026-03-26 10:00', '2026-03-26T09:00:00.000Z'],
      [BERLIN, { year: 2026, month: 10, day: 30 }, '2026-10-23 10:00', '2026-10-23T08:00:00.000Z'],
      [NEW_YORK, { year: 2026, month: 3, day: 10 }, '2026-03-03 10:00', '2026-03-03T15:00:00.000Z'],
      [NEW_YORK, { year: 2026, month: 11, day: 5 }, '2026-10-29 10:00', '2026-10-29T14:00:00.000Z'],
    ];
    for (const [zone, date, local, utc] of cases) {
      const t = daysBeforeAt(date, 7, '10:00', zone);
      expect(wall(t, zone)).toBe(local);
      expect(iso(t)).toBe(utc);
    }
    // Across the change, 7 calendar days are not 7 × 24 h.
    const berlinBirthday = atLocalTime({ year: 2026, month: 4, day: 2 }, '10:00', BERLIN);
    expect(berlinBirthday - daysBeforeAt({ year: 2026, month: 4, day: 2 }, 7, '10:00', BERLIN)).toBe(7 * 24 * HOUR_MS - HOUR_MS);
  });

  it('addWallClockDays keeps the local time of day across DST', () => {
    const t = zonedToUtc({ year: 2026, month: 3, day: 27, hour: 18, minute: 0 }, BERLIN);
    const later = addWallClockDays(t, 3, BERLIN);
    expect(wall(later, BERLIN)).toBe('2026-03-30 18:00');
    expect(later - t).toBe(71 * HOUR_MS);
    expect(wall(addWallClockDays(later, -3, BERLIN), BERLIN)).toBe('2026-03-27 18:00');
  });

  it('calendar arithmetic crosses months, years and leap days', () => {
    expect(addDays({ year: 2026, month: 3, day: 3 }, -7)).toEqual({ year: 2026, month: 2, day: 24 });
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2026, month: 12, day: 30 }, 3)).toEqual({ year: 2027, month: 1, day: 2 });
    expect(localDateOf(Date.UTC(2026, 10, 24, 23, 30), BERLIN)).toEqual({ year: 2026, month: 11, day: 25 });
  });
});

describe('nextAnnualDate', () => {
  it('finds this year or next, and moves 29 February to the 28th in common years', () => {
    expect(nextAnnualDate(4, 2, { year: 2026, month: 3, day: 26 })).toEqual({ year: 2026, month: 4, day: 2 });
    expect(nextAnnualDate(4, 2, { year: 2026, month: 4, day: 2 })).toEqual({ year: 2026, month: 4, day: 2 });
    expect(nextAnnualDate(4, 2, { year: 2026, month: 4, day: 3 })).toEqual({ year: 2027, month: 4, day: 2 });
    expect(nextAnnualDate(2, 29, { year: 2026, month: 1, day: 1 })).toEqual({ year: 2026, month: 2, day: 28 });
    expect(nextAnnualDate(2, 29, { year: 2027, month: 3, day: 1 })).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe('parsing and validity', () => {
  it('accepts HH:MM only', () => {
    expect(parseTimeOfDay('09:05')).toEqual({ hour: 9, minute: 5 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    for (const bad of ['9:00', '24:00', '12:60', '', '12:00:00', 'noon']) expect(() => parseTimeOfDay(bad)).toThrow(RangeError);
  });

  it('recognises IANA zones', () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('formatting for templates', () => {
  const t = Date.UTC(2026, 10, 24, 13, 30);
  it('formats per locale in the zone', () => {
    expect(formatLocalDate(t, { locale: 'en-GB', timeZone: BERLIN })).toBe('Tue, 24 Nov 2026');
    expect(formatLocalTime(t, { locale: 'en-GB', timeZone: BERLIN })).toBe('14:30');
    expect(formatLocalDate(t, { locale: 'en-US', timeZone: NEW_YORK })).toBe('Tue, Nov 24, 2026');
    expect(formatLocalTime(t, { locale: 'en-US', timeZone: NEW_YORK })).toBe('8:30 AM');
    expect(formatLocalDate(t, { locale: 'ru-RU', timeZone: 'Europe/Moscow' })).toBe('вт, 24 нояб. 2026 г.');
    expect(formatLocalTime(t, { locale: 'ru-RU', timeZone: 'Europe/Moscow' })).toBe('16:30');
    expect(formatWeekday(t, { locale: 'ru', timeZone: BERLIN })).toBe('вторник');
    expect(formatLocalDateTime(t, { locale: 'en-GB', timeZone: BERLIN })).toBe('Tue, 24 Nov 2026, 14:30');
  });

  it('the date is the one in the zone, not in UTC', () => {
    expect(formatLocalDate(Date.UTC(2026, 10, 24, 23, 30), { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('Wed, 25 Nov 2026');
  });

  it('combines the message language with the location region', () => {
    expect(formattingLocale('en', 'en-US')).toBe('en-US');
    expect(formattingLocale('en', 'de-DE')).toBe('en-DE');
    expect(formattingLocale('ru', 'ru-RU')).toBe('ru-RU');
    expect(formattingLocale('en', undefined)).toBe('en');
    // No CLDR data for English in Russia: bare English with the salon's 24-hour clock.
    const enRu = formattingLocale('en', 'ru-RU');
    expect(formatLocalTime(t, { locale: enRu, timeZone: 'UTC' })).toBe('13:30');
    expect(formattingLocale('en', 'not a locale!')).toBe('en');
  });
});
