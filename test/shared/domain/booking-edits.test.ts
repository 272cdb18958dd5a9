import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import {
  bookingWarnings,
  cancelAppointment,
  changeDuration,
  changeServices,
  changeStatus,
  createAppointment,
  durationOfServices,
  instantOf,
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
const byId = new Map(services.map((s) => [s.id, s]));
const refs = { staff: anna, services: byId };
const codes = (result: { ok: boolean; issues?: { code: string; field?: string }[] }) => (result.ok ? [] : result.issues!.map((i) => `${i.code}@${i.field ?? ''}`));

function booked(startMs = at('2026-03-03', '10:00')): Appointment {
  const result = createAppointment({ id: 'a1', locationId: 'loc', clientId: 'c1', staffId: 'anna', serviceIds: ['cut', 'dry'], startMs, now: NOW }, refs);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
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

  it('refuses what cannot be booked, with a code and the field for each problem', () => {
    const base = { id: 'x', locationId: 'loc', clientId: 'c1', staffId: 'anna', serviceIds: ['cut'], startMs: NOW, now: NOW };
    expect(createAppointment({ ...base, serviceIds: [] }, refs)).toEqual({ ok: false, issues: [{ code: 'appointment.services.required', field: 'serviceIds', message: 'choose at least one service' }] });
    expect(codes(createAppointment({ ...base, clientId: '' }, refs))).toEqual(['appointment.client.required@client']);
    expect(createAppointment({ ...base, serviceIds: ['nope'] }, refs)).toMatchObject({ ok: false, issues: [{ code: 'appointment.service.unknown', field: 'serviceIds[0]', params: { id: 'nope' } }] });
    expect(codes(createAppointment({ ...base, serviceIds: ['cut', 'cut'] }, refs))).toEqual(['appointment.service.duplicate@serviceIds[1]']);
    expect(createAppointment(base, { ...refs, staff: staff('gone', 'Gone', false) })).toMatchObject({ ok: false, issues: [{ code: 'appointment.staff.inactive', field: 'staffId', params: { staff: 'Gone' } }] });
    expect(codes(createAppointment({ ...base, staffId: 'ghost' }, { ...refs, staff: undefined }))).toEqual(['appointment.staff.unknown@staffId']);
    expect(codes(createAppointment(base, { ...refs, staff: { ...anna, locationId: 'elsewhere' } }))).toEqual(['appointment.staff.wrongLocation@staffId']);
    expect(codes(createAppointment({ ...base, serviceIds: ['brow'] }, refs))).toEqual(['appointment.service.notOffered@serviceIds[0]']);
    const retired = new Map(byId).set('cut', { ...service('cut', 60), active: false });
    expect(codes(createAppointment(base, { ...refs, services: retired }))).toEqual(['appointment.service.inactive@serviceIds[0]']);
    const foreign = new Map(byId).set('cut', { ...service('cut', 60), locationId: 'elsewhere' });
    expect(codes(createAppointment(base, { ...refs, services: foreign }))).toEqual(['appointment.service.wrongLocation@serviceIds[0]']);
  });

  it('checks the end: after the start, 5 minutes to 12 hours', () => {
    const base = { id: 'x', locationId: 'loc', clientId: 'c1', staffId: 'anna', serviceIds: ['cut'], startMs: NOW, now: NOW };
    expect(codes(createAppointment({ ...base, endMs: NOW - 60_000 }, refs))).toEqual(['appointment.endBeforeStart@end']);
    expect(codes(createAppointment({ ...base, endMs: NOW }, refs))).toEqual(['appointment.endBeforeStart@end']);
    expect(codes(createAppointment({ ...base, endMs: NOW + 60_000 }, refs))).toEqual(['appointment.duration.tooShort@end']);
    expect(codes(createAppointment({ ...base, endMs: NOW + 13 * 3600_000 }, refs))).toEqual(['appointment.duration.tooLong@end']);
    const long = createAppointment({ ...base, endMs: NOW + 90 * 60_000 }, refs);
    expect(long.ok && Date.parse(long.value.end) - long.value.startMs).toBe(90 * 60_000);
  });

  it('lists every problem at once', () => {
    const result = createAppointment({ id: 'x', locationId: 'loc', clientId: '', staffId: 'anna', serviceIds: ['nope', 'brow'], startMs: NOW, endMs: NOW - 1, now: NOW }, refs);
    expect(codes(result)).toEqual([
      'appointment.client.required@client',
      'appointment.service.unknown@serviceIds[0]',
      'appointment.service.notOffered@serviceIds[1]',
      'appointment.endBeforeStart@end',
    ]);
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
    expect(codes(moveAppointment(a, a.startMs, later))).toEqual(['appointment.move.unchanged@start']);
  });

  it('a length change moves only the end and is recorded as durationChanged, never as a move', () => {
    const a = booked();
    const end = at('2026-03-03', '12:15');
    const result = changeDuration(a, end, later);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.startMs).toBe(a.startMs);
    expect(result.value.start).toBe(a.start);
    expect(result.value.staffId).toBe(a.staffId);
    expect(result.value.end).toBe(new Date(end).toISOString());
    expect(result.value.history.at(-1)).toEqual({ at: new Date(later).toISOString(), by: 'desk', kind: 'durationChanged', from: a.end, to: new Date(end).toISOString() });
    expect(result.value.history.some((h) => h.kind === 'moved')).toBe(false);
  });

  it('a length change is refused when unchanged, ending before the start, too short or too long, or for a closed visit', () => {
    const a = booked();
    expect(codes(changeDuration(a, Date.parse(a.end), later))).toEqual(['appointment.duration.unchanged@end']);
    expect(codes(changeDuration(a, a.startMs, later))).toEqual(['appointment.endBeforeStart@end']);
    expect(codes(changeDuration(a, a.startMs - 60_000, later))).toEqual(['appointment.endBeforeStart@end']);
    expect(codes(changeDuration(a, a.startMs + 4 * 60_000, later))).toEqual(['appointment.duration.tooShort@end']);
    expect(codes(changeDuration(a, a.startMs + 13 * 3600_000, later))).toEqual(['appointment.duration.tooLong@end']);
    const cancelled = cancelAppointment(a, later);
    if (!cancelled.ok) throw new Error('cancel refused');
    expect(codes(changeDuration(cancelled.value, a.startMs + 30 * 60_000, later))).toEqual(['appointment.notEditable@']);
  });

  it('reassign records the staff ids; the new specialist must do every service', () => {
    const visitServices = [byId.get('cut')!, byId.get('dry')!];
    const result = reassignAppointment(booked(), ben, 'ben', visitServices, later);
    expect(result.ok && result.value.history.at(-1)).toMatchObject({ kind: 'reassigned', from: 'anna', to: 'ben' });
    expect(reassignAppointment(booked(), anna, 'anna', visitServices, later)).toMatchObject({ ok: false, issues: [{ code: 'appointment.staff.same', field: 'staffId', message: 'Anna already has this visit' }] });
    const nails = { ...ben, id: 'nora', name: 'Nora', serviceIds: ['brow'] };
    expect(codes(reassignAppointment(booked(), nails, 'nora', visitServices, later))).toEqual(['appointment.service.notOffered@staffId', 'appointment.service.notOffered@staffId']);
    expect(codes(reassignAppointment(booked(), undefined, 'ghost', visitServices, later))).toEqual(['appointment.staff.unknown@staffId']);
  });

  it('changing services moves the end and records the id lists', () => {
    const result = changeServices(booked(), ['cut'], byId, anna, later);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Date.parse(result.value.end) - result.value.startMs).toBe(60 * 60_000);
    expect(result.value.priceMinor).toBe(6500);
    expect(result.value.history.at(-1)).toMatchObject({ kind: 'servicesChanged', from: 'cut,dry', to: 'cut' });
    // Anna does not do brows; the same list is no change.
    expect(codes(changeServices(booked(), ['cut', 'brow'], byId, anna, later))).toEqual(['appointment.service.notOffered@serviceIds[1]']);
    expect(codes(changeServices(booked(), ['cut', 'dry'], byId, anna, later))).toEqual(['appointment.services.unchanged@serviceIds']);
  });

  it('status changes follow STATUS_TRANSITIONS', () => {
    const a = booked();
    expect(changeStatus(a, 'completed', later)).toMatchObject({
      ok: false,
      issues: [{ code: 'appointment.status.transition', field: 'status', params: { from: 'booked', to: 'completed', allowed: 'confirmed,arrived,cancelled,noShow' }, message: expect.stringContaining('cannot become completed') }],
    });
    expect(codes(changeStatus(a, 'booked', later))).toEqual(['appointment.status.same@status']);
    const atVisit = at('2026-03-03', '10:05');
    const arrived = changeStatus(a, 'arrived', atVisit);
    expect(arrived.ok && arrived.value.history.at(-1)).toMatchObject({ kind: 'statusChanged', from: 'booked', to: 'arrived' });
    if (!arrived.ok) return;
    const done = changeStatus(arrived.value, 'completed', atVisit + 1);
    expect(done.ok && done.value.status).toBe('completed');
    const cancelled = cancelAppointment(a, later);
    expect(cancelled.ok && cancelled.value.history.at(-1)).toMatchObject({ kind: 'statusChanged', from: 'booked', to: 'cancelled' });
    expect(nextStatuses('booked')).toEqual(['confirmed', 'arrived', 'noShow', 'cancelled']);
    expect(nextStatuses('cancelled')).toEqual(['booked']);
  });

  it('a cancelled or completed visit cannot be moved, reassigned or re-serviced', () => {
    const cancelled = cancelAppointment(booked(), later);
    if (!cancelled.ok) throw new Error(JSON.stringify(cancelled.issues));
    expect(moveAppointment(cancelled.value, NOW + 86_400_000, later)).toMatchObject({ ok: false, issues: [{ code: 'appointment.notEditable', params: { status: 'cancelled' }, message: expect.stringContaining('restore it to booked first') }] });
    expect(codes(reassignAppointment(cancelled.value, ben, 'ben', [], later))).toEqual(['appointment.notEditable@']);
    expect(codes(changeServices(cancelled.value, ['cut'], byId, anna, later))).toEqual(['appointment.notEditable@']);
  });
});

describe('instantOf: local date and time in the location zone', () => {
  it('reads a real local time', () => {
    expect(instantOf({ date: '2026-03-03', time: '10:00' }, TZ, 'start')).toEqual({ ok: true, ms: Date.parse('2026-03-03T09:00:00Z') });
  });

  it('refuses impossible dates, times and the spring DST gap, naming the part', () => {
    expect(instantOf({ date: '2026-02-30', time: '10:00' }, TZ, 'start')).toMatchObject({ ok: false, issues: [{ code: 'appointment.date.invalid', field: 'start.date', params: { date: '2026-02-30' } }] });
    expect(instantOf({ date: '2026-13-01', time: '10:00' }, TZ, 'start')).toMatchObject({ ok: false, issues: [{ code: 'appointment.date.invalid' }] });
    expect(instantOf({ date: '2026-03-03', time: '25:61' }, TZ, 'end')).toMatchObject({ ok: false, issues: [{ code: 'appointment.time.invalid', field: 'end.time' }] });
    expect(instantOf({ date: '1999-12-31', time: '10:00' }, TZ, 'start')).toMatchObject({ ok: false, issues: [{ code: 'appointment.date.outOfRange', field: 'start.date' }] });
    // 29 March 2026, 02:30 does not happen in Berlin: the clocks jump from 02:00 to 03:00.
    expect(instantOf({ date: '2026-03-29', time: '02:30' }, TZ, 'start')).toMatchObject({
      ok: false,
      issues: [{ code: 'appointment.time.skipped', field: 'start.time', params: { date: '2026-03-29', time: '02:30', zone: TZ } }],
    });
    // In the autumn overlap 02:30 happens twice; the earlier one is meant.
    expect(instantOf({ date: '2026-10-25', time: '02:30' }, TZ, 'start')).toEqual({ ok: true, ms: Date.parse('2026-10-25T00:30:00Z') });
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
    expect(bookingWarnings({ ...base, startMs: saturday, endMs: saturday + 3600_000, others: [] })[0]).toMatchObject({ kind: 'dayOff', message: 'Anna does not work on Saturdays', params: { staff: 'Anna', weekday: 'sat' } });
    const fine = at('2026-03-03', '14:00');
    expect(bookingWarnings({ ...base, startMs: fine, endMs: fine + 4 * 3600_000, others: [] })).toEqual([]);
    // Across the spring DST change (29 March in Berlin) 09:00 local is still inside the hours.
    const afterDst = at('2026-03-30', '09:00');
    expect(bookingWarnings({ ...base, startMs: afterDst, endMs: afterDst + 3600_000, others: [] })).toEqual([]);
  });

  it('warns on a dated day off, a vacation and sick leave, whatever the weekly hours say', () => {
    const away = { ...anna, timeOff: [
      { from: '2026-03-03', to: '2026-03-03', kind: 'dayOff' as const },
      { from: '2026-03-09', to: '2026-03-13', kind: 'vacation' as const },
      { from: '2026-03-16', to: '2026-03-16', kind: 'sickLeave' as const },
    ] };
    const warn = (date: string) => bookingWarnings({ ...base, staff: away, startMs: at(date, '10:00'), endMs: at(date, '11:00'), others: [] });
    expect(warn('2026-03-03')).toMatchObject([{ kind: 'dayOffDate', params: { staff: 'Anna', from: '2026-03-03', to: '2026-03-03' } }]);
    expect(warn('2026-03-11')).toMatchObject([{ kind: 'vacation', params: { from: '2026-03-09', to: '2026-03-13' } }]);
    expect(warn('2026-03-16').map((w) => w.kind)).toEqual(['sickLeave']);
    // The day after the vacation is an ordinary Tuesday.
    expect(warn('2026-03-17')).toEqual([]);
  });

  it('warns about times in the past', () => {
    const past = at('2026-03-02', '08:00') - 86_400_000;
    expect(bookingWarnings({ ...base, startMs: past, endMs: past + 3600_000, others: [] }).map((w) => w.kind)).toContain('past');
  });
});

describe('status actions follow the visit’s time', () => {
  const start = at('2026-03-03', '10:00');
  it('offer arrived from an hour before the start, completed and no-show from the start, confirmed until the end', () => {
    const a = booked(start);
    expect(nextStatuses('booked', { appointment: a, now: at('2026-03-02', '18:00') })).toEqual(['confirmed', 'cancelled']);
    expect(nextStatuses('booked', { appointment: a, now: at('2026-03-03', '09:15') })).toEqual(['confirmed', 'arrived', 'cancelled']);
    expect(nextStatuses('booked', { appointment: a, now: at('2026-03-03', '10:05') })).toEqual(['confirmed', 'arrived', 'noShow', 'cancelled']);
    expect(nextStatuses('booked', { appointment: a, now: at('2026-03-03', '12:00') })).toEqual(['arrived', 'noShow']);
  });

  it('refuse "completed" before the start with a code the desk translates, and always allow an undo', () => {
    const arrivedEarly = changeStatus(booked(start), 'arrived', at('2026-03-03', '09:30'));
    expect(arrivedEarly.ok).toBe(true);
    if (!arrivedEarly.ok) return;
    expect(codes(changeStatus(arrivedEarly.value, 'completed', at('2026-03-03', '09:45')))).toEqual(['appointment.status.tooEarly@status']);
    const completed = changeStatus(arrivedEarly.value, 'completed', at('2026-03-03', '11:50'));
    expect(completed.ok).toBe(true);
    if (!completed.ok) return;
    expect(changeStatus(completed.value, 'arrived', at('2026-03-10', '09:00')).ok).toBe(true);
  });

  it('cancel with "notify client" and a reason recorded on the history entry', () => {
    const silent = cancelAppointment(booked(start), NOW, 'desk', { notifyClient: false, reason: '  Booked twice ' });
    expect(silent.ok && silent.value.history.at(-1)).toMatchObject({ kind: 'statusChanged', to: 'cancelled', notify: false, note: 'Booked twice' });
    const told = cancelAppointment(booked(start), NOW);
    expect(told.ok && told.value.history.at(-1)?.notify).toBe(true);
  });
});
