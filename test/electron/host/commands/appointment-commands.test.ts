/**
 * The appointment commands on a real host (memory storage, real engine): each refusal names its field with a stable
 * code and leaves the book untouched; accepted commands write the document the engine then plans from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../../../shared/domain/zoned-time.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, OTHER_LOCATION, bookSnapshot, call, issueKeys, seedBookingSalon } from './support/booking-salon.ts';

const TZ = 'Europe/Berlin';
let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
/** A few days ahead, in the salon's zone. */
const day = (offset: number) => addDaysToLocalDate(utcToWallClock(Date.now(), TZ).date, offset);

beforeAll(async () => {
  running = await startMemoryHost('appointment-commands');
  host = running.host;
  db = host.runtime.db;
  await seedBookingSalon(db, Date.now());
}, 60_000);

afterAll(async () => {
  await running.stop();
});

const booking = (overrides: Record<string, unknown> = {}) => ({
  locationId: LOCATION_ID,
  client: { kind: 'existing', id: 'c-anna' },
  staffId: 'st-sophie',
  serviceIds: ['svc-cut'],
  start: { date: day(3), time: '10:00' },
  ...overrides,
});

async function book(overrides: Record<string, unknown> = {}): Promise<{ id: string; revision: string }> {
  const result = await call(host, 'appointments.create', booking(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const value = result.value as { appointmentId: string; revision: string };
  return { id: value.appointmentId, revision: value.revision };
}

async function stored(id: string): Promise<Appointment> {
  return (await db.appointments.findOne(id).exec())!.toMutableJSON();
}

/** Runs a command that must be refused; checks nothing in the book changed and answers the issues. */
async function refused(channel: string, payload: unknown, code = 'invalid_request'): Promise<string[]> {
  const before = await bookSnapshot(db);
  const result = await call(host, channel, payload);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
  expect(await bookSnapshot(db)).toBe(before);
  return issueKeys(result);
}

describe('appointments.create', () => {
  it('books an existing client at a local time in the salon zone, for the services’ duration', async () => {
    const { id, revision } = await book();
    const a = await stored(id);
    expect(revision).toMatch(/^1-/);
    expect(a).toMatchObject({ locationId: LOCATION_ID, clientId: 'c-anna', staffId: 'st-sophie', serviceIds: ['svc-cut'], status: 'booked', source: 'desk', priceMinor: 5500 });
    expect(utcToWallClock(a.startMs, TZ)).toMatchObject({ date: day(3), time: '10:00' });
    expect(Date.parse(a.end) - a.startMs).toBe(60 * 60_000);
    expect(a.history).toEqual([{ at: a.createdAt, by: 'desk', kind: 'created', to: a.start }]);
    // The engine plans from what the command wrote, exactly as from any other booking.
    await host.runtime.engine.idle();
    expect((await db.jobs.find({ selector: { subjectId: id } }).exec()).map((j) => j.type)).toContain('bookingConfirmation');
  });

  it('takes an explicit end', async () => {
    const { id } = await book({ start: { date: day(4), time: '09:00' }, end: { date: day(4), time: '10:30' } });
    const a = await stored(id);
    expect(Date.parse(a.end) - a.startMs).toBe(90 * 60_000);
  });

  it('creates a new client in the same command, contacts normalised for the location’s country', async () => {
    const result = await call(host, 'appointments.create', booking({ client: { kind: 'new', firstName: ' Greta ', lastName: 'Neumann', phone: '0151 2345 6789', email: 'Greta@Example.ORG' } }));
    expect(result.ok).toBe(true);
    const { appointmentId, clientId, clientCreated } = (result as { value: { appointmentId: string; clientId: string; clientCreated: boolean } }).value;
    expect(clientCreated).toBe(true);
    const client = (await db.clients.findOne(clientId).exec())!.toMutableJSON();
    expect(client).toMatchObject({ locationId: LOCATION_ID, firstName: 'Greta', lastName: 'Neumann', phone: '+4915123456789', email: 'Greta@example.org', language: 'en', optOuts: [], marketingConsent: false });
    expect((await stored(appointmentId)).clientId).toBe(clientId);
  });

  it('refuses an impossible date, naming start.date', async () => {
    expect(await refused('appointments.create', booking({ start: { date: '2026-02-30', time: '10:00' } }))).toEqual(['appointment.date.invalid@start.date']);
  });

  it('refuses a time the clocks skip (spring DST change), naming start.time', async () => {
    const result = await call(host, 'appointments.create', booking({ start: { date: '2027-03-28', time: '02:30' } }));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ code: 'appointment.time.skipped', field: 'start.time', params: { date: '2027-03-28', time: '02:30', zone: TZ } }] } });
    expect(await refused('appointments.create', booking({ start: { date: '2027-03-28', time: '02:30' } }))).toEqual(['appointment.time.skipped@start.time']);
  });

  it('refuses an end before the start, naming end', async () => {
    expect(await refused('appointments.create', booking({ end: { date: day(3), time: '09:00' } }))).toEqual(['appointment.endBeforeStart@end']);
    expect(await refused('appointments.create', booking({ end: { date: day(3), time: '25:61' } }))).toEqual(['appointment.time.invalid@end.time']);
  });

  it('refuses unknown, inactive and other-location staff and services, and a service the specialist does not do', async () => {
    expect(await refused('appointments.create', booking({ staffId: 'st-nobody' }))).toEqual(['appointment.staff.unknown@staffId']);
    expect(await refused('appointments.create', booking({ staffId: 'st-gone' }))).toEqual(['appointment.staff.inactive@staffId']);
    expect(await refused('appointments.create', booking({ staffId: 'st-far' }))).toEqual(['appointment.staff.wrongLocation@staffId']);
    expect(await refused('appointments.create', booking({ serviceIds: ['svc-cut', 'svc-nothing'] }))).toEqual(['appointment.service.unknown@serviceIds[1]']);
    expect(await refused('appointments.create', booking({ serviceIds: ['svc-old'] }))).toEqual(['appointment.service.inactive@serviceIds[0]']);
    expect(await refused('appointments.create', booking({ serviceIds: ['svc-far'] }))).toEqual(['appointment.service.wrongLocation@serviceIds[0]']);
    expect(await refused('appointments.create', booking({ serviceIds: ['svc-cut', 'svc-color'] }))).toEqual(['appointment.service.notOffered@serviceIds[1]']);
  });

  it('refuses an unknown client or one of another location, and an unknown location', async () => {
    expect(await refused('appointments.create', booking({ client: { kind: 'existing', id: 'c-ghost' } }))).toEqual(['appointment.client.unknown@client.id']);
    expect(await refused('appointments.create', booking({ client: { kind: 'existing', id: 'c-far' } }))).toEqual(['appointment.client.wrongLocation@client.id']);
    expect(await refused('appointments.create', booking({ locationId: 'loc-ghost' }), 'not_found')).toEqual(['location.unknown@locationId']);
    expect(OTHER_LOCATION).not.toBe(LOCATION_ID);
  });

  it('lists every problem at once, and writes neither the new client nor the booking', async () => {
    const keys = await refused(
      'appointments.create',
      booking({ client: { kind: 'new', firstName: 'Ida', phone: '12', email: 'ida@' }, staffId: 'st-gone', serviceIds: ['svc-old'], start: { date: '2026-02-30', time: '10:00' } }),
    );
    expect(keys).toEqual([
      'client.phone.length@client.phone',
      'client.email.invalid@client.email',
      'appointment.date.invalid@start.date',
      'appointment.staff.inactive@staffId',
      'appointment.service.inactive@serviceIds[0]',
    ]);
    expect(await refused('appointments.create', booking({ client: { kind: 'new', firstName: '  ' } }))).toEqual(['client.firstName.required@client.firstName']);
    expect(await refused('appointments.create', booking({ client: { kind: 'new', firstName: 'Ida' } }))).toEqual(['client.contact.required@client.phone']);
  });

  it('refuses by schema what cannot be an appointment at all, naming the field', async () => {
    // The request from the attack: a raw instant string with an impossible date and time.
    expect(await refused('appointments.create', booking({ start: '2026-02-30T25:61:00Z' }))).toEqual(['request.invalid@start']);
    expect(await refused('appointments.create', booking({ notes: 'x'.repeat(2001) }))).toEqual(['request.tooLong@notes']);
    expect(await refused('appointments.create', booking({ serviceIds: [] }))).toEqual(['request.tooFew@serviceIds']);
    expect(await refused('appointments.create', booking({ status: 'confirmed' }))).toEqual(['request.invalid@']);
  });
});

describe('edits of a booked visit', () => {
  it('moves, keeping the duration and recording where from', async () => {
    const { id, revision } = await book({ start: { date: day(5), time: '11:00' } });
    const before = await stored(id);
    const result = await call(host, 'appointments.move', { appointmentId: id, expectedRevision: revision, start: { date: day(6), time: '15:30' } });
    expect(result.ok).toBe(true);
    const after = await stored(id);
    expect(utcToWallClock(after.startMs, TZ)).toMatchObject({ date: day(6), time: '15:30' });
    expect(Date.parse(after.end) - after.startMs).toBe(60 * 60_000);
    expect(after.history.at(-1)).toMatchObject({ kind: 'moved', from: before.start, to: after.start });
  });

  it('changes the length: only the end moves, recorded as durationChanged (not a move)', async () => {
    const { id, revision } = await book({ start: { date: day(5), time: '09:00' } });
    const before = await stored(id);
    const result = await call(host, 'appointments.changeDuration', { appointmentId: id, expectedRevision: revision, end: { date: day(5), time: '10:45' } });
    expect(result.ok).toBe(true);
    const after = await stored(id);
    expect(after.start).toBe(before.start);
    expect(after.staffId).toBe(before.staffId);
    expect(utcToWallClock(Date.parse(after.end), TZ)).toMatchObject({ date: day(5), time: '10:45' });
    expect(after.history.at(-1)).toMatchObject({ kind: 'durationChanged', from: before.end, to: after.end });
    expect(after.history.filter((h) => h.kind === 'moved')).toHaveLength(0);
  });

  it('refuses a length change that ends before the start, is unchanged, too long, in the DST gap or malformed', async () => {
    const { id, revision } = await book({ start: { date: day(5), time: '16:00' } });
    const target = { appointmentId: id, expectedRevision: revision };
    expect(await refused('appointments.changeDuration', { ...target, end: { date: day(5), time: '15:45' } })).toEqual(['appointment.endBeforeStart@end']);
    expect(await refused('appointments.changeDuration', { ...target, end: { date: day(5), time: '17:00' } })).toEqual(['appointment.duration.unchanged@end']);
    expect(await refused('appointments.changeDuration', { ...target, end: { date: day(6), time: '08:00' } })).toEqual(['appointment.duration.tooLong@end']);
    expect(await refused('appointments.changeDuration', { ...target, end: { date: '2027-03-28', time: '02:30' } })).toEqual(['appointment.time.skipped@end.time']);
    expect(await refused('appointments.changeDuration', { ...target, end: '2026-02-30T25:61:00Z' })).toEqual(['request.invalid@end']);
    expect(await refused('appointments.changeDuration', { ...target, end: { date: day(5), time: '17:30' }, start: { date: day(5), time: '16:30' } })).toEqual(['request.invalid@']);
    expect(await refused('appointments.changeDuration', { ...target, expectedRevision: '1-stale', end: { date: day(5), time: '17:30' } }, 'conflict')).toEqual(['appointment.changedElsewhere@expectedRevision']);
  });

  it('refuses a move into the DST gap or onto the same time, and a stale or unknown visit', async () => {
    const { id, revision } = await book({ start: { date: day(5), time: '13:00' } });
    expect(await refused('appointments.move', { appointmentId: id, expectedRevision: revision, start: { date: '2027-03-28', time: '02:00' } })).toEqual(['appointment.time.skipped@start.time']);
    expect(await refused('appointments.move', { appointmentId: id, expectedRevision: revision, start: { date: day(5), time: '13:00' } })).toEqual(['appointment.move.unchanged@start']);
    expect(await refused('appointments.move', { appointmentId: id, expectedRevision: '1-stale', start: { date: day(5), time: '14:00' } }, 'conflict')).toEqual(['appointment.changedElsewhere@expectedRevision']);
    expect(await refused('appointments.move', { appointmentId: 'apt-ghost', expectedRevision: revision, start: { date: day(5), time: '14:00' } }, 'not_found')).toEqual(['appointment.notFound@appointmentId']);
  });

  it('two desks editing the same revision: one wins, the other is told to look again', async () => {
    const { id, revision } = await book({ start: { date: day(7), time: '10:00' } });
    const results = await Promise.all([
      call(host, 'appointments.move', { appointmentId: id, expectedRevision: revision, start: { date: day(7), time: '12:00' } }),
      call(host, 'appointments.reassign', { appointmentId: id, expectedRevision: revision, staffId: 'st-mila' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.find((r) => !r.ok);
    expect(lost).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'appointment.changedElsewhere', message: expect.stringContaining('make your change again') } });
    expect((await stored(id)).history).toHaveLength(2);
  });

  it('re-assigns only to an active specialist of the location who does every service', async () => {
    const { id, revision } = await book({ start: { date: day(8), time: '10:00' } });
    expect(await refused('appointments.reassign', { appointmentId: id, expectedRevision: revision, staffId: 'st-sophie' })).toEqual(['appointment.staff.same@staffId']);
    expect(await refused('appointments.reassign', { appointmentId: id, expectedRevision: revision, staffId: 'st-gone' })).toEqual(['appointment.staff.inactive@staffId']);
    expect(await refused('appointments.reassign', { appointmentId: id, expectedRevision: revision, staffId: 'st-far' })).toEqual(['appointment.staff.wrongLocation@staffId']);
    const ok = await call(host, 'appointments.reassign', { appointmentId: id, expectedRevision: revision, staffId: 'st-mila' });
    expect(ok.ok).toBe(true);
    expect((await stored(id)).history.at(-1)).toMatchObject({ kind: 'reassigned', from: 'st-sophie', to: 'st-mila' });
    // Mila does colouring, Sophie does not: back to Sophie is refused once the visit includes it.
    const revised = (ok as { value: { revision: string } }).value.revision;
    const colour = await call(host, 'appointments.changeServices', { appointmentId: id, expectedRevision: revised, serviceIds: ['svc-cut', 'svc-color'] });
    expect(colour.ok).toBe(true);
    const latest = (colour as { value: { revision: string } }).value.revision;
    expect(await refused('appointments.reassign', { appointmentId: id, expectedRevision: latest, staffId: 'st-sophie' })).toEqual(['appointment.service.notOffered@staffId']);
    const a = await stored(id);
    expect(Date.parse(a.end) - a.startMs).toBe(150 * 60_000);
    expect(a.priceMinor).toBe(14_500);
  });

  it('changes services only to ones the specialist does', async () => {
    const { id, revision } = await book({ start: { date: day(9), time: '10:00' } });
    expect(await refused('appointments.changeServices', { appointmentId: id, expectedRevision: revision, serviceIds: ['svc-color'] })).toEqual(['appointment.service.notOffered@serviceIds[0]']);
    expect(await refused('appointments.changeServices', { appointmentId: id, expectedRevision: revision, serviceIds: ['svc-cut'] })).toEqual(['appointment.services.unchanged@serviceIds']);
    expect(await refused('appointments.changeServices', { appointmentId: id, expectedRevision: revision, serviceIds: ['svc-cut', 'svc-cut'] })).toEqual(['appointment.service.duplicate@serviceIds[1]']);
  });

  it('follows the status transitions, and cancels through its own command', async () => {
    const { id, revision } = await book({ start: { date: day(10), time: '10:00' } });
    expect(await refused('appointments.setStatus', { appointmentId: id, expectedRevision: revision, status: 'completed' })).toEqual(['appointment.status.transition@status']);
    expect(await refused('appointments.setStatus', { appointmentId: id, expectedRevision: revision, status: 'cancelled' })).toEqual(['request.invalid@status']);
    // Ten days ahead: too early to be marked arrived (the host checks the time as the card does).
    expect(await refused('appointments.setStatus', { appointmentId: id, expectedRevision: revision, status: 'arrived' })).toEqual(['appointment.status.tooEarly@status']);
    const arrived = await call(host, 'appointments.setStatus', { appointmentId: id, expectedRevision: revision, status: 'confirmed' });
    expect(arrived.ok).toBe(true);
    const r1 = (arrived as { value: { revision: string } }).value.revision;
    const cancelled = await call(host, 'appointments.cancel', { appointmentId: id, expectedRevision: r1 });
    expect(cancelled.ok).toBe(true);
    const r2 = (cancelled as { value: { revision: string } }).value.revision;
    expect((await stored(id)).status).toBe('cancelled');
    expect(await refused('appointments.cancel', { appointmentId: id, expectedRevision: r2 })).toEqual(['appointment.status.same@']);
    expect(await refused('appointments.move', { appointmentId: id, expectedRevision: r2, start: { date: day(11), time: '10:00' } })).toEqual(['appointment.notEditable@']);
    const restored = await call(host, 'appointments.setStatus', { appointmentId: id, expectedRevision: r2, status: 'booked' });
    expect(restored.ok).toBe(true);
    expect((await stored(id)).history.map((h) => h.kind)).toEqual(['created', 'statusChanged', 'statusChanged', 'statusChanged']);
  });
});
