/**
 * A small salon for the command tests, on top of the engine tests' seed (location `loc-int` in Europe/Berlin, DE;
 * Sophie and Mila do haircuts): a colouring only Mila does, a retired service, a specialist who left, and a second
 * location with its own specialist, service and client — everything a command must refuse to mix in.
 */
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import { DAY, LOCATION_ID, salonClient, salonLocation, seedSalon } from '../../engine/integration/support/salon.ts';

export { LOCATION_ID };
export const OTHER_LOCATION = 'loc-other';
const NO_HOURS = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

export async function seedBookingSalon(db: FrontDeskDatabase, now: number): Promise<void> {
  await seedSalon(db, { now, clients: [salonClient('c-anna', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' })] });
  const stamp = new Date(now - DAY).toISOString();
  await db.services.bulkInsert([
    { id: 'svc-color', locationId: LOCATION_ID, name: 'Colouring', category: 'hair', durationMinutes: 90, priceMinor: 9000, excludeFromReviewRequests: false, active: true, createdAt: stamp },
    { id: 'svc-old', locationId: LOCATION_ID, name: 'Perm', category: 'hair', durationMinutes: 120, priceMinor: 9000, excludeFromReviewRequests: false, active: false, createdAt: stamp },
    { id: 'svc-far', locationId: OTHER_LOCATION, name: 'Far cut', category: 'hair', durationMinutes: 60, priceMinor: 4000, excludeFromReviewRequests: false, active: true, createdAt: stamp },
  ]);
  await db.staff.bulkInsert([
    { id: 'st-gone', locationId: LOCATION_ID, name: 'Greta Left', role: 'specialist', serviceIds: ['svc-cut'], workingHours: NO_HOURS, desktopToasts: false, active: false, createdAt: stamp },
    { id: 'st-far', locationId: OTHER_LOCATION, name: 'Far Away', role: 'specialist', serviceIds: ['svc-cut', 'svc-far'], workingHours: NO_HOURS, desktopToasts: false, active: true, createdAt: stamp },
  ]);
  const mila = await db.staff.findOne('st-mila').exec();
  await mila!.incrementalPatch({ serviceIds: ['svc-cut', 'svc-color'] });
  await db.locations.insert({ ...salonLocation(now), id: OTHER_LOCATION, name: 'Other salon' });
  await db.clients.insert(salonClient('c-far', now, { locationId: OTHER_LOCATION }));
}

/** Calls a channel and answers the raw result (tests look at both sides). */
export function call(host: FrontDeskHost, channel: string, payload: unknown) {
  return host.api.call(channel, payload);
}

/** The issues of a refusal as "code@field", in order. */
export function issueKeys(result: Awaited<ReturnType<FrontDeskHost['api']['call']>>): string[] {
  if (result.ok) return [];
  return (result.error.issues ?? []).map((i) => `${i.code}@${i.field ?? ''}`);
}

/** Every document of the salon's book, to check that a refused command wrote nothing. */
export async function bookSnapshot(db: FrontDeskDatabase): Promise<string> {
  const [appointments, clients] = await Promise.all([db.appointments.find().exec(), db.clients.find().exec()]);
  return JSON.stringify([appointments.map((d) => d.toJSON(true)), clients.map((d) => d.toJSON(true))]);
}
