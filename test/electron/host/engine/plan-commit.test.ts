/**
 * A whole-book plan writes its batches of jobs into one transaction held open across several pages
 * (book-planner.ts, PLANNING_COMMIT_JOBS). A write from elsewhere — the desk saving a booking during a first plan of an
 * imported book — waits for that transaction; the plan commits at its next batch once someone waits, so the write
 * waits about one batch, not for the rest of the plan.
 * The start-up plan makes way for the window while its requests keep coming, and commits what it holds before it
 * does: a write of the window made meanwhile waits for nothing.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../../../electron/host/engine/notification-engine.ts';
import { MAKE_WAY_MAX_MS, noteWindowRequest } from '../../../../electron/host/engine/time-slice.ts';
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { defaultNotificationSettings } from '../../../../shared/demo/default-settings.ts';
import { defaultTemplates } from '../../../../shared/notifications/templates/defaults.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { client, DAY, HOUR, location, LOCATION_ID, ManualTime, MINUTE, T0 } from './support/harness.ts';

const tmp = tempDir('plan-commit');
afterAll(() => tmp.dispose());

/** Two reminders each: a plan of several 1,000-job batches, fewer jobs than one commit holds. */
const APPOINTMENTS = 1600;

/** A book of APPOINTMENTS upcoming visits and no jobs yet, and a count of the plan's job writes (with when each began). */
async function bookToPlan(name: string): Promise<{ db: FrontDeskDatabase; engine: NotificationEngine; planningWrites: number[]; onPlanningWrite: (listener: () => void) => void }> {
  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: tmp.dir }), name, multiInstance: false });
  const time = new ManualTime(T0);
  const engine = new NotificationEngine({ db, clock: time, timers: time, provider: () => { throw new Error('nothing is due in this test'); }, dispatch: false });
  const stamp = new Date(T0 - 2 * DAY).toISOString();
  const hours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  await db.locations.insert(location());
  await db.staff.insert({ id: 's1', locationId: LOCATION_ID, name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc1'], workingHours: hours, desktopToasts: true, active: true, createdAt: stamp });
  await db.services.insert({ id: 'svc1', locationId: LOCATION_ID, name: 'Haircut', category: 'hair', durationMinutes: 60, priceMinor: 5500, repeatIntervalDays: 42, excludeFromReviewRequests: false, active: true, createdAt: stamp });
  await db.clients.bulkInsert(Array.from({ length: 20 }, (_, i) => client({ id: `c${i}`, email: `c${i}@example.com` })));
  await db.notification_settings.bulkInsert(defaultNotificationSettings(LOCATION_ID, (type) => defaultTemplates(type), stamp));
  await db.appointments.bulkInsert(
    Array.from({ length: APPOINTMENTS }, (_, i): Appointment => {
      const startMs = T0 + 3 * DAY + (i % 400) * 15 * MINUTE;
      return {
        id: `a${i}`, locationId: LOCATION_ID, clientId: `c${i % 20}`, staffId: 's1', serviceIds: ['svc1'], start: new Date(startMs).toISOString(),
        end: new Date(startMs + HOUR).toISOString(), startMs, status: 'booked', source: 'desk', history: [{ at: stamp, by: 'desk', kind: 'created' }],
        reviewLeft: false, createdAt: stamp, updatedAt: stamp,
      };
    }),
  );
  const planningWrites: number[] = [];
  const listeners: (() => void)[] = [];
  const instance = db.jobs.storageInstance;
  const bulkWrite = instance.bulkWrite.bind(instance);
  instance.bulkWrite = async (rows, context) => {
    const began = performance.now();
    const result = await bulkWrite(rows, context);
    if (context === REDERIVABLE_WRITE_CONTEXT) {
      planningWrites.push(began);
      for (const listener of listeners) listener();
    }
    return result;
  };
  return { db, engine, planningWrites, onPlanningWrite: (listener) => listeners.push(listener) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a whole-book plan and a write from elsewhere', () => {
  it('commits at its next batch when a write waits for it, and that write goes through before the plan ends', { timeout: 60_000 }, async () => {
    const { db, engine, planningWrites, onPlanningWrite } = await bookToPlan('plan-commit');
    try {
      // The desk's write is set off from outside the plan, right after the plan's first batch is written.
      let writesBeforeDesk: number | undefined;
      let release!: () => void;
      const firstBatchWritten = new Promise<void>((resolve) => (release = resolve));
      onPlanningWrite(() => release());
      const deskWrite = firstBatchWritten.then(() => db.clients.insert(client({ id: 'walk-in', email: 'walk-in@example.com' }))).then(() => (writesBeforeDesk = planningWrites.length));
      await engine.start();
      await engine.idle();
      await deskWrite;
      expect(await db.jobs.count().exec()).toBeGreaterThan(3000);
      expect(planningWrites.length).toBeGreaterThanOrEqual(4);
      // Waited for the batch under way when it came, at most: not for the rest of the plan.
      expect(writesBeforeDesk).toBeLessThanOrEqual(2);
    } finally {
      await engine.stop();
      await db.remove();
    }
  });
});

describe("the start-up plan and the window's requests", () => {
  it('makes way while they keep coming, commits before it does so a desk write waits for no batch, and ends once they stop', { timeout: 60_000 }, async () => {
    const { db, engine, planningWrites } = await bookToPlan('plan-make-way');
    // On a fake clock (timers, immediates and performance.now): the window asks every 5 ms however loaded the machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'performance'] });
    const step = async () => {
      noteWindowRequest();
      await vi.advanceTimersByTimeAsync(5);
    };
    let idle = false;
    try {
      await engine.start();
      void engine.idle().then(() => (idle = true));
      while (planningWrites.length < 2) await step();
      // The plan is making way now (each batch begins on a turn that makes way); its first batches are committed.
      await step();
      const before = planningWrites.length;
      let deskDone = false;
      void db.clients.insert(client({ id: 'walk-in', email: 'walk-in@example.com' })).then(() => (deskDone = true));
      for (let i = 0; i < 3 && !deskDone; i++) await step();
      expect(deskDone).toBe(true);
      expect(planningWrites.length).toBe(before);
      // As long as the window asks, a batch at most every MAKE_WAY_MAX_MS; and the plan still ends, for it makes way
      // that long at a time only.
      while (!idle) await step();
      const gaps = planningWrites.slice(1).map((at, i) => at - planningWrites[i]!);
      expect(planningWrites.length).toBeGreaterThan(before);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MAKE_WAY_MAX_MS - 5);
      expect(await db.jobs.count().exec()).toBeGreaterThan(3000);
    } finally {
      // The plan's timers were set on the fake clock: run it out there (the window quiet) before the real one is back.
      for (let i = 0; i < 10_000 && !idle; i++) await vi.advanceTimersByTimeAsync(5);
      vi.useRealTimers();
      await engine.stop();
      await db.remove();
    }
  });
});
