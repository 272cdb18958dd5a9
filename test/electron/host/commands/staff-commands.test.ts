/** `staff.save` and `services.save` on a real host: whole documents checked against the domain, coded refusals, nothing deleted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, OTHER_LOCATION, call, issueKeys, seedBookingSalon } from './support/booking-salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;

beforeAll(async () => {
  running = await startMemoryHost('staff-commands');
  host = running.host;
  db = host.runtime.db;
  await seedBookingSalon(db, Date.now());
}, 60_000);

afterAll(async () => {
  await running.stop();
});

const WEEK = { mon: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }], tue: [{ start: '10:00', end: '19:00' }], wed: [], thu: [], fri: [], sat: [], sun: [] };
const person = { locationId: LOCATION_ID, name: ' Lea Brandt ', role: 'specialist', serviceIds: ['svc-cut', 'svc-color'], workingHours: WEEK, desktopToasts: true };

async function snapshot(): Promise<string> {
  const [staff, services] = await Promise.all([db.staff.find().exec(), db.services.find().exec()]);
  return JSON.stringify([staff.map((d) => d.toJSON(true)), services.map((d) => d.toJSON(true))]);
}

async function refused(channel: string, payload: unknown, code = 'invalid_request'): Promise<string[]> {
  const before = await snapshot();
  const result = await call(host, channel, payload);
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect(await snapshot()).toBe(before);
  return issueKeys(result);
}

describe('staff.save', () => {
  it('creates a staff member with hours, days off and contacts normalised for the location’s country', async () => {
    const result = await call(host, 'staff.save', {
      ...person,
      timeOff: [{ from: '2026-12-28', to: '2027-01-03', kind: 'vacation' }, { from: '2026-12-24', to: '2026-12-24', kind: 'dayOff', note: 'Christmas Eve' }],
      phone: '0170 1234567',
      email: 'Lea@Lumiere.EXAMPLE',
      ntfyTopic: 'lea-desk',
    });
    expect(result).toMatchObject({ ok: true, value: { created: true } });
    const doc = (await db.staff.findOne((result as { value: { staffId: string } }).value.staffId).exec())!.toJSON();
    expect(doc).toMatchObject({ locationId: LOCATION_ID, name: 'Lea Brandt', phone: '+491701234567', email: 'Lea@lumiere.example', adminPush: { ntfyTopic: 'lea-desk' }, active: true, desktopToasts: true });
    expect(doc.timeOff!.map((t) => t.from)).toEqual(['2026-12-24', '2026-12-28']);
  });

  it('refuses hours that end before they start or overlap, backwards time off, foreign services and bad contacts — all at once', async () => {
    const keys = await refused('staff.save', {
      ...person,
      name: ' ',
      serviceIds: ['svc-cut', 'svc-far', 'svc-ghost'],
      workingHours: { ...WEEK, wed: [{ start: '12:00', end: '10:00' }], thu: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '18:00' }] },
      timeOff: [{ from: '2026-12-10', to: '2026-12-01', kind: 'vacation' }, { from: '2026-02-30', to: '2026-03-01', kind: 'dayOff' }],
      phone: '0151 2',
    });
    expect(keys).toEqual([
      'staff.name.required@name',
      'staff.hours.endBeforeStart@workingHours.wed.0',
      'staff.hours.overlap@workingHours.thu',
      'staff.timeOff.endBeforeStart@timeOff.0.to',
      'staff.timeOff.date@timeOff.1.from',
      'staff.service.wrongLocation@serviceIds.1',
      'staff.service.unknown@serviceIds.2',
      'client.phone.length@phone',
    ]);
  });

  it('refuses a name with a line break or tab and one that shows as nothing; keeps a name without its direction overrides', async () => {
    // A line break in a specialist's name splits the client's SMS ("your specialist Lea\nBrandt") and the team toast.
    expect(await refused('staff.save', { ...person, name: 'Lea\nBrandt' })).toEqual(['staff.name.controlCharacter@name']);
    expect(await refused('staff.save', { ...person, name: 'Lea\tBrandt' })).toEqual(['staff.name.controlCharacter@name']);
    expect(await refused('staff.save', { ...person, name: '\u200b\u202e ' })).toEqual(['staff.name.required@name']);
    const saved = await call(host, 'staff.save', { ...person, name: '\u202eLea Brandt\u202c' });
    expect(saved).toMatchObject({ ok: true });
    expect((await db.staff.findOne((saved as { value: { staffId: string } }).value.staffId).exec())!.name).toBe('Lea Brandt');
  });

  it('edits and deactivates over the revision the desk saw; a stale edit, a foreign or unknown person is refused', async () => {
    const doc = (await db.staff.findOne('st-mila').exec())!;
    const revision = doc.revision;
    const edit = await call(host, 'staff.save', { ...person, staffId: 'st-mila', expectedRevision: revision, name: 'Mila Novak', active: false, email: '' });
    expect(edit).toMatchObject({ ok: true, value: { created: false } });
    const after = (await db.staff.findOne('st-mila').exec())!.toJSON();
    expect(after).toMatchObject({ name: 'Mila Novak', active: false, workingHours: WEEK, createdAt: doc.createdAt });
    expect(await refused('staff.save', { ...person, staffId: 'st-mila', expectedRevision: revision }, 'conflict')).toEqual(['staff.changedElsewhere@expectedRevision']);
    expect(await refused('staff.save', { ...person, staffId: 'st-far', expectedRevision: revision, serviceIds: [] })).toEqual(['staff.wrongLocation@staffId']);
    expect(await refused('staff.save', { ...person, staffId: 'st-ghost', expectedRevision: revision }, 'not_found')).toEqual(['staff.notFound@staffId']);
    expect(await refused('staff.save', { ...person, staffId: 'st-sophie' })).toEqual(['command.revisionRequired@expectedRevision']);
    expect(await refused('staff.save', { ...person, role: 'wizard' })).toEqual(['request.invalid@role']);
    // Still there: deactivating never deletes.
    expect(await db.staff.count({ selector: { id: 'st-mila' } }).exec()).toBe(1);
  });
});

describe('services.save', () => {
  const cut = { locationId: LOCATION_ID, name: 'Brow shaping', category: 'brows', durationMinutes: 30, priceMinor: 2500, repeatIntervalDays: 28, excludeFromReviewRequests: true };

  it('creates a service with its repeat interval and review exclusion, and clears the interval with null', async () => {
    const created = await call(host, 'services.save', cut);
    expect(created).toMatchObject({ ok: true, value: { created: true } });
    const id = (created as { value: { serviceId: string } }).value.serviceId;
    const doc = (await db.services.findOne(id).exec())!;
    expect(doc.toJSON()).toMatchObject({ name: 'Brow shaping', repeatIntervalDays: 28, excludeFromReviewRequests: true, active: true });
    const edited = await call(host, 'services.save', { ...cut, serviceId: id, expectedRevision: doc.revision, repeatIntervalDays: null, active: false });
    expect(edited.ok).toBe(true);
    const after = (await db.services.findOne(id).exec())!.toJSON();
    expect(after.repeatIntervalDays).toBeUndefined();
    expect(after.active).toBe(false);
  });

  it('refuses an empty name, numbers out of range, a service of another location and a stale edit', async () => {
    expect(await refused('services.save', { ...cut, name: '  ' })).toEqual(['service.name.required@name']);
    expect(await refused('services.save', { ...cut, name: 'Brow\r\nshaping' })).toEqual(['service.name.controlCharacter@name']);
    expect(await refused('services.save', { ...cut, durationMinutes: 2, repeatIntervalDays: 0 })).toEqual(['request.tooSmall@durationMinutes', 'request.tooSmall@repeatIntervalDays']);
    const far = (await db.services.findOne('svc-far').exec())!;
    expect(await refused('services.save', { ...cut, serviceId: 'svc-far', expectedRevision: far.revision })).toEqual(['service.wrongLocation@serviceId']);
    const color = (await db.services.findOne('svc-color').exec())!;
    expect((await call(host, 'services.save', { ...cut, serviceId: 'svc-color', expectedRevision: color.revision, name: 'Colouring' })).ok).toBe(true);
    expect(await refused('services.save', { ...cut, serviceId: 'svc-color', expectedRevision: color.revision }, 'conflict')).toEqual(['service.changedElsewhere@expectedRevision']);
    void OTHER_LOCATION;
  });
});
