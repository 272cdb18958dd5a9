import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import { scheduleOn, type Staff } from '../../../shared/domain/staff.ts';
import { clientReach, reachReason } from '../../../shared/engine/cascade-run.ts';
import { mergeAppointments } from '../../../shared/sync/conflict-handlers.ts';

const client: Client = {
  id: 'c1', locationId: 'l1', firstName: 'Anna', lastName: 'Schmidt', phone: '+491511234567', email: 'anna@example.org', language: 'en',
  apps: { aggregator: true }, optOuts: [], marketingConsent: true, loyaltyPoints: 0, createdAt: '2026-01-01T00:00:00.000Z',
};
const ready = () => ({ ready: true as const });

describe('per-channel opt-outs', () => {
  it('skip a channel for every message ("no SMS") or only for promotional ones ("no marketing email"), saying why', () => {
    const optedOut = { ...client, channelOptOuts: { sms: 'all' as const, email: 'marketing' as const } };
    const reminder = clientReach(optedOut, ready, 'reminder');
    expect(reminder.email).toEqual({ reachable: true });
    expect(reminder.sms).toEqual({ reachable: false, reason: 'optedOut', detail: 'all' });
    const winBack = clientReach(optedOut, ready, 'winBack');
    expect(winBack.email).toEqual({ reachable: false, reason: 'optedOut', detail: 'marketing' });
    expect(winBack.aggregatorPush).toEqual({ reachable: true });
    expect(reachReason('sms', reminder.sms)).toMatchObject({ reasonCode: 'channel.optedOut', reasonParams: { channel: 'sms' } });
    expect(reachReason('email', winBack.email)).toMatchObject({ reasonCode: 'channel.optedOutMarketing', reasonParams: { channel: 'email' } });
    expect(clientReach(client, ready, 'winBack').sms).toEqual({ reachable: true });
  });
});

describe('a day of a staff member', () => {
  const week = { mon: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const staff: Pick<Staff, 'workingHours' | 'timeOff'> = { workingHours: week, timeOff: [{ from: '2026-12-21', to: '2026-12-21', kind: 'dayOff' }, { from: '2026-12-28', to: '2027-01-04', kind: 'vacation' }] };
  it('is the weekly hours with their break, a weekly day off, or the time off of that date', () => {
    expect(scheduleOn(staff, '2026-12-14', 'mon')).toEqual({ ranges: week.mon });
    expect(scheduleOn(staff, '2026-12-15', 'tue')).toEqual({ ranges: [], off: 'weekly' });
    expect(scheduleOn(staff, '2026-12-21', 'mon')).toMatchObject({ ranges: [], off: 'dayOff' });
    expect(scheduleOn(staff, '2027-01-04', 'mon')).toMatchObject({ ranges: [], off: 'vacation' });
    expect(scheduleOn(staff, '2027-01-11', 'mon').ranges).toEqual(week.mon);
  });
});

describe('payments under sync', () => {
  it('keep every payment either desk recorded', () => {
    const base = { id: 'a1', locationId: 'l1', clientId: 'c1', staffId: 's1', serviceIds: ['x'], start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T11:00:00.000Z', startMs: Date.parse('2026-12-02T10:00:00.000Z'), status: 'completed', source: 'desk', history: [], reviewLeft: false, createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z' } satisfies Appointment;
    const cash = { id: 'p1', method: 'cash' as const, amountMinor: 1000, at: '2026-12-02T11:00:00.000Z', by: 'Desk 1', source: 'desk' as const };
    const qr = { id: 'p2', method: 'qr' as const, amountMinor: 2000, at: '2026-12-02T11:01:00.000Z', by: 'Terminal', source: 'integration' as const };
    const { merged } = mergeAppointments({ base, local: { ...base, payments: [cash], updatedAt: '2026-12-02T11:00:00.000Z' }, remote: { ...base, payments: [qr], updatedAt: '2026-12-02T11:01:00.000Z' } });
    expect(merged.payments).toEqual([cash, qr]);
  });
});
