/**
 * "Immediately" by a desk whose clock is behind the event's stamp (DESIGN §2): a booking made on a desk whose clock
 * runs an hour ahead, or planned by this desk before its clock was set back, is confirmed at once, not once this desk's
 * clock reaches the stamp (shared/engine/immediate.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { desiredAppointmentJobs } from '../../../../shared/engine/plan.ts';
import { reconcileJobs } from '../../../../shared/engine/reconcile.ts';
import { DAY, EngineHarness, HOUR, LOCATION_ID, T0 } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

const START = T0 + 2 * DAY;
const confirmations = () => h.sentOf('email').filter((m) => m.jobId.startsWith('bookingConfirmation'));

describe('a confirmation stamped ahead of this desk’s clock', () => {
  it('of a booking made on a desk an hour ahead goes out at once', async () => {
    h = await EngineHarness.create();
    const ahead = h.iso(T0 + HOUR);
    const a = await h.book(START, { createdAt: ahead, updatedAt: ahead, history: [{ at: ahead, by: 'desk', kind: 'created' }] });
    expect(confirmations()).toHaveLength(1);
    expect(await h.job('bookingConfirmation', a.id)).toMatchObject([{ state: 'delivered', dueAt: T0 }]);
  });

  it('planned before the desk’s clock was set back 3 h and found at the next start goes out at start', async () => {
    const wrong = T0 + 3 * HOUR;
    const ahead = new Date(wrong).toISOString();
    h = await EngineHarness.create({
      // The desk booked the visit and planned its confirmation at 13:00 by a clock 3 h fast, and was closed before it
      // sent; it starts again at 10:00, its clock put right.
      beforeStart: async (db) => {
        const appointment = {
          id: 'a1', locationId: LOCATION_ID, clientId: 'c1', staffId: 's1', serviceIds: ['svc1'], start: new Date(START).toISOString(), end: new Date(START + HOUR).toISOString(),
          startMs: START, status: 'booked' as const, source: 'desk' as const, history: [{ at: ahead, by: 'desk', kind: 'created' as const }], reviewLeft: false, createdAt: ahead, updatedAt: ahead,
        };
        await db.appointments.insert(appointment);
        const plan = { location: (await db.locations.findOne(LOCATION_ID).exec())!.toMutableJSON(), settings: new Map((await db.notification_settings.find().exec()).map((d) => [d.type, d.toMutableJSON()])) };
        const { writes } = reconcileJobs({ locationId: LOCATION_ID, desired: desiredAppointmentJobs(appointment, [], plan, wrong), existing: [], now: wrong, explainRemoval: () => ({}) });
        await db.jobs.bulkInsert(writes);
      },
    });
    expect(confirmations()).toHaveLength(1);
    expect(await h.job('bookingConfirmation', 'a1')).toMatchObject([{ state: 'delivered', dueAt: T0 }]);
  });
});
