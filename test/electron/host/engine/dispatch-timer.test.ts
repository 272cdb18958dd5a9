/**
 * The engine's dispatch timer (dispatch-timer.ts) over a real outbox (EngineStore on RxDB's memory storage) and manual
 * timers: it goes off when the next due job is due, and after a pass that could not send everything it holds back the
 * jobs the lease gates for a pause — by the clock as set now, and never this desk's own toasts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { DispatchTimer } from '../../../../electron/host/engine/dispatch-timer.ts';
import { EngineStore } from '../../../../electron/host/engine/engine-store.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { jobId, type Job } from '../../../../shared/domain/job.ts';
import { desktopOccasion } from '../../../../shared/engine/team-events.ts';
import { HOUR, LOCATION_ID, ManualTime, T0 } from './support/harness.ts';

const NOTHING_LEFT = { blocked: false, deferred: false, superseded: false };
const DESK_A_ONLY_TOASTS = { desk: 'desk-a', onlyDeskToasts: true };

function job(occasion: string, channel: Job['channel'], dueAt: number): Job {
  const parts = { type: 'cancellation' as const, subjectId: 'cancellation|a1|2026-11-23T09:00:00.000Z', occasion, channel };
  const id = jobId(parts);
  const stamp = new Date(T0).toISOString();
  return { id, locationId: LOCATION_ID, ...parts, subjectKind: 'teamEvent', dueAt, state: 'planned', attempts: 0, idempotencyKey: id, createdAt: stamp, updatedAt: stamp };
}

let dbCounter = 0;
let db: FrontDeskDatabase;
let time: ManualTime;
let wakes: number[];
let timer: DispatchTimer;
const settle = () => Promise.resolve();

beforeEach(async () => {
  db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `dispatch-timer${++dbCounter}`, multiInstance: false });
  time = new ManualTime(T0);
  wakes = [];
  timer = new DispatchTimer({ store: new EngineStore(db), clock: time, timers: time, wake: () => wakes.push(time.now()) });
});

afterEach(async () => {
  await db.remove();
});

describe('the dispatch timer', () => {
  it('goes off when the next due job is due, once, and says which jobs it would send late', async () => {
    await db.jobs.bulkInsert([job('s1', 'email', T0 + 90_000), job('s2', 'email', T0 + 60_000)]);
    await timer.arm(undefined);
    expect(timer.wakesAfter(T0 + 30_000)).toBe(true);
    expect(timer.wakesAfter(T0 + 60_000)).toBe(false);
    await time.advance(59_999, settle);
    expect(wakes).toEqual([]);
    await time.advance(1, settle);
    expect(wakes).toEqual([T0 + 60_000]);
    // Gone off: nothing is armed until the next arm.
    expect(timer.wakesAfter(T0 + 90_000)).toBe(true);
    await time.advance(HOUR, settle);
    expect(wakes).toHaveLength(1);
  });

  it('arms nothing for an empty outbox, and nothing goes off once disarmed', async () => {
    await timer.arm(undefined);
    expect(time.pendingTimers).toBe(0);
    await db.jobs.insert(job('s1', 'email', T0 + 1_000));
    await timer.arm(undefined);
    timer.disarm();
    expect(timer.wakesAfter(T0 + 1_000)).toBe(true);
    await time.advance(HOUR, settle);
    expect(wakes).toEqual([]);
  });

  it('after a pass it holds jobs back: 5 s after a refused hand-off, 1 s for a subject on its way or a superseded send', async () => {
    await db.jobs.insert(job('s1', 'email', T0 - 1_000));
    for (const [outcome, pause] of [
      [{ ...NOTHING_LEFT, blocked: true }, 5_000],
      [{ ...NOTHING_LEFT, deferred: true }, 1_000],
      [{ ...NOTHING_LEFT, superseded: true }, 1_000],
      [NOTHING_LEFT, 0],
    ] as const) {
      wakes = [];
      const armedAt = time.now();
      timer.afterPass(outcome);
      await timer.arm(undefined);
      await time.advance(pause, settle);
      expect(wakes, JSON.stringify(outcome)).toEqual([armedAt + pause]);
    }
  });

  it('does not hold back this desk’s own toasts, and lets everything go once the permit changes', async () => {
    await db.jobs.insert(job(desktopOccasion('s1', 'desk-a'), 'desktop', T0 - 1_000));
    timer.afterPass({ ...NOTHING_LEFT, blocked: true });
    await timer.arm(DESK_A_ONLY_TOASTS);
    await time.advance(0, settle);
    expect(wakes).toEqual([T0]);

    timer.afterPass({ ...NOTHING_LEFT, blocked: true });
    await timer.arm(undefined);
    timer.resume();
    await timer.arm(undefined);
    await time.advance(0, settle);
    expect(wakes).toEqual([T0, T0]);
  });

  it('a pause counts by the clock as set now: a clock set back an hour does not make it an hour', async () => {
    await db.jobs.insert(job('s1', 'email', T0 - 2 * HOUR));
    timer.afterPass({ ...NOTHING_LEFT, blocked: true });
    time.jumpWallClock(-HOUR);
    await timer.arm(undefined);
    await time.advance(5_000, settle);
    expect(wakes).toEqual([T0 - HOUR + 5_000]);
  });
});
