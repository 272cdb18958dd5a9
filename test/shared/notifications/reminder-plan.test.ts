import { describe, expect, it } from 'vitest';
import { formatOffset, planReminders } from '../../../shared/notifications/reminder-plan.ts';
import { HOUR_MS, MINUTE_MS, zonedParts, zonedToUtc } from '../../../shared/notifications/zoned-time.ts';

const start = Date.UTC(2026, 5, 10, 12);

describe('planReminders', () => {
  it('plans each offset as elapsed time before the start', () => {
    const plan = planReminders({ start, bookedAt: start - 3 * 24 * HOUR_MS, offsetsMinutes: [1440, 120] });
    expect(plan).toEqual([
      { offsetMinutes: 1440, at: start - 24 * HOUR_MS, status: 'planned' },
      { offsetMinutes: 120, at: start - 2 * HOUR_MS, status: 'planned' },
    ]);
  });

  it('skips with reason a reminder whose time already passed when the booking was made', () => {
    const plan = planReminders({ start, bookedAt: start - 5 * HOUR_MS, offsetsMinutes: [1440, 120] });
    expect(plan[0]).toEqual({
      offsetMinutes: 1440,
      at: start - 24 * HOUR_MS,
      status: 'skipped',
      reason: 'pastAtBooking',
      message: 'reminder time 24 h before is already past when the booking was made',
    });
    expect(plan[1]).toMatchObject({ status: 'planned' });
  });

  it('skips a reminder due exactly at the booking instant', () => {
    const plan = planReminders({ start, bookedAt: start - 2 * HOUR_MS, offsetsMinutes: [120] });
    expect(plan[0]).toMatchObject({ status: 'skipped', reason: 'pastAtBooking' });
  });

  it('never plans at or after the start, nor twice for a repeated offset, nor for junk', () => {
    const plan = planReminders({ start, bookedAt: start - 48 * HOUR_MS, offsetsMinutes: [0, -30, 60, 60, Number.NaN] });
    expect(plan.map((p) => (p.status === 'skipped' ? p.reason : p.status))).toEqual([
      'notBeforeStart',
      'notBeforeStart',
      'planned',
      'duplicateOffset',
      'invalidOffset',
    ]);
    for (const p of plan) if (p.status === 'planned') expect(p.at).toBeLessThan(start);
  });

  it('"2 h before" across a DST change is 2 elapsed hours', () => {
    const dstStart = zonedToUtc({ year: 2026, month: 3, day: 8, hour: 3, minute: 30 }, 'America/New_York');
    const [p] = planReminders({ start: dstStart, bookedAt: dstStart - 48 * HOUR_MS, offsetsMinutes: [120] });
    expect(p?.status).toBe('planned');
    expect(dstStart - p!.at).toBe(120 * MINUTE_MS);
    expect(zonedParts(p!.at, 'America/New_York')).toMatchObject({ day: 8, hour: 0, minute: 30 });
  });
});

describe('formatOffset', () => {
  it('speaks hours and minutes', () => {
    expect(formatOffset(1440)).toBe('24 h');
    expect(formatOffset(90)).toBe('1 h 30 min');
    expect(formatOffset(45)).toBe('45 min');
    expect(formatOffset(-30)).toBe('-30 min');
  });
});
