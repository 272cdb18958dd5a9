import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, Subject } from 'rxjs';
import { addRxPlugin, createRxDatabase, getChangedDocumentsSince, removeRxDatabase } from 'rxdb';
import type { RxCollection, RxDatabase, RxJsonSchema, RxReplicationPullStreamItem } from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { appointmentSchemaLiteral, tempDir } from './storage-fixtures.ts';
import type { Appointment } from './storage-fixtures.ts';

type Collections = { appointments: RxCollection<Appointment> };
type Db = RxDatabase<Collections>;

const tmp = tempDir('rxdb');
const opened: Db[] = [];

beforeAll(() => {
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
});
afterEach(async () => {
  // Open-core RxDB allows 13 open collections per process: every test closes what it opened.
  await Promise.all(opened.splice(0).map((db) => db.close()));
});
afterAll(() => tmp.dispose());

function storage(directory = tmp.dir) {
  return wrappedValidateAjvStorage({ storage: getRxStorageNodeSqlite({ directory }) });
}

async function open(name: string, extra: { ignoreDuplicate?: boolean; multiInstance?: boolean } = {}): Promise<Db> {
  const db = await createRxDatabase<Collections>({ name, storage: storage(), ...extra });
  opened.push(db);
  await db.addCollections({ appointments: { schema: appointmentSchemaLiteral as unknown as RxJsonSchema<Appointment> } });
  return db;
}

function appointment(id: string, locationId = 'loc1', start = '2025-03-01T09:00'): Appointment {
  return { id, locationId, staffId: 's1', start, status: 'booked', price: 45, note: '' };
}

describe('node:sqlite storage under RxDB', () => {
  it('persists documents across close and reopen', async () => {
    const first = await open('persist');
    await first.appointments.bulkInsert([appointment('a1'), appointment('a2', 'loc2')]);
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const second = await open('persist');
    const docs = await second.appointments.find({ sort: [{ id: 'asc' }] }).exec();
    expect(docs.map((d) => d.id)).toEqual(['a1', 'a2']);
  });

  it('fires a reactive query on writes made by a second database instance on the same file', async () => {
    const engine = await open('shared', { ignoreDuplicate: true });
    const renderer = await open('shared', { ignoreDuplicate: true });
    const seen: string[][] = [];
    const sub = engine.appointments
      .find({ selector: { locationId: 'loc1' }, sort: [{ start: 'asc' }] })
      .$.subscribe((docs) => seen.push(docs.map((d) => d.id)));
    try {
      const fired = firstValueFrom(
        engine.appointments.find({ selector: { locationId: 'loc1' } }).$.pipe(filter((docs) => docs.length === 2)),
      );
      await renderer.appointments.insert(appointment('r1', 'loc1', '2025-03-01T10:00'));
      await renderer.appointments.insert(appointment('r2', 'loc1', '2025-03-01T08:00'));
      await renderer.appointments.insert(appointment('other', 'loc2'));
      await fired;
      expect(seen.at(-1)).toEqual(['r2', 'r1']);
      // And the other way round, including a delete.
      const gone = firstValueFrom(renderer.appointments.find().$.pipe(filter((docs) => docs.length === 2)));
      await engine.appointments.findOne('other').remove();
      expect((await gone).map((d) => d.id).sort()).toEqual(['r1', 'r2']);
    } finally {
      sub.unsubscribe();
    }
  });

  it('refuses a document that breaks its schema, naming the field', async () => {
    const db = await open('validation');
    await expect(
      db.appointments.insert({ ...appointment('bad'), price: 'free' } as unknown as Appointment),
    ).rejects.toThrow(/price/);
  });

  it('refuses a schema that declares attachments', async () => {
    const db = await createRxDatabase({ name: 'attachments', storage: storage() });
    opened.push(db as unknown as Db);
    const schema = { ...appointmentSchemaLiteral, attachments: {} } as unknown as RxJsonSchema<Appointment>;
    await expect(db.addCollections({ photos: { schema } })).rejects.toThrow(/does not support attachments/);
  });

  it('deletes the database file when the database is removed', async () => {
    const db = await open('removable');
    await db.appointments.insert(appointment('x'));
    const file = getRxStorageNodeSqlite({ directory: tmp.dir }).databaseFilePath('removable');
    expect(existsSync(file)).toBe(true);
    await db.remove();
    opened.splice(opened.indexOf(db), 1);
    expect(existsSync(file)).toBe(false);
    await removeRxDatabase('removable', storage());
  });

  it('replicates two databases with the replication plugin, both ways and live', async () => {
    const local = await open('replica-local', { multiInstance: false });
    const remote = await open('replica-remote', { multiInstance: false });
    const remoteChanged = new Subject<RxReplicationPullStreamItem<Appointment, unknown>>();
    const remoteSub = remote.appointments.$.subscribe(() => remoteChanged.next('RESYNC'));
    const replication = replicateRxCollection<Appointment, unknown>({
      replicationIdentifier: 'local-to-remote',
      collection: local.appointments,
      live: true,
      waitForLeadership: false,
      retryTime: 50,
      pull: {
        batchSize: 3,
        async handler(checkpoint, batchSize) {
          const result = await getChangedDocumentsSince(
            remote.appointments.storageInstance,
            batchSize,
            checkpoint as never,
          );
          const documents = result.documents.map(({ _rev, _meta, _attachments, ...doc }) => doc);
          return { documents, checkpoint: result.checkpoint };
        },
        stream$: remoteChanged.asObservable(),
      },
      push: {
        batchSize: 3,
        async handler(rows) {
          // A tiny "server": accept a write when the sender knew the current state, otherwise return the master state.
          const conflicts: (Appointment & { _deleted: boolean })[] = [];
          for (const row of rows) {
            const current = await remote.appointments.findOne(row.newDocumentState.id).exec();
            const currentState = current ? current.toJSON() : undefined;
            const assumed = row.assumedMasterState;
            const strip = (d: object | undefined) =>
              d ? JSON.stringify(Object.entries(d).filter(([k]) => !k.startsWith('_')).sort()) : undefined;
            if (currentState && strip(currentState) !== strip(assumed)) {
              conflicts.push({ ...currentState, _deleted: false });
              continue;
            }
            const { _deleted, ...data } = row.newDocumentState as Appointment & { _deleted: boolean };
            if (_deleted) {
              await current?.remove();
            } else {
              await remote.appointments.upsert(data);
            }
          }
          return conflicts;
        },
      },
    });
    try {
      await local.appointments.bulkInsert([appointment('l1'), appointment('l2'), appointment('l3'), appointment('l4')]);
      await remote.appointments.bulkInsert([appointment('m1', 'loc2'), appointment('m2', 'loc2')]);
      await replication.awaitInitialReplication();
      await replication.awaitInSync();
      const ids = async (db: Db) => (await db.appointments.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.id);
      expect(await ids(remote)).toEqual(['l1', 'l2', 'l3', 'l4', 'm1', 'm2']);
      expect(await ids(local)).toEqual(['l1', 'l2', 'l3', 'l4', 'm1', 'm2']);

      // Live, after the initial sync: an update on the remote arrives locally, a delete locally reaches the remote.
      await remote.appointments.findOne('m1').patch({ status: 'confirmed' });
      await local.appointments.findOne('l2').remove();
      const deadline = Date.now() + 10_000;
      for (;;) {
        await replication.awaitInSync();
        const m1 = await local.appointments.findOne('m1').exec();
        const l2 = await remote.appointments.findOne('l2').exec();
        if (m1?.status === 'confirmed' && l2 === null) break;
        if (Date.now() > deadline) throw new Error('live replication did not converge');
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await ids(remote)).toEqual(['l1', 'l3', 'l4', 'm1', 'm2']);
    } finally {
      remoteSub.unsubscribe();
      await replication.cancel();
    }
  });
});
