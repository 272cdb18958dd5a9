/** Fills an empty FrontDesk database with the demo salon. Only the RxDB API, so it runs wherever the database does. */
import { COLLECTION_NAMES } from '../domain/collections.ts';
import type { FrontDeskDatabase } from '../domain/database-types.ts';
import { validationMessage } from '../domain/validation-errors.ts';
import { generateDemoSalon } from './demo-salon.ts';
import type { DemoOptions, DemoSalon } from './demo-salon.ts';

export class DatabaseNotEmptyError extends Error {
  readonly counts: Record<string, number>;
  constructor(counts: Record<string, number>) {
    const list = Object.entries(counts)
      .map(([name, n]) => `${name} (${n})`)
      .join(', ');
    super(
      `The demo salon can only be loaded into an empty database, but this one already has data in: ${list}. ` +
        'Start with a new, empty data folder to try the demo.',
    );
    this.name = 'DatabaseNotEmptyError';
    this.counts = counts;
  }
}

export interface DemoLoadResult {
  salon: DemoSalon;
  counts: Record<string, number>;
}

async function insertAll(db: FrontDeskDatabase, name: string, docs: readonly object[]): Promise<void> {
  const coll = db.collections[name as keyof FrontDeskDatabase['collections']] as unknown as {
    bulkInsert(d: readonly object[]): Promise<{ error: unknown[] }>;
  };
  const res = await coll.bulkInsert(docs);
  const first = res.error[0];
  if (first !== undefined) {
    throw new Error(
      `demo salon: ${res.error.length} ${name} document(s) refused; first: ${validationMessage(first, name) ?? String(first)}`,
    );
  }
}

export async function loadDemoSalon(db: FrontDeskDatabase, options: DemoOptions): Promise<DemoLoadResult> {
  const nonEmpty: Record<string, number> = {};
  for (const name of COLLECTION_NAMES) {
    const n = await db.collections[name].count().exec();
    if (n > 0) nonEmpty[name] = n;
  }
  if (Object.keys(nonEmpty).length > 0) throw new DatabaseNotEmptyError(nonEmpty);

  const salon = generateDemoSalon(options);
  // Reference data first: a peer or the engine reacting to an appointment finds its client, staff and services.
  await insertAll(db, 'locations', [salon.location]);
  await insertAll(db, 'notification_settings', salon.notificationSettings);
  await insertAll(db, 'services', salon.services);
  await insertAll(db, 'staff', salon.staff);
  await insertAll(db, 'clients', salon.clients);
  await insertAll(db, 'client_perks', salon.clientPerks);
  await insertAll(db, 'appointments', salon.appointments);
  return {
    salon,
    counts: {
      locations: 1,
      notification_settings: salon.notificationSettings.length,
      services: salon.services.length,
      staff: salon.staff.length,
      clients: salon.clients.length,
      client_perks: salon.clientPerks.length,
      appointments: salon.appointments.length,
    },
  };
}
