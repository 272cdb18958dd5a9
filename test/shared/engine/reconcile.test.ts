/**
 * Two desks whose clocks differ by an hour re-plan one replicated outbox in turn: the desk behind plans an immediate
 * message for its now, the one ahead for the event's time. Neither may rewrite the other's due time for ever — they
 * must settle on one document after a rewrite or two (DESIGN §4.1: every desk converges on one outbox).
 */
import { describe, expect, it } from 'vitest';
import type { AppointmentChange } from '../../../shared/domain/appointment.ts';
import type { Job } from '../../../shared/domain/job.ts';
import { CHANGE_SETTLE_MS } from '../../../shared/engine/change-burst.ts';
import { desiredAppointmentJobs } from '../../../shared/engine/plan.ts';
import { reconcileJobs } from '../../../shared/engine/reconcile.ts';
import { DAY, HOUR, MINUTE, NOW, iso, plan, visit } from './support/plan-fixtures.ts';

const AHEAD = HOUR;
const explainRemoval = () => ({ reason: 'no longer applies' });

/**
 * Desk "ahead" (clock NOW + 1 h + t) and desk "behind" (NOW + t) re-plan the same visit one after the other, each over
 * what the other wrote, every `step` of t; answers how many jobs each re-plan rewrote, and the outbox at the end.
 */
function replanInTurns(appointment: ReturnType<typeof visit>, rounds: number, step = 10_000): { writes: number[]; outbox: Map<string, Job> } {
  const outbox = new Map<string, Job>();
  const writes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const now = NOW + round * step + (round % 2 === 0 ? AHEAD : 0);
    const existing = [...outbox.values()];
    const desired = desiredAppointmentJobs(appointment, [], plan, now, { existingIds: new Set(outbox.keys()) });
    const result = reconcileJobs({ locationId: 'l1', desired, existing, now, explainRemoval });
    for (const job of result.writes) outbox.set(job.id, job);
    writes.push(result.writes.filter((job) => job.type !== 'reminder').length);
  }
  return { writes, outbox };
}

const dueOf = (outbox: Map<string, Job>, type: Job['type']) => [...outbox.values()].filter((j) => j.type === type).map((j) => j.dueAt);

describe('two desks an hour apart re-planning immediate messages', () => {
  it('a confirmation of a booking made on the desk ahead: the desk behind brings it to its now once, then neither rewrites it', () => {
    const { writes, outbox } = replanInTurns(visit(NOW + AHEAD - MINUTE), 12);
    // Planned by the desk ahead, brought forward by the one behind; nothing after that.
    expect(writes).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(dueOf(outbox, 'bookingConfirmation')).toEqual([NOW + 10_000]);
  });

  it('a cancellation notice and a restored visit’s confirmation settle the same way', () => {
    const at = NOW + AHEAD - MINUTE;
    const history: AppointmentChange[] = [{ at: iso(at), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }];
    expect(replanInTurns(visit(NOW - DAY, history, { status: 'cancelled' }), 12).writes.slice(2)).toEqual(Array(10).fill(0));
    const restored: AppointmentChange[] = [...history, { at: iso(at + 10_000), by: 'desk', kind: 'statusChanged', from: 'cancelled', to: 'booked' }];
    expect(replanInTurns(visit(NOW - DAY, restored), 12).writes.slice(2)).toEqual(Array(10).fill(0));
  });

  it('a change alert: the desk behind brings it to its now once and keeps that time over later re-plans (it used to move it a settle delay on with each)', () => {
    const edit = NOW + AHEAD - 30_000;
    const appointment = visit(NOW - DAY, [{ at: iso(edit), by: 'desk', kind: 'reassigned', from: 's2', to: 's1' }]);
    const { writes, outbox } = replanInTurns(appointment, 30, 5 * MINUTE);
    expect(writes).toEqual([1, 1, ...Array(28).fill(0)]);
    expect(dueOf(outbox, 'changeAlert')).toEqual([NOW + 5 * MINUTE + CHANGE_SETTLE_MS]);
  });

  it('a change alert timed by the desk behind waits a settle delay again for a later edit of its burst, and only for that', () => {
    const edit = (at: number): AppointmentChange => ({ at: iso(at), by: 'desk', kind: 'reassigned', from: 's2', to: 's1' });
    const first = NOW + AHEAD;
    const replan = (history: AppointmentChange[], now: number, existing: Job[]) => {
      const desired = desiredAppointmentJobs(visit(NOW - DAY, history), [], plan, now, { existingIds: new Set(existing.map((j) => j.id)) });
      const { writes } = reconcileJobs({ locationId: 'l1', desired, existing, now, explainRemoval });
      const merged = new Map(existing.map((j) => [j.id, j]));
      for (const job of writes) merged.set(job.id, job);
      return { alert: [...merged.values()].find((j) => j.type === 'changeAlert')!, all: [...merged.values()], writes: writes.filter((j) => j.type === 'changeAlert').length };
    };
    const one = replan([edit(first)], NOW, []);
    expect(one.alert.dueAt).toBe(NOW + CHANGE_SETTLE_MS);
    expect(replan([edit(first)], NOW + MINUTE, one.all).writes).toBe(0);
    // The burst's next edit, a minute later by the desk ahead, arrives here a minute later too.
    const two = replan([edit(first), edit(first + MINUTE)], NOW + MINUTE, one.all);
    expect(two.alert).toMatchObject({ id: one.alert.id, dueAt: NOW + MINUTE + CHANGE_SETTLE_MS });
    expect(replan([edit(first), edit(first + MINUTE)], NOW + 2 * MINUTE, two.all).writes).toBe(0);
  });
});
