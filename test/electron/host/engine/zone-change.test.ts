/**
 * The salon's time zone is changed in settings while jobs are planned (a desk set up with the computer's zone, then
 * corrected): what is planned at a wall-clock time follows the salon's new wall clock (DESIGN §4.4), whatever zone the
 * computer itself is in (vitest runs with TZ as the machine has it; the engine never reads it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineHarness, HOUR, MINUTE, client } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

describe('the location’s time zone changes with jobs planned', () => {
  it('a birthday greeting at 10:00 moves to 10:00 in the new zone, and goes out then, once', async () => {
    const now = Date.parse('2026-11-23T09:00:00.000Z');
    h = await EngineHarness.create({ start: now, clients: [client({ birthday: '1990-12-05' })] });
    expect(await h.job('birthdayGreeting', 'c1')).toMatchObject([{ dueAt: Date.parse('2026-11-28T09:00:00.000Z'), state: 'planned' }]);
    const location = await h.db.locations.findOne('loc1').exec();
    await location!.incrementalPatch({ timeZone: 'Asia/Tokyo' });
    await h.settle();
    const tokyoTen = Date.parse('2026-11-28T01:00:00.000Z');
    expect((await h.job('birthdayGreeting', 'c1')).filter((j) => j.state === 'planned').map((j) => j.dueAt)).toEqual([tokyoTen]);
    await h.advance(tokyoTen - now - MINUTE);
    expect(h.sentOf('email')).toEqual([]);
    await h.advance(2 * MINUTE);
    expect(h.sentOf('email').map((m) => m.jobId)).toEqual([expect.stringContaining('birthdayGreeting')]);
    await h.advance(24 * HOUR);
    expect(h.sentOf('email')).toHaveLength(1);
  });

  it('quiet hours follow the new zone: a reminder due at night there waits for the end of the quiet period', async () => {
    // A visit at 19:00 Berlin (18:00 UTC) on Wednesday: its 24 h reminder, Tuesday 19:00 Berlin, is outside quiet hours;
    // in Tokyo that is Wednesday 03:00, inside them.
    const now = Date.parse('2026-11-23T09:00:00.000Z');
    h = await EngineHarness.create({ start: now });
    const start = Date.parse('2026-11-25T18:00:00.000Z');
    const a = await h.book(start);
    expect((await h.job('reminder', a.id)).map((j) => j.dueAt)).toEqual([start - 24 * HOUR, start - 2 * HOUR]);
    const location = await h.db.locations.findOne('loc1').exec();
    await location!.incrementalPatch({ timeZone: 'Asia/Tokyo' });
    await h.settle();
    const planned = (await h.job('reminder', a.id)).filter((j) => j.state === 'planned').map((j) => new Date(j.dueAt).toISOString());
    // 24 h before: Wednesday 03:00 Tokyo, quiet there: 09:00 Tokyo (00:00 UTC).
    expect(planned[0]).toBe('2026-11-25T00:00:00.000Z');
  });
});
