/** The calendar's minutes-into-the-day: arithmetic on ordinary days must equal the zone conversion, DST days included. */
import { describe, expect, it } from 'vitest';
import { utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { minutesInto, visitsExtent } from '../../renderer/src/screens/calendar/calendar-model.ts';

function slow(date: string, ms: number, zone: string): number {
  const wall = utcToWallClock(ms, zone);
  if (wall.date === date) return wall.minutes;
  return wall.date < date ? 0 : 24 * 60;
}

describe('minutesInto', () => {
  for (const [zone, dates] of [
    ['Europe/Berlin', ['2026-03-29', '2026-10-25', '2026-12-02']],
    ['America/New_York', ['2026-03-08', '2026-11-01', '2026-07-14']],
    ['Asia/Kolkata', ['2026-05-05']],
    ['Australia/Lord_Howe', ['2026-04-05', '2026-10-04']],
  ] as const) {
    it(`matches the zone conversion every 7 minutes across ${zone}'s days, clock changes included`, () => {
      for (const date of dates) {
        const noon = Date.parse(`${date}T12:00:00Z`);
        for (let ms = noon - 40 * 3_600_000; ms <= noon + 40 * 3_600_000; ms += 7 * 60_000 + 13_000) {
          expect(minutesInto(date, ms, zone), `${zone} ${date} ${new Date(ms).toISOString()}`).toBe(slow(date, ms, zone));
        }
      }
    });
  }
});

describe('visitsExtent', () => {
  it('spans the same minutes as every visit placed on its own, clock changes and visits past midnight included', () => {
    for (const [zone, date] of [['Europe/Berlin', '2026-03-29'], ['Europe/Berlin', '2026-12-02'], ['America/New_York', '2026-11-01']] as const) {
      const noon = Date.parse(`${date}T12:00:00Z`);
      const visits = Array.from({ length: 40 }, (_, i) => {
        const startMs = noon + ((i * 7919) % 97) * 17 * 60_000 - 14 * 3_600_000;
        return { startMs, end: new Date(startMs + (15 + (i % 9) * 15) * 60_000).toISOString() };
      });
      const each = visits.map((v) => ({ startMin: minutesInto(date, v.startMs, zone), endMin: minutesInto(date, Date.parse(v.end), zone) }));
      expect(visitsExtent(date, visits, zone), `${zone} ${date}`).toEqual([{ startMin: Math.min(...each.map((b) => b.startMin)), endMin: Math.max(...each.map((b) => b.endMin)) }]);
    }
    expect(visitsExtent('2026-12-02', [], 'Europe/Berlin')).toEqual([]);
  });
});
