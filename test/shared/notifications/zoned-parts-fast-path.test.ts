/** The cached-offset fast path of zonedParts must agree with Intl for every instant, DST nights included. */
import { describe, expect, it } from 'vitest';
import { zonedParts } from '../../../shared/notifications/zoned-time.ts';

function viaIntl(epochMs: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const v: Record<string, number> = {};
  for (const p of f.formatToParts(epochMs)) if (p.type !== 'literal') v[p.type] = Number(p.value);
  return { year: v.year, month: v.month, day: v.day, hour: (v.hour ?? 0) % 24, minute: v.minute, second: v.second };
}

describe('zonedParts fast path', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Asia/Tehran', 'America/Santiago'])(
    'matches Intl across 2025–2027 in %s',
    (timeZone) => {
      const start = Date.UTC(2025, 0, 1);
      const end = Date.UTC(2027, 11, 31);
      // 61 minutes 7 seconds apart: walks across every quarter-hour position and second over the years.
      for (let t = start; t < end; t += 61 * 60_000 + 7_000) {
        const { weekday: _weekday, ...fast } = zonedParts(t, timeZone);
        expect(fast, `${timeZone} at ${new Date(t).toISOString()}`).toEqual(viaIntl(t, timeZone));
      }
    },
  );
});
