import { afterEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { DatabaseNotEmptyError, loadDemoSalon } from '../../../../shared/demo/load-demo-salon.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';

const NOW = Date.parse('2025-10-22T08:00:00.000Z'); // the week of the autumn DST change in Berlin
let db: FrontDeskDatabase | undefined;
let n = 0;

afterEach(async () => {
  await db?.remove();
  db = undefined;
});

describe('loadDemoSalon', () => {
  it('fills an empty database with documents that all pass schema validation', async () => {
    db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `t-demo-${n++}`, devMode: true });
    const { salon, counts } = await loadDemoSalon(db, { now: NOW, seed: 'demo' });
    expect(await db.clients.count().exec()).toBe(300);
    expect(await db.appointments.count().exec()).toBe(salon.appointments.length);
    expect(await db.notification_settings.count().exec()).toBe(15);
    expect(await db.client_perks.count().exec()).toBe(salon.clientPerks.length);
    expect(counts.staff).toBe(salon.staff.length);
    expect((await db.locations.findOne(salon.location.id).exec())?.toJSON()).toEqual(salon.location);

    // The calendar's day query runs on the [locationId, startMs] index and returns the day in order.
    const dayStart = Date.parse('2025-10-22T00:00:00+02:00');
    const day = await db.appointments
      .find({
        selector: { locationId: salon.location.id, startMs: { $gte: dayStart, $lt: dayStart + 86_400_000 } },
        sort: [{ startMs: 'asc' }],
      })
      .exec();
    const expected = salon.appointments
      .filter((a) => a.startMs >= dayStart && a.startMs < dayStart + 86_400_000)
      .map((a) => a.id);
    expect(day.length).toBeGreaterThan(10);
    expect(day.map((d) => d.id).sort()).toEqual(expected.sort());
    expect(day.map((d) => d.startMs)).toEqual([...day.map((d) => d.startMs)].sort((a, b) => a - b));
  });

  it('refuses a database that already has data, naming what is there, and changes nothing', async () => {
    db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `t-demo-${n++}` });
    await loadDemoSalon(db, { now: NOW, seed: 1, clientCount: 5 });
    const before = await db.appointments.count().exec();
    const err = await loadDemoSalon(db, { now: NOW, seed: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseNotEmptyError);
    expect((err as Error).message).toMatch(/^The demo salon can only be loaded into an empty database, but this one already has data in: .*clients \(5\)/);
    expect(await db.appointments.count().exec()).toBe(before);
    expect(await db.clients.count().exec()).toBe(5);
  });
});
