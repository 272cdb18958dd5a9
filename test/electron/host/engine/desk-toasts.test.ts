/**
 * Desktop toasts are desk-local (team-events.ts, ToastDesk): a desk shows its own toasts without the dispatch lease,
 * and the lease holder never sends, recovers or marks uncertain another desk's toasts that reach it by replication —
 * neither one caught `sending` when it starts (a crash of its own is not another desk's send), nor one that arrives
 * `sending` or `planned` while it holds the lease. (Two databases one after the other: one RxDB database per process.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import type { TeamEvent } from '../../../../shared/domain/team-event.ts';
import type { DispatchGate } from '../../../../shared/engine/dispatch-gate.ts';
import { desktopOccasion } from '../../../../shared/engine/team-events.ts';
import { DAY, EngineHarness, HOUR, T0 } from './support/harness.ts';

const SECOND = 1_000;

const harnesses: EngineHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function gate(desk: string, holding: boolean): DispatchGate {
  return {
    permit: () => (holding ? { ok: true, fence: { desk, epoch: 3 } } : { ok: false, reason: 'another desk holds the dispatch lease' }),
    stillValid: () => holding,
    handOff: () => Promise.resolve(true),
    active: () => holding,
    onChange: () => () => undefined,
    replicates: () => true,
  };
}

/** Desk B (no lease) cancels Sophie's visit: what replication carries to desk A. */
async function cancelledOnDeskB(): Promise<{ appointment: Appointment; event: TeamEvent; toast: Job; sent: number }> {
  const b = await EngineHarness.create({ gate: gate('desk-b', false), deskId: 'desk-b', deskStaff: ['s1'] });
  try {
    const booked = await b.book(T0 + 3 * DAY + 5 * HOUR);
    await b.setStatus(booked.id, 'cancelled');
    await b.advance(SECOND);
    const appointment = (await b.db.appointments.findOne(booked.id).exec())!.toMutableJSON();
    const event = (await b.db.team_events.findOne({ selector: { appointmentId: booked.id, type: 'cancellation' } }).exec())!.toMutableJSON();
    const toasts = (await b.jobs(event.id)).filter((j) => j.channel === 'desktop');
    expect(toasts.map((j) => [j.occasion, j.state])).toEqual([[desktopOccasion('s1', 'desk-b'), 'delivered']]);
    // Nothing but the toast went out: the lease gates every other channel.
    expect(b.allSent().map((m) => m.channel)).toEqual(['desktop']);
    return { appointment, event, toast: structuredClone(toasts[0]!), sent: b.sentOf('desktop').length };
  } finally {
    await b.close();
  }
}

describe('desktop toasts of another desk, on the lease holder', () => {
  it('a desk without the lease shows its own toast once; the holder plans none for a specialist who works elsewhere', async () => {
    const { appointment, event, toast, sent } = await cancelledOnDeskB();
    expect(sent).toBe(1);
    const a = await EngineHarness.create({ gate: gate('desk-a', true), deskId: 'desk-a', deskStaff: ['s2'] });
    harnesses.push(a);
    await a.db.appointments.insert(appointment);
    await a.db.team_events.insert(event);
    await a.db.jobs.insert(toast);
    await a.settle();
    await a.advance(10 * SECOND);
    expect(a.sentOf('desktop')).toEqual([]);
    expect((await a.jobs(event.id)).filter((j) => j.channel === 'desktop').map((j) => j.id)).toEqual([toast.id]);
  });

  it('one caught `sending` at the holder’s start is left to its desk: not marked uncertain, not sent', async () => {
    const { appointment, event, toast } = await cancelledOnDeskB();
    const inFlight: Job = { ...toast, state: 'sending', cascade: [{ channel: 'desktop', scenario: 'always', state: 'sending', at: new Date(T0).toISOString() }] };
    const a = await EngineHarness.create({
      gate: gate('desk-a', true), deskId: 'desk-a', deskStaff: ['s2'],
      beforeStart: async (db) => {
        await db.appointments.insert(appointment);
        await db.team_events.insert(event);
        await db.jobs.insert(inFlight);
      },
    });
    harnesses.push(a);
    await a.advance(10 * SECOND);
    const [job] = await a.job('cancellation', event.id);
    expect(job?.state).toBe('sending');
    expect((await a.log()).filter((e) => e.jobId === toast.id)).toEqual([]);
    expect(a.sentOf('desktop')).toEqual([]);
  });

  it('one that arrives `planned` and due, or `sending`, while the desk holds the lease is neither sent, recovered nor waited on', async () => {
    const { appointment, event, toast } = await cancelledOnDeskB();
    const a = await EngineHarness.create({ gate: gate('desk-a', true), deskId: 'desk-a', deskStaff: ['s2'] });
    harnesses.push(a);
    await a.db.appointments.insert(appointment);
    await a.db.team_events.insert(event);
    const planned: Job = { ...toast, state: 'planned', cascade: [], attempts: 0, dueAt: a.time.now() };
    await a.db.jobs.insert(planned);
    await a.settle();
    // A due job the desk may not touch must not spin its timer (advance would never end) or be sent.
    await a.advance(30 * SECOND);
    expect(a.sentOf('desktop')).toEqual([]);
    expect((await a.job('cancellation', event.id)).map((j) => j.state)).toEqual(['planned']);
    await a.db.jobs.upsert({ ...planned, state: 'sending', cascade: [{ channel: 'desktop', scenario: 'always', state: 'sending', at: new Date(a.time.now()).toISOString() }] });
    await a.advance(10 * SECOND);
    expect((await a.job('cancellation', event.id)).map((j) => j.state)).toEqual(['sending']);
    expect((await a.log()).filter((e) => e.jobId === toast.id)).toEqual([]);
  });

  it('a specialist listed at both desks gets a toast planned on each, one per desk', async () => {
    const { appointment, event, toast } = await cancelledOnDeskB();
    const a = await EngineHarness.create({ gate: gate('desk-a', true), deskId: 'desk-a', deskStaff: ['s1', 's2'] });
    harnesses.push(a);
    await a.db.team_events.insert(event);
    await a.db.jobs.insert(toast);
    await a.db.appointments.insert(appointment);
    await a.settle();
    await a.advance(SECOND);
    const toasts = (await a.jobs(event.id)).filter((j) => j.channel === 'desktop');
    expect(toasts.map((j) => [j.occasion, j.state]).sort()).toEqual([[desktopOccasion('s1', 'desk-a'), 'delivered'], [desktopOccasion('s1', 'desk-b'), 'delivered']]);
    expect(a.sentOf('desktop').map((m) => m.recipient.staffId)).toEqual(['s1']);
  });

  it('a desk that sees the event only hours later logs its toast as too late instead of showing old news', async () => {
    const { appointment, event } = await cancelledOnDeskB();
    const a = await EngineHarness.create({ start: T0 + 7 * HOUR, gate: gate('desk-a', true), deskId: 'desk-a', deskStaff: ['s1'] });
    harnesses.push(a);
    await a.db.team_events.insert(event);
    await a.db.appointments.insert(appointment);
    await a.settle();
    await a.advance(SECOND);
    const toasts = (await a.jobs(event.id)).filter((j) => j.channel === 'desktop' && j.occasion === desktopOccasion('s1', 'desk-a'));
    expect(toasts.map((j) => [j.state, j.reasonCode])).toEqual([['expired', 'staff.late']]);
    expect(a.sentOf('desktop')).toEqual([]);
  });

  it("logs a team message with whose visit it is about, so the log's Client column is not empty for it", async () => {
    const a = await EngineHarness.create({ deskId: 'desk-a', deskStaff: ['s1'] });
    harnesses.push(a);
    const booked = await a.book(T0 + 3 * DAY + 5 * HOUR);
    await a.setStatus(booked.id, 'cancelled');
    await a.advance(SECOND);
    const toasts = (await a.log()).filter((entry) => entry.type === 'cancellation' && entry.channel === 'desktop');
    expect(toasts.map((entry) => entry.status)).toEqual(['attempted', 'delivered']);
    expect(toasts.map((entry) => [entry.recipient, entry.clientId])).toEqual([['Sophie Wagner', booked.clientId], ['Sophie Wagner', booked.clientId]]);
  });
});
