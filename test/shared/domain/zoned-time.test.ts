import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDaysToLocalDate,
  hhmmToMinutes,
  isValidTimeZone,
  minutesToHhmm,
  utcToWallClock,
  wallClockToUtc,
} from '../../../shared/domain/zoned-time.ts';

describe('wallClockToUtc / utcToWallClock', () => {
  it('converts ordinary winter and summer times in Berlin', () => {
    expect(new Date(wallClockToUtc('2025-01-15', '10:00', 'Europe/Berlin')).toISOString()).toBe('2025-01-15T09:00:00.000Z');
    expect(new Date(wallClockToUtc('2025-07-15', '10:00', 'Europe/Berlin')).toISOString()).toBe('2025-07-15T08:00:00.000Z');
    expect(utcToWallClock(Date.parse('2025-07-15T08:00:00Z'), 'Europe/Berlin')).toEqual({
      date: '2025-07-15',
      time: '10:00',
      weekday: 'tue',
      minutes: 600,
    });
  });

  it('moves a time inside the spring gap forward and picks the earlier instant in the autumn overlap', () => {
    // 2025-03-30 02:30 does not exist in Berlin; 2025-10-26 02:30 happens twice.
    expect(new Date(wallClockToUtc('2025-03-30', '02:30', 'Europe/Berlin')).toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(new Date(wallClockToUtc('2025-10-26', '02:30', 'Europe/Berlin')).toISOString()).toBe('2025-10-26T00:30:00.000Z');
    expect(new Date(wallClockToUtc('2025-03-09', '02:30', 'America/New_York')).toISOString()).toBe('2025-03-09T07:30:00.000Z');
  });

  it('round-trips every quarter hour of a year in several zones, except spring-gap times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 96 }),
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'),
        (q, tz) => {
          const utc = Date.parse('2025-01-01T00:00:00Z') + q * 15 * 60_000;
          const wall = utcToWallClock(utc, tz);
          const back = wallClockToUtc(wall.date, wall.time, tz);
          // In an overlap the earlier instant is chosen, so `back` may be earlier but maps to the same wall time.
          expect(utcToWallClock(back, tz)).toEqual(wall);
          expect(back).toBeLessThanOrEqual(utc);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects malformed input and unknown zones', () => {
    expect(() => wallClockToUtc('2025-1-1', '10:00', 'UTC')).toThrow('date "2025-1-1" is not YYYY-MM-DD');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('does calendar arithmetic on local dates', () => {
    expect(addDaysToLocalDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToLocalDate('2025-01-01', -1)).toBe('2024-12-31');
    expect(hhmmToMinutes('09:30')).toBe(570);
    expect(minutesToHhmm(570)).toBe('09:30');
  });
});
