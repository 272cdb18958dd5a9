/**
 * "Immediately" (DESIGN §2) by a clock that is behind the event's: a booking, change, cancellation or credit stamped by
 * a desk whose clock runs ahead (or by this desk before its clock was set back) is due now, not once this desk's clock
 * reaches the stamp. Desks whose clocks passed the event all plan the event's own time (shared/engine/immediate.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AppointmentChange } from '../../../shared/domain/appointment.ts';
import type { ClientPerk } from '../../../shared/domain/client-perk.ts';
import { CHANGE_SETTLE_MS } from '../../../shared/engine/change-burst.ts';
import { desiredAppointmentJobs, desiredPerkJobs, type DesiredJob } from '../../../shared/engine/plan.ts';
import { DAY, HOUR, MINUTE, NOW, START, iso, plan, visit } from './support/plan-fixtures.ts';

const ofType = (jobs: DesiredJob[], type: DesiredJob['type']) => jobs.filter((j) => j.type === type).map((j) => ({ occasion: j.occasion, dueAt: j.dueAt, state: j.state }));

describe('an immediate message whose event is stamped ahead of this desk’s clock', () => {
  it('a booking confirmation is due now; one booked before now is due when it was booked, whatever the desk', () => {
    expect(ofType(desiredAppointmentJobs(visit(NOW + HOUR), [], plan, NOW), 'bookingConfirmation')).toEqual([{ occasion: 'booked', dueAt: NOW, state: 'planned' }]);
    const booked = NOW - 5 * MINUTE;
    for (const now of [NOW, NOW + HOUR]) {
      expect(ofType(desiredAppointmentJobs(visit(booked), [], plan, now), 'bookingConfirmation')).toEqual([{ occasion: 'booked', dueAt: booked, state: 'planned' }]);
    }
  });

  it('a confirmation that the visit is on again after a cancellation is due now', () => {
    const at = NOW + HOUR;
    const history: AppointmentChange[] = [
      { at: iso(at - MINUTE), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' },
      { at: iso(at), by: 'desk', kind: 'statusChanged', from: 'cancelled', to: 'booked' },
    ];
    const jobs = ofType(desiredAppointmentJobs(visit(NOW - DAY, history), [], plan, NOW, { existingIds: new Set(['bookingConfirmation|a1|booked|cascade']) }), 'bookingConfirmation');
    expect(jobs).toContainEqual({ occasion: `restored@${at}`, dueAt: NOW, state: 'planned' });
  });

  it('a change alert settles from now when the last edit is ahead, from the edit otherwise: a burst is still one alert', () => {
    const edit = (at: number): AppointmentChange => ({ at: iso(at), by: 'desk', kind: 'reassigned', from: 's2', to: 's1' });
    const first = NOW + HOUR;
    const ahead = visit(NOW - DAY, [edit(first), edit(first + MINUTE)]);
    expect(ofType(desiredAppointmentJobs(ahead, [], plan, NOW), 'changeAlert')).toEqual([{ occasion: `change@${first}`, dueAt: NOW + CHANGE_SETTLE_MS, state: 'planned' }]);
    const behind = visit(NOW - DAY, [edit(NOW - 30_000)]);
    expect(ofType(desiredAppointmentJobs(behind, [], plan, NOW), 'changeAlert')).toEqual([{ occasion: `change@${NOW - 30_000}`, dueAt: NOW - 30_000 + CHANGE_SETTLE_MS, state: 'planned' }]);
    // Counted from now, the time moves with every plan: the dispatcher sends at the stored time instead of holding it back.
    expect(desiredAppointmentJobs(ahead, [], plan, NOW).find((j) => j.type === 'changeAlert')?.dueFromNow).toBe(first + MINUTE);
    expect(desiredAppointmentJobs(behind, [], plan, NOW).find((j) => j.type === 'changeAlert')?.dueFromNow).toBeUndefined();
  });

  it('a cancellation notice is due now and keeps its occasion (the cancellation’s own time)', () => {
    const at = NOW + HOUR;
    const cancelled = visit(NOW - DAY, [{ at: iso(at), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }], { status: 'cancelled' });
    expect(ofType(desiredAppointmentJobs(cancelled, [], plan, NOW), 'cancellationNotice')).toEqual([{ occasion: `cancelled@${at}`, dueAt: NOW, state: 'planned' }]);
    const silent = visit(NOW - DAY, [{ at: iso(at), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled', notify: false }], { status: 'cancelled' });
    expect(ofType(desiredAppointmentJobs(silent, [], plan, NOW), 'cancellationNotice')).toEqual([{ occasion: `cancelled@${at}`, dueAt: NOW, state: 'skipped' }]);
  });

  it('a cancellation stamped after the start by a clock ahead is told while the visit has not begun by this desk’s clock', () => {
    // Cancelled 40 minutes before the start by a desk an hour fast: stamped 20 minutes after it.
    const at = START + 20 * MINUTE;
    const cancelled = visit(NOW - DAY, [{ at: iso(at), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }], { status: 'cancelled' });
    const behind = START - 40 * MINUTE;
    expect(ofType(desiredAppointmentJobs(cancelled, [], plan, behind), 'cancellationNotice')).toEqual([{ occasion: `cancelled@${at}`, dueAt: behind, state: 'planned' }]);
    // The desk that cancelled, its clock past the start, plans nothing of its own but keeps the one planned behind it.
    expect(ofType(desiredAppointmentJobs(cancelled, [], plan, at), 'cancellationNotice')).toEqual([]);
    const existingIds = new Set([`cancellationNotice|a1|cancelled@${at}|cascade`]);
    expect(ofType(desiredAppointmentJobs(cancelled, [], plan, at, { existingIds }), 'cancellationNotice')).toEqual([{ occasion: `cancelled@${at}`, dueAt: at, state: 'planned' }]);
    // Cancelled after the visit began by every clock: no notice.
    expect(ofType(desiredAppointmentJobs(cancelled, [], plan, START + 30 * MINUTE), 'cancellationNotice')).toEqual([]);
  });

  it('a change alert of a move shortly before the start, stamped after it by a clock ahead, is planned by the desk behind', () => {
    const movedAt = START - 30 * MINUTE + HOUR;
    const moved = visit(NOW - DAY, [{ at: iso(movedAt), by: 'desk', kind: 'moved', from: iso(START + 3 * HOUR), to: iso(START) }]);
    const behind = START - 30 * MINUTE;
    expect(ofType(desiredAppointmentJobs(moved, [], plan, behind), 'changeAlert')).toEqual([{ occasion: `change@${movedAt}`, dueAt: behind + CHANGE_SETTLE_MS, state: 'planned' }]);
  });

  it('a bonus accrual is due now, and still waits for the end of quiet hours', () => {
    const perk = (createdAtMs: number): ClientPerk => ({ id: 'p1', locationId: 'l1', clientId: 'c1', kind: 'bonusAccrual', points: 50, balanceAfter: 150, used: false, createdAt: iso(createdAtMs), createdAtMs });
    expect(desiredPerkJobs(perk(NOW + HOUR), plan, NOW).map((j) => [j.occasion, j.dueAt])).toEqual([['credited', NOW]]);
    // 22:30 in Berlin, credited by a clock an hour ahead: due at 09:00 the next morning, as it was.
    const night = Date.parse('2026-11-23T21:30:00.000Z');
    expect(desiredPerkJobs(perk(night + HOUR), plan, night).map((j) => j.dueAt)).toEqual([Date.parse('2026-11-24T08:00:00.000Z')]);
  });

  it('leaves the types anchored to the visit or a delay as they were: a reminder is due before the start, not now', () => {
    const reminders = ofType(desiredAppointmentJobs(visit(NOW + HOUR), [], plan, NOW), 'reminder');
    expect(reminders.map((j) => j.dueAt)).toEqual([START - DAY, START - 2 * HOUR]);
  });
});
