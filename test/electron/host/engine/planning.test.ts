/**
 * Planning in pages: the book streams through the planner a page at a time (keyset pages over the appointment,
 * client and perk indexes, one `$in` query for a page's jobs). Tiny pages must plan exactly the outbox one big page
 * plans — with many appointments sharing a start time, clients sharing a last name and perks created together, so
 * that page boundaries fall inside ties — on RxDB's memory storage and on our node:sqlite storage. A job written by
 * someone else between a page's read and its write is planned again from what is stored, not overwritten; on an empty
 * outbox, where nothing is read back, a job that arrives before the write is not overwritten either.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { RxStorage } from 'rxdb';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { NotificationEngine } from '../../../../electron/host/engine/notification-engine.ts';
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { collections } from '../../../../shared/domain/collections.ts';
import type { ClientPerk } from '../../../../shared/domain/client-perk.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { defaultNotificationSettings } from '../../../../shared/demo/default-settings.ts';
import { defaultTemplates } from '../../../../shared/notifications/templates/defaults.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { client, DAY, HOUR, location, LOCATION_ID, ManualTime, MINUTE, T0 } from './support/harness.ts';

const tmp = tempDir('planning');
afterAll(() => tmp.dispose());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
type AnyStorage = RxStorage<any, any>;
let dbCounter = 0;

const STARTS = [T0 + 3 * HOUR, T0 + DAY, T0 + DAY + 30 * MINUTE, T0 + 3 * DAY, T0 - 2 * DAY, T0 + 40 * DAY];
const STATUSES: Appointment['status'][] = ['booked', 'confirmed', 'cancelled', 'completed', 'booked', 'noShow'];

async function seed(db: FrontDeskDatabase): Promise<void> {
  const stamp = new Date(T0 - 2 * DAY).toISOString();
  const hours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  await db.locations.insert(location());
  await db.staff.bulkInsert([{ id: 's1', locationId: LOCATION_ID, name: 'Sophie Wagner', role: 'specialist', serviceIds: ['svc1'], workingHours: hours, desktopToasts: true, active: true, createdAt: stamp }]);
  await db.services.bulkInsert([
    { id: 'svc1', locationId: LOCATION_ID, name: 'Haircut', category: 'hair', durationMinutes: 60, priceMinor: 5500, repeatIntervalDays: 42, excludeFromReviewRequests: false, active: true, createdAt: stamp },
  ]);
  await db.clients.bulkInsert(
    Array.from({ length: 17 }, (_, i) =>
      client({ id: `c${String(i).padStart(2, '0')}`, lastName: i % 3 === 0 ? 'Petrova' : `Name${i % 5}`, birthday: `1990-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')}`, email: `c${i}@example.com` }),
    ),
  );
  await db.client_perks.bulkInsert(
    Array.from({ length: 9 }, (_, i): ClientPerk => ({
      id: `p${i}`, locationId: LOCATION_ID, clientId: `c0${i % 9}`, kind: i % 2 === 0 ? 'discount' : 'bonusAccrual', used: false,
      ...(i % 2 === 0 ? { percent: 10, expiresOn: `2026-12-${String(10 + i).padStart(2, '0')}` } : { points: 50 + i, balanceAfter: 100 }),
      createdAt: stamp, createdAtMs: T0 - 2 * DAY,
    })),
  );
  await db.appointments.bulkInsert(
    Array.from({ length: 47 }, (_, i): Appointment => {
      const startMs = STARTS[i % STARTS.length]!;
      const status = STATUSES[(i * 7) % STATUSES.length]!;
      // Some were booked minutes ago (confirmation, team news), the rest two days ago.
      const createdAt = new Date(i % 5 === 0 ? T0 - 10 * MINUTE : T0 - 2 * DAY).toISOString();
      const history: Appointment['history'] = [{ at: createdAt, by: 'desk', kind: 'created' }];
      if (status !== 'booked') history.push({ at: new Date(T0 - HOUR).toISOString(), by: 'desk', kind: 'statusChanged', from: 'booked', to: status });
      return {
        id: `a${String((i * 37) % 47).padStart(2, '0')}`, locationId: LOCATION_ID, clientId: `c${String(i % 17).padStart(2, '0')}`, staffId: 's1', serviceIds: ['svc1'],
        start: new Date(startMs).toISOString(), end: new Date(startMs + HOUR).toISOString(), startMs, status, source: 'desk', history, reviewLeft: false,
        createdAt, updatedAt: createdAt,
      };
    }),
  );
  await db.notification_settings.bulkInsert(defaultNotificationSettings(LOCATION_ID, (type) => defaultTemplates(type), stamp));
}

type Outcome = { jobs: unknown[]; log: unknown[] };

async function snapshot(db: FrontDeskDatabase): Promise<Outcome> {
  const jobs = (await db.jobs.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
  const log = (await db.delivery_log.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
  return { jobs, log };
}

/** Cold plan, then a settings change that moves every reminder; the outbox and the log after each. */
async function plan(storage: AnyStorage, pageSize: number | undefined, tamper?: (db: FrontDeskDatabase) => void): Promise<Outcome[]> {
  const db = await openFrontDeskDatabase({ storage, name: `planning${++dbCounter}`, multiInstance: false });
  const time = new ManualTime(T0);
  const engine = new NotificationEngine({
    db, clock: time, timers: time, provider: () => { throw new Error('nothing is due in this test'); }, dispatch: false,
    ...(pageSize ? { planningPageSize: pageSize } : {}),
  });
  try {
    await seed(db);
    tamper?.(db);
    await engine.start();
    await engine.idle();
    const cold = await snapshot(db);
    const reminder = await db.notification_settings.findOne({ selector: { locationId: LOCATION_ID, type: 'reminder' } }).exec();
    await reminder!.incrementalPatch({ timing: { reminderOffsetsMinutes: [2880, 60] } });
    await engine.idle();
    return [cold, await snapshot(db)];
  } finally {
    await engine.stop();
    await db.remove();
  }
}

const storages: [string, () => AnyStorage][] = [
  ['memory', () => getRxStorageMemory()],
  ['node:sqlite', () => getRxStorageNodeSqlite({ directory: tmp.dir })],
];

describe.each(storages)('planning in pages on %s storage', (_name, storage) => {
  it('plans the same outbox and log with pages of 2 as with one page', async () => {
    const [cold, replanned] = await plan(storage(), undefined);
    // Not trivially equal: reminders for every active future visit, birthdays, perks, skipped and cancelled jobs.
    const types = new Set(cold!.jobs.map((job) => (job as { type: string }).type));
    expect([...types].sort()).toEqual([
      'birthdayGreeting', 'bonusAccrual', 'bookingConfirmation', 'cancellation', 'cancellationNotice', 'expiringDiscount', 'reminder', 'repeatVisit', 'reviewRequest', 'winBack',
    ]);
    expect(cold!.jobs.filter((job) => (job as { type: string }).type === 'reminder').length).toBeGreaterThan(30);
    expect(replanned!.log.length).toBeGreaterThan(cold!.log.length);
    // Planned jobs and the log entries of planning's decisions are written without schema validation (open-database.ts):
    // the planner's own output has to be valid.
    const validJob = getValidator(collections.jobs.schema as never);
    for (const job of [...cold!.jobs, ...replanned!.jobs]) expect(validJob(job)).toEqual([]);
    const validEntry = getValidator(collections.delivery_log.schema as never);
    for (const entry of replanned!.log) expect(validEntry(entry)).toEqual([]);
    expect(await plan(storage(), 2)).toEqual([cold, replanned]);
  });

  it('plans a job again from what is stored when someone else wrote it between read and write', async () => {
    const [, expected] = await plan(storage(), 3);
    let raced = false;
    const outcome = await plan(storage(), 3, (db) => {
      // Right before the settings change's first planning write, another writer touches a job of that page.
      const instance = db.jobs.storageInstance;
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows, context) => {
        const update = rows.find((row) => row.previous && row.previous.state === 'planned' && row.previous.type === 'reminder');
        if (!raced && context === REDERIVABLE_WRITE_CONTEXT && update) {
          raced = true;
          const previous = update.previous!;
          const touched = await bulkWrite([{ previous, document: { ...previous, attempts: 0, updatedAt: new Date(T0 + 1).toISOString() } }], 'someone else');
          expect(touched.error).toEqual([]);
        }
        return bulkWrite(rows, context);
      };
    });
    expect(raced).toBe(true);
    // The touched job's own updatedAt differs; everything else converges to the same outbox and log.
    const strip = (o: Outcome) => ({ ...o, jobs: o.jobs.map((j) => ({ ...(j as object), updatedAt: '' })) });
    expect(strip(outcome[1]!)).toEqual(strip(expected!));
  });

  it('on an empty outbox (nothing read back) leaves a job that arrived before the write as it is', async () => {
    const [expected] = await plan(storage(), 3);
    let raced: string | undefined;
    const [cold] = await plan(storage(), 3, (db) => {
      // The first plan's first write: another desk's send of one of its reminders arrives by sync just before it.
      const instance = db.jobs.storageInstance;
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows, context) => {
        const insert = rows.find((row) => !row.previous && row.document.type === 'reminder' && row.document.state === 'planned');
        if (raced === undefined && context === REDERIVABLE_WRITE_CONTEXT && insert) {
          raced = insert.document.id;
          const arrived = await bulkWrite([{ document: { ...insert.document, state: 'sent', attempts: 1 } }], 'someone else');
          expect(arrived.error).toEqual([]);
        }
        return bulkWrite(rows, context);
      };
    });
    expect(raced).toBeDefined();
    const byId = (o: Outcome) => new Map(o.jobs.map((job) => [(job as { id: string }).id, job as { state: string }]));
    expect(byId(cold!).get(raced!)?.state).toBe('sent');
    // Every other job and the log as without the race.
    const others = (o: Outcome) => ({ ...o, jobs: o.jobs.filter((job) => (job as { id: string }).id !== raced) });
    expect(others(cold!)).toEqual(others(expected!));
  });
});
