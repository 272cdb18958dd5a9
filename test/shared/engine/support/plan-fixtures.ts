/** A salon, its default settings and a visit, for the pure planning and reconcile tests. */
import type { Appointment, AppointmentChange } from '../../../../shared/domain/appointment.ts';
import type { Location } from '../../../../shared/domain/location.ts';
import { defaultNotificationSettings } from '../../../../shared/demo/default-settings.ts';
import type { PlanSettings } from '../../../../shared/engine/plan.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Monday 23 Nov 2026, 11:00 in Berlin: outside quiet hours. */
export const NOW = Date.parse('2026-11-23T10:00:00.000Z');
export const START = NOW + 2 * DAY;

export const location: Location = {
  id: 'l1', name: 'Lumière', timeZone: 'Europe/Berlin', address: { line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
  phone: '+493012345678', countryCode: 'DE', currency: 'EUR', locale: 'en-GB', quietHours: { enabled: true, start: '21:00', end: '09:00' },
  sandboxMode: false, createdAt: '2026-01-01T00:00:00.000Z',
};
export const plan: PlanSettings = {
  location,
  settings: new Map(defaultNotificationSettings('l1', () => ({}), '2026-01-01T00:00:00.000Z').map((s) => [s.type, s])),
};

export const iso = (ms: number) => new Date(ms).toISOString();

export function visit(createdAt: number, history: AppointmentChange[] = [], overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: 'a1', locationId: 'l1', clientId: 'c1', staffId: 's1', serviceIds: ['svc1'], start: iso(START), end: iso(START + HOUR), startMs: START,
    status: 'booked', source: 'desk', history: [{ at: iso(createdAt), by: 'desk', kind: 'created' }, ...history], reviewLeft: false,
    createdAt: iso(createdAt), updatedAt: iso(history.at(-1) ? Date.parse(history.at(-1)!.at) : createdAt), ...overrides,
  };
}
