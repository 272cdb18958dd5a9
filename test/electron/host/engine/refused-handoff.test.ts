/**
 * A desk that takes over the dispatch lease may still hold an older copy of a job another desk already sent (its pull
 * lags). Its hand-off pushes `sending` and meets the endpoint's version: replication merges that into the desk's
 * copy, the send is refused — and the merged version must stay. Put back to the older `planned` copy, it would reach
 * the endpoint as an ordinary update and the next pass would send the message a second time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../../shared/domain/job.ts';
import type { DispatchGate } from '../../../../shared/engine/dispatch-gate.ts';
import { mergeJobs } from '../../../../shared/sync/conflict-handlers.ts';
import { DAY, EngineHarness, HOUR, T0 } from './support/harness.ts';

const SECOND = 1_000;

const harnesses: EngineHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function leaseGate(desk: string, holding: () => boolean, handOff: DispatchGate['handOff'] = () => Promise.resolve(true)): DispatchGate & { changed(): void } {
  const listeners = new Set<() => void>();
  return {
    permit: () => (holding() ? { ok: true, fence: { desk, epoch: 1 } } : { ok: false, reason: 'another desk holds the dispatch lease' }),
    stillValid: () => holding(),
    handOff,
    active: () => holding(),
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replicates: () => true,
    changed: () => {
      for (const listener of listeners) listener();
    },
  };
}

/** Desk A plans a booking's confirmation, then takes the lease and delivers it: the copy before and the one after. */
async function deliveredElsewhere() {
  let holding = false;
  const gate = leaseGate('desk-a', () => holding);
  const a = await EngineHarness.create({ gate });
  try {
    const appointment = await a.book(T0 + 3 * DAY + 5 * HOUR);
    const [planned] = await a.job('bookingConfirmation', appointment.id);
    expect(planned?.state).toBe('planned');
    holding = true;
    gate.changed();
    await a.advance(2 * SECOND);
    const [delivered] = await a.job('bookingConfirmation', appointment.id);
    expect(delivered?.state).toBe('delivered');
    expect(a.sentOf('email').map((m) => m.jobId)).toEqual([planned!.id]);
    return { appointment, planned: structuredClone(planned!), delivered: structuredClone(delivered!) };
  } finally {
    await a.close();
  }
}

/**
 * Desk B with a lagging copy of a job desk A delivered: its hand-off of that job meets the endpoint's version once,
 * and the merge is written into B's copy, as RxDB's replication does. `answer` is what the hand-off then says.
 */
async function laggingDeskB(delivered: Job, answer: boolean, holding: () => boolean = () => true) {
  const desk: { b?: EngineHarness; endpointAhead?: Job } = { endpointAhead: delivered };
  const handOff = async (job: Job) => {
    if (!desk.endpointAhead || job.id !== desk.endpointAhead.id) return true;
    await desk.b!.db.jobs.upsert(mergeJobs(job, desk.endpointAhead));
    desk.endpointAhead = undefined;
    return answer;
  };
  const gate = leaseGate('desk-b', holding, handOff);
  const b = await EngineHarness.create({ gate });
  desk.b = b;
  harnesses.push(b);
  return { b, gate, desk };
}

describe('a send refused at the hand-off because another desk had sent the job', () => {
  it('leaves the merged version in place and never sends the message again', async () => {
    const { appointment, planned, delivered } = await deliveredElsewhere();
    // The endpoint has desk A's delivered version; desk B's push of `sending` conflicts with it once.
    const { b, desk } = await laggingDeskB(delivered, true);
    await b.db.jobs.insert(planned);
    await b.db.appointments.insert(appointment);
    await b.settle();
    await b.advance(30 * SECOND);

    expect(desk.endpointAhead).toBeUndefined();
    expect(b.allSent()).toEqual([]);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => [j.state, j.attempts])).toEqual([['delivered', 1]]);
  });
});

describe('a send refused because another desk\'s version of the job was merged in at the hand-off', () => {
  it('does not hold back the other messages due in the same pass', async () => {
    const { appointment, planned, delivered } = await deliveredElsewhere();
    let holding = false;
    // As LocationSync.awaitSendPushed answers once the merge replaced the send: not handed off.
    const { b, gate, desk } = await laggingDeskB(delivered, false, () => holding);
    await b.db.jobs.insert(planned);
    await b.db.appointments.insert(appointment);
    await b.settle();
    // A visit booked at desk B while desk A still held the lease: its confirmation is due after the lagging one.
    await b.advance(3 * SECOND);
    const second = await b.book(T0 + 4 * DAY + 5 * HOUR, { id: 'a-booked-at-b' });
    const [secondPlanned] = await b.job('bookingConfirmation', second.id);
    expect(secondPlanned?.state).toBe('planned');

    holding = true;
    gate.changed();
    await b.advance(500);
    expect(desk.endpointAhead, 'the lagging copy was taken first').toBeUndefined();
    expect(b.sentOf('email').map((m) => m.jobId), 'the next confirmation waited for the refusal\'s pause').toEqual([secondPlanned!.id]);
    expect((await b.job('bookingConfirmation', appointment.id)).map((j) => [j.state, j.attempts])).toEqual([['delivered', 1]]);
  });
});

describe('a job that comes back by sync in `sending` under the lease this desk holds, outside any send of its own', () => {
  it('is marked uncertain instead of staying `sending` for good, and is not sent again', async () => {
    const { appointment, delivered } = await deliveredElsewhere();
    // An older copy of a send desk B refused and put back, pulled after the put-back: its step is `sending`, fenced
    // with the lease desk B still holds.
    const at = new Date(T0).toISOString();
    const leftSending: Job = {
      ...delivered,
      state: 'sending',
      cascade: (delivered.cascade ?? []).map((step) => (step.channel === 'email' ? { channel: step.channel, scenario: step.scenario, state: 'sending', at, fence: { desk: 'desk-b', epoch: 1 } } : step)),
    };
    const b = await EngineHarness.create({ gate: leaseGate('desk-b', () => true) });
    harnesses.push(b);
    await b.db.jobs.insert(leftSending);
    await b.db.appointments.insert(appointment);
    await b.settle();
    await b.advance(30 * SECOND);

    expect(b.allSent()).toEqual([]);
    const [job] = await b.job('bookingConfirmation', appointment.id);
    expect(job?.state).not.toBe('sending');
    expect(job?.cascade?.find((step) => step.channel === 'email')?.state).toBe('uncertain');
  });
});

describe("a send whose hand-off meets another desk's `sending` of the same job on the endpoint", () => {
  it('yields to the send that reached the endpoint first: nothing is sent again, the job ends uncertain', async () => {
    const { appointment, planned } = await deliveredElsewhere();
    // Desk A handed the confirmation off (its `sending` is on the endpoint) and froze or died before its outcome was
    // written; desk B takes the lease over with a pull that lags: its copy is still `planned`. B's push of its own
    // `sending` conflicts with A's, and the conflict's resolution is written into B's copy, as RxDB's replication does.
    const at = new Date(T0 - 10 * SECOND).toISOString();
    const sendingAtA: Job = {
      ...planned,
      state: 'sending',
      attempts: planned.attempts + 1,
      updatedAt: at,
      cascade: [...(planned.cascade ?? []).filter((step) => step.channel !== 'email'), { channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk: 'desk-a', epoch: 1 } }],
    };
    let endpointAhead: Job | undefined = sendingAtA;
    const desk: { b?: EngineHarness } = {};
    const handOff = async (job: Job) => {
      if (endpointAhead) {
        await desk.b!.db.jobs.upsert(mergeJobs(job, endpointAhead));
        endpointAhead = undefined;
      }
      return true;
    };
    const b = await EngineHarness.create({ gate: leaseGate('desk-b', () => true, handOff) });
    desk.b = b;
    harnesses.push(b);
    await b.db.jobs.insert(planned);
    await b.db.appointments.insert(appointment);
    await b.settle();
    await b.advance(30 * SECOND);

    expect(endpointAhead).toBeUndefined();
    expect(b.allSent()).toEqual([]);
    const [job] = await b.job('bookingConfirmation', appointment.id);
    expect(job?.cascade?.find((step) => step.channel === 'email')?.state).toBe('uncertain');
  });
});

describe('a cascade job another dispatcher left between two steps (its email failed, the job still `sending`)', () => {
  it('goes on here once this desk holds the lease: the fallback SMS is sent, the email is not sent again', async () => {
    const { appointment, planned } = await deliveredElsewhere();
    // Desk A held the lease, wrote the email's verdict and was killed before its next step: every step it wrote has a
    // verdict, nothing is in flight, and the job still says `sending`.
    const at = new Date(T0 - 10 * SECOND).toISOString();
    const leftBetweenSteps: Job = {
      ...planned,
      state: 'sending',
      attempts: planned.attempts + 1,
      updatedAt: at,
      cascade: [{ channel: 'email', scenario: 'always', state: 'failed', reason: 'mailbox unavailable', at, fence: { desk: 'desk-a', epoch: 1 } }],
    };
    let holding = false;
    const gate = leaseGate('desk-b', () => holding);
    const b = await EngineHarness.create({ gate });
    harnesses.push(b);
    await b.db.jobs.insert(leftBetweenSteps);
    await b.db.appointments.insert(appointment);
    await b.settle();
    // Not while another desk may be dispatching it.
    await b.advance(30 * SECOND);
    expect(b.allSent()).toEqual([]);
    expect((await b.job('bookingConfirmation', appointment.id))[0]?.state).toBe('sending');

    holding = true;
    gate.changed();
    await b.advance(30 * SECOND);
    expect(b.sentOf('email')).toEqual([]);
    expect(b.sentOf('sms').map((m) => m.jobId)).toEqual([planned.id]);
    const [job] = await b.job('bookingConfirmation', appointment.id);
    expect(job?.state).toBe('delivered');
    expect(job?.cascade?.find((step) => step.channel === 'email')?.state).toBe('failed');
  });
});
