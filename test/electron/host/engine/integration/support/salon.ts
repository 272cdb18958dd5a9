/**
 * Seed data for the engine's integration tests: one real-clock salon (location, staff, services, clients, the default
 * notification settings) written into any FrontDesk database, and helpers to read its outbox and delivery log.
 */
import type { Appointment } from '../../../../../../shared/domain/appointment.ts';
import type { Client } from '../../../../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../../../../shared/domain/job.ts';
import { isTerminalJobState } from '../../../../../../shared/domain/job.ts';
import type { Location } from '../../../../../../shared/domain/location.ts';
import type { NotificationSettings } from '../../../../../../shared/domain/notification-settings.ts';
import type { ProviderSettings } from '../../../../../../shared/domain/provider-settings.ts';
import { providerDocId } from '../../../../../../shared/providers/catalog.ts';
import { defaultNotificationSettings } from '../../../../../../shared/demo/default-settings.ts';
import { defaultTemplates } from '../../../../../../shared/notifications/templates/defaults.ts';

export const LOCATION_ID = 'loc-int';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const NO_HOURS = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

export interface SalonSeed {
  /** Loopback SMTP port: adds the location's mail server (a `smtp` provider) so the runtime builds the real SMTP client from it. */
  smtpPort?: number;
  clients: Client[];
  /** Adjust the default settings (e.g. reminder offsets). */
  settings?: (s: NotificationSettings) => NotificationSettings;
  /** Wall clock used for createdAt stamps. */
  now: number;
}

export function salonLocation(now: number): Location {
  return {
    id: LOCATION_ID, name: 'Lumière Beauty Studio', timeZone: 'Europe/Berlin',
    address: { line1: 'Torstraße 1', city: 'Berlin', postalCode: '10119', country: 'DE' },
    phone: '+493012345678', countryCode: 'DE', currency: 'EUR', locale: 'en-GB',
    // Off: the crash test's reminders fall due at any hour of the day the test happens to run.
    quietHours: { enabled: false, start: '21:00', end: '09:00' },
    sandboxMode: false,
    reviewUrl: 'https://lumiere.example/review', createdAt: new Date(now - 30 * DAY).toISOString(),
  };
}

/** The salon's mail server on a loopback port: no login, STARTTLS when offered (the sinks offer none). */
export function salonMailServer(port: number, now: number): ProviderSettings {
  return {
    id: providerDocId(LOCATION_ID, 'email', 'smtp'), locationId: LOCATION_ID, channel: 'email', kind: 'smtp', enabled: true, secretsSet: [],
    settings: { host: '127.0.0.1', port, security: 'starttls', fromAddress: 'desk@lumiere.example', fromName: 'Lumière Front Desk' },
    updatedAt: new Date(now - DAY).toISOString(),
  };
}

export function salonClient(id: string, now: number, overrides: Partial<Client> = {}): Client {
  return {
    id, locationId: LOCATION_ID, firstName: 'Anna', lastName: `Client ${id}`, phone: '+4917612345678', email: `${id}@clients.example`,
    language: 'en', apps: { aggregator: false }, optOuts: [], marketingConsent: true, loyaltyPoints: 0,
    createdAt: new Date(now - 30 * DAY).toISOString(), ...overrides,
  };
}

export async function seedSalon(db: FrontDeskDatabase, seed: SalonSeed): Promise<void> {
  const stamp = new Date(seed.now - DAY).toISOString();
  await db.locations.insert(salonLocation(seed.now));
  if (seed.smtpPort !== undefined) await db.provider_settings.insert(salonMailServer(seed.smtpPort, seed.now));
  await db.staff.bulkInsert([
    { id: 'st-sophie', locationId: LOCATION_ID, name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc-cut'], workingHours: NO_HOURS, desktopToasts: true, active: true, createdAt: stamp },
    { id: 'st-mila', locationId: LOCATION_ID, name: 'Mila Novak', role: 'specialist', serviceIds: ['svc-cut'], workingHours: NO_HOURS, desktopToasts: false, active: true, createdAt: stamp },
  ]);
  await db.services.bulkInsert([
    { id: 'svc-cut', locationId: LOCATION_ID, name: 'Haircut', category: 'hair', durationMinutes: 60, priceMinor: 5500, repeatIntervalDays: 42, excludeFromReviewRequests: false, active: true, createdAt: stamp },
  ]);
  await db.clients.bulkInsert(seed.clients);
  const settings = defaultNotificationSettings(LOCATION_ID, (type) => defaultTemplates(type), stamp).map(seed.settings ?? ((s) => s));
  await db.notification_settings.bulkInsert(settings);
}

export function appointment(id: string, clientId: string, startMs: number, now: number, overrides: Partial<Appointment> = {}): Appointment {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id, locationId: LOCATION_ID, clientId, staffId: 'st-sophie', serviceIds: ['svc-cut'],
    start: iso(startMs), end: iso(startMs + HOUR), startMs, status: 'booked', source: 'desk',
    history: [{ at: iso(now), by: 'desk', kind: 'created' }], reviewLeft: false, createdAt: iso(now), updatedAt: iso(now), ...overrides,
  };
}

export async function allJobs(db: FrontDeskDatabase): Promise<Job[]> {
  return (await db.jobs.find().exec()).map((doc) => doc.toMutableJSON()).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

export async function deliveryLog(db: FrontDeskDatabase, jobId?: string): Promise<DeliveryLogEntry[]> {
  const docs = await db.delivery_log.find({ ...(jobId ? { selector: { jobId } } : {}), sort: [{ atMs: 'asc' }] }).exec();
  return docs.map((doc) => doc.toMutableJSON());
}

export function isTerminal(job: Job): boolean {
  return isTerminalJobState(job.state);
}

/** Polls until `check` answers a value (not undefined), or fails with what `describe` says. */
export async function waitUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, describe: () => Promise<string> | string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
