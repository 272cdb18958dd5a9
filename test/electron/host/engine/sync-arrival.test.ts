/**
 * With sync, collections replicate apart: a desk that holds the dispatch lease may receive a job before the booking
 * (or client) it is about. Such a job waits for its subject instead of being closed as "the client no longer exists"
 * — otherwise a booking made on another desk loses its confirmation — and is closed only when the subject never comes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SUBJECT_ARRIVAL_GRACE_MS } from '../../../../electron/host/engine/dispatch-pass.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import type { DispatchGate } from '../../../../shared/engine/dispatch-gate.ts';
import { DAY, EngineHarness, HOUR, T0 } from './support/harness.ts';

const SECOND = 1_000;

const harnesses: EngineHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function gate(holding: boolean): DispatchGate {
  return {
    permit: () => (holding ? { ok: true, fence: { desk: 'desk-b', epoch: 1 } } : { ok: false, reason: 'another desk holds the dispatch lease' }),
    stillValid: () => holding,
    handOff: () => Promise.resolve(true),
    active: () => holding,
    onChange: () => () => undefined,
    replicates: () => true,
  };
}

/**
 * Desk A books (it does not hold the lease, so it only plans): what replication would carry to desk B. Closed before
 * desk B opens (one RxDB database per process in the open-core build's collection limit).
 */
async function bookedElsewhere(): Promise<{ appointment: Appointment; confirmation: Job }> {
  const a = await EngineHarness.create({ gate: gate(false) });
  try {
    const appointment = await a.book(T0 + 3 * DAY + 5 * HOUR);
    const [confirmation] = await a.job('bookingConfirmation', appointment.id);
    expect(confirmation?.state).toBe('planned');
    return { appointment, confirmation: structuredClone(confirmation!) };
  } finally {
    await a.close();
  }
}

describe('a job that arrives by sync before what it is about', () => {
  it('waits for the booking, then goes out once', async () => {
    const { appointment, confirmation } = await bookedElsewhere();
    const b = await EngineHarness.create({ gate: gate(true) });
    harnesses.push(b);
    await b.db.jobs.insert(confirmation);
    await b.settle();
    await b.advance(3 * SECOND);
    expect(b.allSent()).toEqual([]);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['planned']);

    await b.db.appointments.insert(appointment);
    await b.settle();
    await b.advance(2 * SECOND);
    expect(b.sentOf('email').map((m) => m.jobId)).toEqual([confirmation.id]);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['delivered']);
  });

  it('still waits for the booking after the clock is set forward an hour, and sends once it arrives', async () => {
    const { appointment, confirmation } = await bookedElsewhere();
    const b = await EngineHarness.create({ gate: gate(true) });
    harnesses.push(b);
    await b.db.jobs.insert(confirmation);
    await b.settle();
    await b.advance(SECOND);
    b.time.jumpWallClock(HOUR);
    await b.advance(3 * SECOND);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['planned']);

    await b.db.appointments.insert(appointment);
    await b.settle();
    await b.advance(2 * SECOND);
    expect(b.sentOf('email').map((m) => m.jobId)).toEqual([confirmation.id]);
  });

  it('is closed unsent when the booking never arrives', async () => {
    const { appointment, confirmation } = await bookedElsewhere();
    const b = await EngineHarness.create({ gate: gate(true) });
    harnesses.push(b);
    await b.db.jobs.insert(confirmation);
    await b.settle();
    await b.advance(SUBJECT_ARRIVAL_GRACE_MS - 10 * SECOND);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['planned']);
    await b.advance(20 * SECOND);
    expect(b.allSent()).toEqual([]);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['cancelled']);
  });

  it('without sync, a job whose booking is missing is closed at once', async () => {
    const { appointment, confirmation } = await bookedElsewhere();
    const b = await EngineHarness.create();
    harnesses.push(b);
    await b.db.jobs.insert(confirmation);
    await b.settle();
    await b.advance(SECOND);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => j.state)).toEqual(['cancelled']);
    expect(b.allSent()).toEqual([]);
  });
});
