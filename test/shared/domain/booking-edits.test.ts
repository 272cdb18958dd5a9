import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import {
  bookingWarnings,
  cancelAppointment,
  changeServices,
  changeStatus,
  createAppointment,
  durationOfServices,
  moveAppointment,
  nextStatuses,
  reassignAppointment,
} from '../../../shared/domain/booking-edits.ts';
import type { Service } from '../../../shared/domain/service.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import { wallClockToUtc } from '../../../shared/domain/zoned-time.ts';

const TZ = 'Europe/Berlin';
const at = (date: string, time: string) => wallClockToUtc(date, time, TZ);
const NOW = at('2026-03-02', '09:00');

const service = (id: string, durationMinutes: number, priceMinor = 1000): Service => ({
  id, locationId: 'loc', name: id, category: 'hair', durationMinutes, priceMinor, excludeFromReviewRequests: false, active: true, createdAt: '2025-01-01T00:00:00.000Z',
});
const services = [service('cut', 60, 6500), service('dry', 45, 4000), service('brow', 30, 3200)];
const hours = [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }];
const staff = (id: string, name: string, active = true): Staff => ({
  id, locationId: 'loc', name, role: 'specialist', serviceIds: ['cut', 'dry'], desktopToasts: true, active, createdAt: '2025-01-01T00:00:00.000Z',
  workingHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
});
const anna = staff('anna', 'Anna');
const ben = staff('ben', 'Ben');

function booked(startMs = at('2026-03-03', '10:00')): Appointment {
  const result = createAppointment({ id: 'a1', locationId: 'loc', clientId: 'c1', staffId: 'anna', serviceIds: ['cut', 'dry'], startMs, now: NOW }, services, anna);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('createAppointment', () => {
  it('builds a booked desk appointment with the duration and price of its services and a created entry', () => {
    const a = booked();
    expect(a.status).toBe('booked');
    expect(a.source).toBe('desk');
    expect(a.startMs).toBe(Date.parse(a.start));
    expect(Date.parse(a.end) - a.startMs).toBe(105 * 60_000);
    expect(a.priceMinor).toBe(10_500);
    expect(a.history).toEqual([{ at: new Date(NOW).toISOString(), by: 'desk', kind: 'created', to: a.start }]);
  });

  it('refuses what cannot be booked, saying why', () => {
    const base = { id: 'x', locationId: 'loc', clientId: 'c1', staffId: 'anna', serviceIds: ['cut'], startMs: NOW, now: NOW };
    expect(createAppointment({ ...base, serviceIds: [] }, services)).toEqual({ ok: false, error: 'choose at least one service' });
    expect(createAppointment({ ...base, clientId: '' }, services)).toMatchObject({ ok: false, error: expect.stringContaining('client') });
    expect(createAppointment({ ...base, serviceIds: ['nope'] }, services)).toMatchObject({ ok: false, error: expect.stringContaining('"nope" does not exist') });
    expect(createAppointment({ ...base, serviceIds: ['cut', 'cut'] }, services)).toMatchObject({ ok: false, error: expect.stringContaining('twice') });
    expect(createAppointment(base, services, staff('gone', 'Gone', false))).toMatchObject({ ok: false, error: expect.stringContaining('no longer works') });
  });

  it('adds up durations', () => {
    expect(durationOfServices(['cut', 'brow'], services)).toEqual({ ok: true, value: 90 });
  });
});

describe('edits append the right history entry', () => {
  const later = NOW + 3600_000;

  it('move keeps the duration and records from/to starts', () => {
    const a = booked();
    const to = at('2026-03-04', '15:00');
    const moved = moveAppointment(a, to, later);
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.value.startMs).toBe(to);
    expect(Date.parse(moved.value.end) - to).toBe(105 * 60_000);
    expect(moved.value.history.at(-1)).toEqual({ at: new Date(later).toISOString(), by: 'desk', kind: 'moved', from: a.start, to: new Date(to).toISOString() });
    expect(moved.value.updatedAt).toBe(new Date(later).toISOString());
    expect(moveAppointment(a, a.startMs, later)).toMatchObject({ ok: false });
  });

  it('reassign records the staff ids', () => {
    const result = reassignAppointment(booked(), ben, later);
    expect(result.ok && result.value.history.at(-1)).toMatchObject({ kind: 'reassigned', from: 'anna', to: 'ben' });
    expect(reassignAppointment(booked(), anna, later)).toMatchObject({ ok: false, error: 'Anna already has this visit' });
  });

  it('changing services moves the end and records the id lists', () => {
    const result = changeServices(booked(), ['brow'], services, later);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Date.parse(result.value.end) - result.value.startMs).toBe(30 * 60_000);
    expect(result.value.priceMinor).toBe(3200);
    expect(result.value.history.at(-1)).toMatchObject({ kind: 'servicesChanged', from: 'cut,dry', to: 'brow' });
  });

  it('status changes follow STATUS_TRANSITIONS', () => {
    const a = booked();
    expect(changeStatus(a, 'completed', later)).toMatchObject({ ok: false, error: expect.stringContaining('cannot become completed') });
    const arrived = changeStatus(a, 'arrived', later);
    expect(arrived.ok && arrived.value.history.at(-1)).toMatchObject({ kind: 'statusChanged', from: 'booked', to: 'arrived' });
    if (!arrived.ok) return;
    const done = changeStatus(arrived.value, 'completed', later + 1);
    expect(done.ok && done.value.status).toBe('completed');
    const cancelled = cancelAppointment(a, later);
    expect(cancelled.ok && cancelled.value.history.at(-1)).toMatchObject({ kind: 'statusChanged', from: 'booked', to: 'cancelled' });
    expect(nextStatuses('booked')).toEqual(['confirmed', 'arrived', 'noShow', 'cancelled']);
    expect(nextStatuses('cancelled')).toEqual(['booked']);
  });

  it('a cancelled or completed visit cannot be moved, reassigned or re-serviced', () => {
    const cancelled = cancelAppointment(booked(), later);
    if (!cancelled.ok) throw new Error(cancelled.error);
    expect(moveAppointment(cancelled.value, NOW + 86_400_000, later)).toMatchObject({ ok: false, error: expect.stringContaining('restore it to booked first') });
    expect(reassignAppointment(cancelled.value, ben, later)).toMatchObject({ ok: false });
    expect(changeServices(cancelled.value, ['brow'], services, later)).toMatchObject({ ok: false });
  });
});

describe('bookingWarnings', () => {
  const base = { clientId: 'c2', staff: anna, timeZone: TZ, now: NOW };

  it('warns about overlaps with the specialist and with the client, ignoring cancelled visits and itself', () => {
    const other = booked(at('2026-03-03', '10:00'));
    const start = at('2026-03-03', '11:00');
    const w = bookingWarnings({ ...base, startMs: start, endMs: start + 3600_000, others: [other] });
    expect(w.map((x) => x.kind)).toEqual(['overlap']);
    const asClient = bookingWarnings({ ...base, clientId: 'c1', staff: ben, startMs: start, endMs: start + 3600_000, others: [other] });
    expect(asClient.map((x) => x.kind)).toEqual(['clientOverlap']);
    const cancelled = cancelAppointment(other, NOW);
    expect(cancelled.ok && bookingWarnings({ ...base, startMs: start, endMs: start + 3600_000, others: [cancelled.value] })).toEqual([]);
    expect(bookingWarnings({ ...base, id: 'a1', startMs: start, endMs: start + 3600_000, others: [other] })).toEqual([]);
    // Touching intervals do not overlap.
    const after = Date.parse(other.end);
    expect(bookingWarnings({ ...base, startMs: after, endMs: after + 1800_000, others: [other] })).toEqual([]);
  });

  it('warns outside working hours (lunch break, evening) and on days off, in the location zone', () => {
    const lunch = at('2026-03-03', '12:30');
    expect(bookingWarnings({ ...base, startMs: lunch, endMs: lunch + 3600_000, others: [] }).map((w) => w.kind)).toEqual(['outsideHours']);
    const saturday = at('2026-03-07', '10:00');
    expect(bookingWarnings({ ...base, startMs: saturday, endMs: saturday + 3600_000, others: [] })[0]?.message).toBe('Anna does not work on Saturdays');
    const fine = at('2026-03-03', '14:00');
    expect(bookingWarnings({ ...base, startMs: fine, endMs: fine + 4 * 3600_000, others: [] })).toEqual([]);
    // Across the spring DST change (29 March in Berlin) 09:00 local is still inside the hours.
    const afterDst = at('2026-03-30', '09:00');
    expect(bookingWarnings({ ...base, startMs: afterDst, endMs: afterDst + 3600_000, others: [] })).toEqual([]);
  });

  it('warns about times in the past', () => {
    const past = at('2026-03-02', '08:00') - 86_400_000;
    expect(bookingWarnings({ ...base, startMs: past, endMs: past + 3600_000, others: [] }).map((w) => w.kind)).toContain('past');
  });
});
