/**
 * The window's head start (EngineOptions.startPlanDelayMs): the start-up re-plan of the book waits, edits made
 * meanwhile are planned at once, and nothing is sent before the start-up plan has run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, EngineHarness, HOUR, T0 } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

describe('start-up re-plan after the window\'s head start', () => {
  it('plans an edit at once but sends nothing until the start-up plan ran, then sends what is due', async () => {
    h = await EngineHarness.create({ startPlanDelayMs: 2000 });
    const a = await h.book(T0 + 5 * HOUR + 3 * DAY);
    expect((await h.job('reminder', a.id)).map((j) => j.state)).toEqual(['planned', 'planned']);
    expect((await h.job('bookingConfirmation', a.id)).map((j) => j.state)).toEqual(['planned']);
    expect(h.allSent()).toHaveLength(0);

    await h.advance(1999);
    expect(h.allSent()).toHaveLength(0);
    await h.advance(1);
    expect(h.sentOf('email').map((m) => m.jobId)).toEqual([`bookingConfirmation|${a.id}|booked|cascade`]);
  });

  it('plans the book that was there before the start once the head start is over', async () => {
    h = await EngineHarness.create({ startPlanDelayMs: 2000 });
    const a = await h.book(T0 + 2 * DAY);
    // The engine's own edits are planned; now remove its jobs as if the book had come in by sync while it was off.
    await h.db.jobs.find().remove();
    await h.advance(HOUR);
    expect((await h.job('reminder', a.id)).map((j) => j.state)).toEqual(['planned', 'planned']);
  });

  it('stops cleanly during the head start without planning', async () => {
    h = await EngineHarness.create({ startPlanDelayMs: 2000 });
    await h.engine.stop();
    expect(h.time.pendingTimers).toBe(0);
  });
});
