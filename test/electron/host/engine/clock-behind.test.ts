/**
 * "Immediately" by a desk whose clock is behind the event's stamp (DESIGN §2): a booking made on a desk whose clock
 * runs an hour ahead, or planned by this desk before its clock was set back, is confirmed at once, not once this desk's
 * clock reaches the stamp (shared/engine/immediate.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CLOCK_WATCH_INTERVAL_MS } from '../../../../shared/time/clock-watch.ts';
import type { Appointment, AppointmentChange } from '../../../../shared/domain/appointment.ts';
import { CHANGE_SETTLE_MS } from '../../../../shared/engine/change-burst.ts';
import { desiredAppointmentJobs } from '../../../../shared/engine/plan.ts';
import { reconcileJobs } from '../../../../shared/engine/reconcile.ts';
import { DAY, EngineHarness, HOUR, LOCATION_ID, MINUTE, T0 } from './support/harness.ts';
import { standInLease } from './support/stand-in-lease.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

const START = T0 + 2 * DAY;
const confirmations = () => h.sentOf('email').filter((m) => m.jobId.startsWith('bookingConfirmation'));


/** An edit made on the desk whose clock runs an hour ahead, arriving by sync: stamped an hour after this desk's now. */
async function editAhead(id: string, patch: Partial<Appointment>, change: Omit<AppointmentChange, 'at' | 'by'>): Promise<void> {
  const doc = (await h.db.appointments.findOne(id).exec())!;
  const at = h.iso(h.time.now() + HOUR);
  await doc.incrementalPatch({ ...patch, history: [...doc.history, { ...change, at, by: 'desk' }], updatedAt: at });
  await h.settle();
}

/** The confirmation of `id` as the desk whose clock runs an hour ahead planned it, arriving by sync. */
async function aheadDesksVersion(id: string): Promise<void> {
  const [job] = await h.job('bookingConfirmation', id);
  await h.db.jobs.upsert({ ...job!, dueAt: T0 + HOUR, updatedAt: h.iso(T0 + HOUR) });
  await h.settle();
}

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

  it('planned while hand-offs were refused, then the clock set back 3 h: goes out within one look at the clocks', async () => {
    const { gate, state } = standInLease({ holding: true, refusing: true });
    h = await EngineHarness.create({ gate, watchClock: true });
    await h.book(START);
    await h.advance(10 * MINUTE);
    expect(confirmations()).toEqual([]);
    // 10:10 becomes 07:10: the confirmation, due at 10:00, would wait until then.
    h.time.jumpWallClock(-3 * HOUR);
    state.refusing = false;
    await h.advance(CLOCK_WATCH_INTERVAL_MS + 10_000);
    expect(confirmations()).toHaveLength(1);
  });

  it('timed by the desk an hour ahead and arriving after this desk planned it goes out at once, not in an hour', async () => {
    const { gate, state } = standInLease({ holding: true, refusing: true });
    h = await EngineHarness.create({ gate });
    const ahead = h.iso(T0 + HOUR);
    const a = await h.book(START, { createdAt: ahead, updatedAt: ahead, history: [{ at: ahead, by: 'desk', kind: 'created' }] });
    await aheadDesksVersion(a.id);
    state.refusing = false;
    await h.advance(10_000);
    expect(confirmations()).toHaveLength(1);
  });

  it('timed by the desk ahead while it held the lease goes out at once when this desk takes the lease over', async () => {
    const { gate, state, changed } = standInLease({ holding: false, refusing: false });
    h = await EngineHarness.create({ gate });
    const ahead = h.iso(T0 + HOUR);
    const a = await h.book(START, { createdAt: ahead, updatedAt: ahead, history: [{ at: ahead, by: 'desk', kind: 'created' }] });
    await aheadDesksVersion(a.id);
    await h.advance(MINUTE);
    expect(confirmations()).toEqual([]);
    state.holding = true;
    changed();
    await h.advance(10_000);
    expect(confirmations()).toHaveLength(1);
    expect(await h.job('bookingConfirmation', a.id)).toMatchObject([{ state: 'delivered' }]);
  });
});

describe('other immediate messages stamped ahead of this desk’s clock', () => {
  it('a burst of edits made on the desk ahead is one change alert, sent once this desk has seen no edit for the settle delay', async () => {
    h = await EngineHarness.create();
    const a = await h.book(START);
    await h.advance(10 * MINUTE);
    await editAhead(a.id, { staffId: 's2' }, { kind: 'reassigned', from: 's1', to: 's2' });
    await h.advance(MINUTE);
    const moved = START - HOUR;
    await editAhead(a.id, { start: h.iso(moved), end: h.iso(moved + HOUR), startMs: moved }, { kind: 'moved', from: h.iso(START), to: h.iso(moved) });
    const alerts = () => h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'));
    await h.advance(CHANGE_SETTLE_MS - 10_000);
    expect(alerts()).toEqual([]);
    await h.advance(20_000);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]!.body).toContain('Specialist: Mila Novak');
    expect(alerts()[0]!.body).toContain('Before the change: Wed, 25 Nov 2026, 10:00, Haircut with Sophie Wagner.');
  });

  it('the alert of an edit made on the desk ahead keeps its time over re-plans that bring no new edit', async () => {
    h = await EngineHarness.create();
    const a = await h.book(START);
    await h.advance(10 * MINUTE);
    await editAhead(a.id, { staffId: 's2' }, { kind: 'reassigned', from: 's1', to: 's2' });
    const alerts = () => h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'));
    // The salon re-plans (a settings save, the lease changing hands) every 50 s meanwhile.
    for (let i = 0; i < 2; i++) {
      await h.advance(50_000);
      await h.engine.replanLocation(LOCATION_ID);
      await h.settle();
    }
    await h.advance(CHANGE_SETTLE_MS - 100_000 - 10_000);
    expect(alerts()).toEqual([]);
    await h.advance(20_000);
    expect(alerts()).toHaveLength(1);
  });

  it('a visit booked and then cancelled on the desk ahead: its cancellation notice goes out at once, its confirmation never', async () => {
    const { gate, state } = standInLease({ holding: true, refusing: true });
    h = await EngineHarness.create({ gate });
    const ahead = h.iso(T0 + HOUR);
    const a = await h.book(START, { createdAt: ahead, updatedAt: ahead, history: [{ at: ahead, by: 'desk', kind: 'created' }] });
    await h.advance(MINUTE);
    await editAhead(a.id, { status: 'cancelled' }, { kind: 'statusChanged', from: 'booked', to: 'cancelled' });
    state.refusing = false;
    await h.advance(10_000);
    expect(h.sentOf('email').map((m) => m.jobId.split('|')[0])).toEqual(['cancellationNotice']);
    expect(await h.job('bookingConfirmation', a.id)).toMatchObject([{ state: 'cancelled', reasonCode: 'appointment.cancelled' }]);
  });
});

describe('reminders of a visit booked or moved on a desk whose clock runs ahead', () => {
  // Booked at 10:00 for 13:00 by a desk two hours fast (stamped 12:00): the 2-hour reminder, at 11:00, is ahead of the
  // client, not "already past when the booking was made".
  const SOON = T0 + 3 * HOUR;
  const reminders = () => h.sentOf('email').filter((m) => m.jobId.startsWith('reminder'));

  it('plans the reminder between this desk’s now and the stamp, keeps it over a re-plan, and sends it on time', async () => {
    h = await EngineHarness.create();
    const ahead = h.iso(T0 + 2 * HOUR);
    const a = await h.book(SOON, { createdAt: ahead, updatedAt: ahead, history: [{ at: ahead, by: 'desk', kind: 'created' }] });
    const twoHours = async () => (await h.job('reminder', a.id)).find((j) => j.occasion.startsWith('120m@'));
    expect(await twoHours()).toMatchObject({ state: 'planned', dueAt: T0 + HOUR });
    await h.advance(30 * MINUTE);
    await h.engine.replanLocation(LOCATION_ID);
    await h.settle();
    expect(await twoHours()).toMatchObject({ state: 'planned', dueAt: T0 + HOUR });
    await h.advance(30 * MINUTE - 1_000);
    expect(reminders()).toEqual([]);
    await h.advance(2_000);
    expect(reminders()).toHaveLength(1);
    expect(await twoHours()).toMatchObject({ state: 'delivered' });
  });

  it('moved on the desk ahead to a time whose reminder is still ahead here: the reminder goes out', async () => {
    h = await EngineHarness.create();
    const a = await h.book(START);
    await h.advance(10 * MINUTE);
    await editAhead(a.id, { start: h.iso(SOON), end: h.iso(SOON + HOUR), startMs: SOON }, { kind: 'moved', from: h.iso(START), to: h.iso(SOON) });
    // editAhead stamps an hour ahead (10:10 → 11:10); the reminder of 13:00 is at 11:00.
    await h.advance(HOUR - 10 * MINUTE + 1_000);
    expect(reminders().map((m) => m.jobId)).toEqual([expect.stringContaining(`120m@${SOON}`)]);
  });
});

describe('team messages of a change made on the desk ahead', () => {
  const cancelAhead = async (id: string) => editAhead(id, { status: 'cancelled' }, { kind: 'statusChanged', from: 'booked', to: 'cancelled' });

  it('the specialist’s desktop toast of a cancellation goes out at once', async () => {
    h = await EngineHarness.create();
    const a = await h.book(START);
    await cancelAhead(a.id);
    await h.advance(10_000);
    expect(h.sentOf('desktop')).toHaveLength(1);
  });

  it('timed by the desk ahead and arriving after this desk planned it, goes out at once, not in an hour', async () => {
    const { gate, state } = standInLease({ holding: true, refusing: true });
    h = await EngineHarness.create({ gate });
    const a = await h.book(START);
    await cancelAhead(a.id);
    const toast = (await h.jobs()).find((job) => job.channel === 'desktop');
    expect(toast).toMatchObject({ state: 'planned' });
    await h.db.jobs.upsert({ ...toast!, dueAt: h.time.now() + HOUR, updatedAt: h.iso(h.time.now() + HOUR) });
    await h.settle();
    state.refusing = false;
    await h.advance(10_000);
    expect(h.sentOf('desktop')).toHaveLength(1);
  });
});
