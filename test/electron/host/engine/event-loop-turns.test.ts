/**
 * The host never blocks behind the engine: node:sqlite answers synchronously, so engine work that never reaches a
 * macrotask holds the event loop — and with it every command and query of the window — until it ends. A backlog of
 * due jobs and a burst of queued edits are each worked through with turns of the event loop in between, and what the
 * window changed meanwhile is still what goes out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { DAY, EngineHarness, HOUR, LOCATION_ID, MINUTE, T0 } from './support/harness.ts';

/** Enough work that it takes many of the engine's 20 ms slices even on a fast machine (memory storage). */
const BACKLOG = 400;

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function bookedAt(id: string, startMs: number, createdAtMs: number): Appointment {
  const at = new Date(createdAtMs).toISOString();
  return {
    id, locationId: LOCATION_ID, clientId: 'c1', staffId: 's1', serviceIds: ['svc1'], start: new Date(startMs).toISOString(), end: new Date(startMs + HOUR).toISOString(),
    startMs, status: 'booked', source: 'desk', history: [{ at, by: 'desk', kind: 'created' }], reviewLeft: false, createdAt: at, updatedAt: at,
  };
}

/** Fresh bookings spread over the coming weeks: each has a booking confirmation due now. */
const freshBookings = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => bookedAt(`${prefix}${i}`, T0 + 3 * DAY + i * 15 * MINUTE, T0));

/**
 * BACKLOG bookings made before the start, whose confirmations are all due when its plan has run: resolves once the
 * first of them went out, seen from a turn of the event loop; `working` is the advance of the clock under way.
 */
async function backlogGoingOut(): Promise<{ confirmations: () => number; working: Promise<void> }> {
  h = await EngineHarness.create({
    startPlanDelayMs: 1000,
    // Quiet hours off: every confirmation is due at once.
    location: { quietHours: { enabled: false, start: '21:00', end: '09:00' } },
    beforeStart: async (db) => {
      await db.appointments.bulkInsert(freshBookings(BACKLOG, 'b'));
    },
  });
  const confirmations = () => h.sentOf('email').filter((m) => m.jobId.startsWith('bookingConfirmation|')).length;
  const working = h.advance(1000);
  while (confirmations() === 0) await nextTurn();
  return { confirmations, working };
}

describe('the engine gives the event loop turns', () => {
  it('while it dispatches a backlog of due jobs, and a visit cancelled meanwhile gets no message of its old plan', async () => {
    const { confirmations, working } = await backlogGoingOut();
    // The dispatcher has begun: seen from a turn of the event loop, not after the whole backlog.
    const seenAt = confirmations();
    expect(seenAt).toBeLessThan(BACKLOG);
    // A visit whose confirmation has not gone out yet is cancelled from the window meanwhile.
    const last = `b${BACKLOG - 1}`;
    const doc = await h.db.appointments.findOne(last).exec();
    const at = new Date(h.time.now()).toISOString();
    await doc!.incrementalPatch({ status: 'cancelled', history: [...doc!.history, { at, by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }], updatedAt: at });
    await working;
    await h.settle();
    const sent = h.sentOf('email').map((m) => m.jobId);
    expect(sent).not.toContain(`bookingConfirmation|${last}|booked|cascade`);
    expect(new Set(sent.filter((id) => id.startsWith('bookingConfirmation|'))).size).toBe(BACKLOG - 1);
    expect((await h.job('bookingConfirmation', last)).map((j) => j.state)).toEqual(['cancelled']);
  });

  it('and an edit made while it sends a backlog is planned before the rest of the backlog goes out', async () => {
    const { confirmations, working } = await backlogGoingOut();
    // A booking made from the window while the backlog goes out: its reminder is planned within a send or so, not
    // after every confirmation of the backlog (the dispatch pass is one piece of the engine's queue).
    const startMs = T0 + 10 * DAY;
    await h.db.appointments.insert(bookedAt('edit', startMs, h.time.now()));
    const reminderPlanned = async () => (await h.job('reminder', 'edit')).length > 0;
    while (!(await reminderPlanned())) await nextTurn();
    const sentWhenPlanned = confirmations();
    await working;
    await h.settle();
    expect(sentWhenPlanned).toBeLessThan(BACKLOG / 2);
    // Cut short for the edit, the pass left nothing behind: every confirmation went out once, the edit's too.
    const sent = h.sentOf('email').map((m) => m.jobId).filter((id) => id.startsWith('bookingConfirmation|'));
    expect(sent).toHaveLength(BACKLOG + 1);
    expect(new Set(sent).size).toBe(BACKLOG + 1);
  });

  it('while it plans a burst of edits queued one after another', async () => {
    h = await EngineHarness.create();
    // One change event each, so one queued piece of work each.
    await h.db.appointments.bulkInsert(freshBookings(BACKLOG, 'q'));
    const planned = async () => h.db.jobs.count({ selector: { type: 'reminder' } }).exec();
    await nextTurn();
    await nextTurn();
    const afterTwoTurns = await planned();
    await h.settle();
    expect(afterTwoTurns).toBeLessThan(2 * BACKLOG);
    expect(await planned()).toBe(2 * BACKLOG);
  });
});
