/**
 * A whole-book plan writes its batches of jobs into one transaction held open across several pages
 * (book-planner.ts, PLANNING_COMMIT_JOBS). A write from elsewhere — the desk saving a booking during a first plan of an
 * imported book — waits for that transaction; the plan commits at its next batch once someone waits, so the write
 * waits about one batch, not for the rest of the plan.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../../../electron/host/engine/notification-engine.ts';
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { defaultNotificationSettings } from '../../../../shared/demo/default-settings.ts';
import { defaultTemplates } from '../../../../shared/notifications/templates/defaults.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { client, DAY, HOUR, location, LOCATION_ID, ManualTime, MINUTE, T0 } from './support/harness.ts';

const tmp = tempDir('plan-commit');
afterAll(() => tmp.dispose());

/** Two reminders each: a plan of several 1,000-job batches, fewer jobs than one commit holds. */
const APPOINTMENTS = 1600;

describe('a whole-book plan and a write from elsewhere', () => {
  it('commits at its next batch when a write waits for it, and that write goes through before the plan ends', { timeout: 60_000 }, async () => {
    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: tmp.dir }), name: 'plan-commit', multiInstance: false });
    const time = new ManualTime(T0);
    const engine = new NotificationEngine({ db, clock: time, timers: time, provider: () => { throw new Error('nothing is due in this test'); }, dispatch: false });
    try {
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
      // The desk's write is set off from outside the plan, right after the plan's first batch is written.
      let planningWrites = 0;
      let writesBeforeDesk: number | undefined;
      let release!: () => void;
      const firstBatchWritten = new Promise<void>((resolve) => (release = resolve));
      const deskWrite = firstBatchWritten.then(() => db.clients.insert(client({ id: 'walk-in', email: 'walk-in@example.com' }))).then(() => (writesBeforeDesk = planningWrites));
      const instance = db.jobs.storageInstance;
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows, context) => {
        const result = await bulkWrite(rows, context);
        if (context === REDERIVABLE_WRITE_CONTEXT && ++planningWrites === 1) release();
        return result;
      };
      await engine.start();
      await engine.idle();
      await deskWrite;
      expect(await db.jobs.count().exec()).toBeGreaterThan(3000);
      expect(planningWrites).toBeGreaterThanOrEqual(4);
      // Waited for the batch under way when it came, at most: not for the rest of the plan.
      expect(writesBeforeDesk).toBeLessThanOrEqual(2);
    } finally {
      await engine.stop();
      await db.remove();
    }
  });
});
