import { afterEach, describe, expect, it } from 'vitest';
import { createRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getAjv, wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { NewerDatabaseError, openFrontDeskDatabase, PLANNING_LOG_WRITE_CONTEXT } from '../../../../electron/host/db/open-database.ts';
import { REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import { COLLECTION_NAMES, collections } from '../../../../shared/domain/collections.ts';
import { appointmentMigrationStrategies, appointmentSchemaV0, appointmentSchemaV2 } from '../../../../shared/domain/appointment.ts';
import { clientMigrationStrategies, clientSchemaV0, clientSchemaV1 } from '../../../../shared/domain/client.ts';
import { deliveryLogSchemaV0 } from '../../../../shared/domain/delivery-log.ts';
import type { ClientV0, ClientV1 } from '../../../../shared/domain/client.ts';
import { staffSchemaV0 } from '../../../../shared/domain/staff.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { jobSchemaV0, type CascadeStep } from '../../../../shared/domain/job.ts';
import { locationSchemaV0 } from '../../../../shared/domain/location.ts';
import { notificationSettingsSchemaV0 } from '../../../../shared/domain/notification-settings.ts';
import { teamEventMigrationStrategies, teamEventSchemaV0, teamEventSchemaV3, teamEventSchemaV4 } from '../../../../shared/domain/team-event.ts';
import {
  DocumentValidationError,
  toDocumentValidationError,
  validationIssuesOf,
  validationMessage,
} from '../../../../shared/domain/validation-errors.ts';
import { validDocs } from './fixtures.ts';

const open: { remove(): Promise<unknown> }[] = [];
let counter = 0;

async function freshDb(): Promise<FrontDeskDatabase> {
  const db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `t-open-${counter++}`, devMode: true });
  open.push(db);
  return db;
}

afterEach(async () => {
  // The open-core build allows 13 collections per process: every test database must go.
  while (open.length > 0) await open.pop()?.remove();
});

async function insertError(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('insert was expected to be refused');
}

describe('openFrontDeskDatabase', () => {
  it('refuses a database a newer FrontDesk wrote, and leaves its documents as they were', async () => {
    const storage = getRxStorageMemory();
    const name = `t-newer-${counter++}`;
    const newer = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }) });
    const staffV3 = { ...collections.staff.schema, version: collections.staff.schema.version + 1 };
    const strategies = Object.fromEntries(Array.from({ length: staffV3.version }, (_, i) => [i + 1, (doc: unknown) => doc]));
    await newer.addCollections({ staff: { schema: staffV3, migrationStrategies: strategies, autoMigrate: false } });
    await newer.collections.staff!.insert(validDocs.staff);
    await newer.close();

    const refused = await openFrontDeskDatabase({ storage, name }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(NewerDatabaseError);
    expect(refused).toMatchObject({ code: 'DATABASE_NEWER', collection: 'staff', storedVersion: staffV3.version, knownVersion: collections.staff.schema.version });
    expect((refused as Error).message).toMatch(/newer FrontDesk.*did not change anything/);

    // The newer build still finds its staff.
    const again = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }) });
    open.push(again);
    await again.addCollections({ staff: { schema: staffV3, migrationStrategies: strategies, autoMigrate: false } });
    expect((await again.collections.staff!.find().exec()).map((d) => d.id)).toEqual([validDocs.staff.id]);
  });

  it("has schemas that JSON Schema's meta-schema accepts (the host compiles its validators without that check)", async () => {
    const db = await freshDb();
    for (const name of COLLECTION_NAMES) {
      const ajv = getAjv();
      expect({ name, valid: ajv.validateSchema(db[name].schema.jsonSchema), errors: ajv.errors ?? null }).toEqual({ name, valid: true, errors: null });
    }
    // The check can fail: a misspelt type is no JSON Schema.
    expect(getAjv().validateSchema({ ...collections.staff.schema, properties: { ...collections.staff.schema.properties, name: { type: 'text' } } })).toBe(false);
  });

  it('titles every schema with its collection name (validation messages rely on it)', () => {
    for (const name of COLLECTION_NAMES) expect(collections[name].schema.title).toBe(name);
  });

  it('adds the ten collections and accepts a valid document in each', async () => {
    const db = await freshDb();
    expect(Object.keys(db.collections).sort()).toEqual([...COLLECTION_NAMES].sort());
    for (const name of COLLECTION_NAMES) {
      const coll = db.collections[name] as unknown as { insert(d: unknown): Promise<{ toJSON(): unknown }> };
      const doc = await coll.insert(validDocs[name]);
      expect(doc.toJSON()).toEqual(validDocs[name]);
    }
    const day = await db.appointments
      .find({ selector: { locationId: 'loc1', startMs: { $gte: validDocs.appointments.startMs } }, sort: [{ startMs: 'asc' }] })
      .exec();
    expect(day.map((d) => d.id)).toEqual(['a1']);
  });

  it('refuses an invalid email with a message naming the field', async () => {
    const db = await freshDb();
    const err = await insertError(db.clients.insert({ ...validDocs.clients, email: 'not-an-email' }));
    expect(validationMessage(err)).toBe('clients.email: must match format email');
    expect(await db.clients.count().exec()).toBe(0);
  });

  it('names nested, missing, unknown and enum fields', async () => {
    const db = await freshDb();
    const nested = await insertError(
      db.appointments.insert({
        ...validDocs.appointments,
        history: [{ at: validDocs.appointments.start, by: 'x', kind: 'teleported' as never }],
      }),
    );
    expect(validationMessage(nested)).toBe(
      'appointments.history[0].kind: must be one of: created, moved, reassigned, servicesChanged, statusChanged, notesChanged, durationChanged',
    );

    const { phone: _p, ...noPhone } = validDocs.locations;
    const missing = await insertError(db.locations.insert(noPhone as typeof validDocs.locations));
    expect(validationMessage(missing)).toBe('locations.phone: is required');

    const unknown = await insertError(db.staff.insert({ ...validDocs.staff, nickname: 'Sophie' } as never));
    expect(validationMessage(unknown)).toBe('staff.nickname: is not a known field');

    const quiet = await insertError(
      db.locations.insert({ ...validDocs.locations, quietHours: { enabled: true, start: '25:00', end: '09:00' } }),
    );
    expect(validationMessage(quiet)).toMatch(/^locations\.quietHours\.start: must match pattern/);
  });

  it('refuses ifPreviousFailed on email (a setting the spec forbids)', async () => {
    const db = await freshDb();
    const err = await insertError(
      db.notification_settings.insert({
        ...validDocs.notification_settings,
        channels: { email: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 5 } },
      }),
    );
    expect(validationMessage(err)).toBe('notification_settings.channels.email.scenario: must be one of: off, always');
  });

  it('reports bulkInsert rows and wraps errors in DocumentValidationError', async () => {
    const db = await freshDb();
    const res = await db.services.bulkInsert([
      { ...validDocs.services, id: 'ok' },
      { ...validDocs.services, id: 'bad', durationMinutes: 0 },
    ]);
    expect(res.success.map((d) => d.id)).toEqual(['ok']);
    expect(res.error).toHaveLength(1);
    expect(validationMessage(res.error[0])).toBe('services.durationMinutes: must be >= 5');

    const err = await insertError(db.jobs.insert({ ...validDocs.jobs, state: 'lost' as never }));
    const wrapped = toDocumentValidationError(err);
    expect(wrapped).toBeInstanceOf(DocumentValidationError);
    expect((wrapped as DocumentValidationError).documentId).toBe(validDocs.jobs.id);
    expect((wrapped as Error).message).toContain('jobs.state: must be one of: planned, sending');
    const plain = new Error('other');
    expect(toDocumentValidationError(plain)).toBe(plain);
    expect(validationIssuesOf(plain)).toBeUndefined();
  });

  it('refuses an update that breaks the schema and keeps the stored document', async () => {
    const db = await freshDb();
    const doc = await db.appointments.insert(validDocs.appointments);
    const err = await insertError(doc.incrementalPatch({ status: 'done' as never }));
    expect(validationMessage(err)).toContain('appointments.status: must be one of');
    const again = await db.appointments.findOne('a1').exec();
    expect(again?.status).toBe('booked');
  });

  it("validates every write but the engine's planning ones (planned jobs and their log entries, derived from validated documents)", async () => {
    const db = await freshDb();
    const broken = (id: string) => ({ ...validDocs.jobs, id, idempotencyKey: id, state: 'unheard-of', _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } });
    const refused = await db.jobs.storageInstance.bulkWrite([{ document: broken('j1') as never }], 'engine');
    expect(refused.error.map((e) => e.status)).toEqual([422]);
    const trusted = await db.jobs.storageInstance.bulkWrite([{ document: broken('j2') as never }], REDERIVABLE_WRITE_CONTEXT);
    expect(trusted.error).toEqual([]);
    expect((await db.jobs.storageInstance.findDocumentsById(['j1', 'j2'], false)).map((doc) => doc.id)).toEqual(['j2']);
    const entry = (id: string) => ({ ...validDocs.delivery_log, id, status: 'unheard-of', _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } });
    expect((await db.delivery_log.storageInstance.bulkWrite([{ document: entry('e1') as never }], 'engine')).error.map((e) => e.status)).toEqual([422]);
    expect((await db.delivery_log.storageInstance.bulkWrite([{ document: entry('e2') as never }], PLANNING_LOG_WRITE_CONTEXT)).error).toEqual([]);
  });
});

describe('client schema migration v0 → v1 → v2', () => {
  it('migrates documents written with version 0 when the database is reopened', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    await old.addCollections({ clients: { schema: clientSchemaV0 as never } });
    const v0docs: ClientV0[] = [
      {
        id: 'c1',
        locationId: 'loc1',
        name: 'Anna Ivanova',
        email: 'anna@example.com',
        language: 'ru',
        aggregatorAppInstalled: true,
        brandedPushToken: 'tok',
        optOuts: [],
        marketingConsent: true,
        loyaltyPoints: 5,
        createdAt: '2024-05-01T10:00:00.000Z',
      },
      {
        id: 'c2',
        locationId: 'loc1',
        name: 'Cher',
        language: 'en',
        aggregatorAppInstalled: false,
        optOuts: ['reminder'],
        marketingConsent: false,
        loyaltyPoints: 0,
        createdAt: '2024-05-02T10:00:00.000Z',
      },
    ];
    await old.collections.clients!.bulkInsert(v0docs);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    const docs = (await db.clients.find({ sort: [{ id: 'asc' }] }).exec()).map((d) => d.toJSON());
    expect(docs).toEqual([
      {
        id: 'c1',
        locationId: 'loc1',
        firstName: 'Anna',
        lastName: 'Ivanova',
        email: 'anna@example.com',
        language: 'ru',
        apps: { aggregator: true, brandedPushTokens: ['tok'] },
        optOuts: [],
        marketingConsent: true,
        loyaltyPoints: 5,
        createdAt: '2024-05-01T10:00:00.000Z',
      },
      {
        id: 'c2',
        locationId: 'loc1',
        firstName: 'Cher',
        lastName: '',
        language: 'en',
        apps: { aggregator: false },
        optOuts: ['reminder'],
        marketingConsent: false,
        loyaltyPoints: 0,
        createdAt: '2024-05-02T10:00:00.000Z',
      },
    ]);
    // The migrated collection uses the v1 index.
    const byName = await db.clients.find({ selector: { locationId: 'loc1', lastName: 'Ivanova' } }).exec();
    expect(byName.map((d) => d.id)).toEqual(['c1']);
  });
});

describe('sync schema versions: jobs, team_events, notification_settings, locations v0 → v1', () => {
  it('keeps every v0 document as it was and accepts the new sync fields afterwards', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-sync-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    const v0 = {
      jobs: jobSchemaV0,
      team_events: teamEventSchemaV0,
      notification_settings: notificationSettingsSchemaV0,
      locations: locationSchemaV0,
    } as const;
    await old.addCollections(Object.fromEntries(Object.entries(v0).map(([collection, schema]) => [collection, { schema: schema as never }])));
    for (const collection of Object.keys(v0) as (keyof typeof v0)[]) await old.collections[collection]!.insert(validDocs[collection]);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    for (const collection of Object.keys(v0) as (keyof typeof v0)[]) {
      const doc = await db[collection].findOne(validDocs[collection].id).exec();
      expect(doc?.toJSON(), collection).toEqual(validDocs[collection]);
    }
    const job = validDocs.jobs;
    await db.jobs.upsert({ ...job, fence: { desk: 'desk-a', epoch: 3 }, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', fence: { desk: 'desk-a', epoch: 3 } }] });
    expect((await db.jobs.findOne(job.id).exec())?.fence).toEqual({ desk: 'desk-a', epoch: 3 });
    await db.team_events.insert({ ...validDocs.team_events, id: 'conflict-1', type: 'syncConflict' });
    await db.locations.upsert({ ...validDocs.locations, updatedAt: '2025-01-01T00:00:00.000Z', updatedBy: 'Desk 2' });
    await db.notification_settings.upsert({ ...validDocs.notification_settings, updatedBy: 'Desk 2' });
    expect((await db.notification_settings.findOne(validDocs.notification_settings.id).exec())?.updatedBy).toBe('Desk 2');
  });
});

describe('reason codes and team-event facts: appointments v0 → v1, delivery_log v0 → v1, jobs and team_events v0 → v2', () => {
  it('opens documents written with version 0 unchanged, and accepts the new fields', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-v1-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    await old.addCollections({
      appointments: { schema: appointmentSchemaV0 as never },
      jobs: { schema: jobSchemaV0 as never },
      delivery_log: { schema: deliveryLogSchemaV0 as never },
      team_events: { schema: teamEventSchemaV0 as never },
    });
    await old.collections.appointments!.insert(validDocs.appointments);
    await old.collections.jobs!.insert({ ...validDocs.jobs, state: 'skipped', reason: 'the client has no phone number' });
    await old.collections.delivery_log!.insert({ ...validDocs.delivery_log, reason: 'an old English reason' });
    await old.collections.team_events!.insert(validDocs.team_events);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.appointments.findOne(validDocs.appointments.id).exec())?.toJSON()).toEqual(validDocs.appointments);
    expect((await db.jobs.findOne(validDocs.jobs.id).exec())?.reason).toBe('the client has no phone number');
    expect((await db.delivery_log.findOne(validDocs.delivery_log.id).exec())?.toJSON()).toEqual({ ...validDocs.delivery_log, reason: 'an old English reason' });
    expect((await db.team_events.findOne(validDocs.team_events.id).exec())?.toJSON()).toEqual(validDocs.team_events);

    await db.delivery_log.insert({ ...validDocs.delivery_log, id: 'coded', reason: 'no SMS: the client has no phone number', reasonCode: 'channel.noPhone', reasonParams: { name: 'Anna', startAt: 1_800_000_000_000 } });
    expect((await db.delivery_log.findOne('coded').exec())?.reasonParams).toEqual({ name: 'Anna', startAt: 1_800_000_000_000 });
    const job = await db.jobs.findOne(validDocs.jobs.id).exec();
    await job!.incrementalPatch({ reasonCode: 'channel.noPhone', cascade: [{ channel: 'sms', scenario: 'always', state: 'skipped', reasonCode: 'channel.noPhone' }] });
    await db.team_events.insert({ ...validDocs.team_events, id: 'with-facts', facts: { clientName: 'Anna', startAt: 1_800_000_000_000, previousStaffName: 'Olga' } });
    const cancelled = await db.appointments.findOne(validDocs.appointments.id).exec();
    await cancelled!.incrementalPatch({ history: [...validDocs.appointments.history, { at: '2026-01-01T10:00:00.000Z', by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled', notify: false, note: 'Client called' }] });
    expect((await db.appointments.findOne(validDocs.appointments.id).exec())?.history.at(-1)?.notify).toBe(false);
    const refused = await insertError(db.delivery_log.insert({ ...validDocs.delivery_log, id: 'bad', reasonParams: { x: { nested: true } as never } }));
    expect(validationMessage(refused)).toContain('delivery_log.reasonParams');
  });
});

describe('client replies: team_events v3 → v4', () => {
  it('keeps every v3 row as it was and accepts a clientReply row with its reply facts', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-replies-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    const { 4: _next, 5: _after, 6: _later, ...upToV3 } = teamEventMigrationStrategies;
    await old.addCollections({ team_events: { schema: teamEventSchemaV3 as never, migrationStrategies: upToV3 as never } });
    await old.collections.team_events!.insert(validDocs.team_events);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.team_events.findOne(validDocs.team_events.id).exec())?.toJSON()).toEqual(validDocs.team_events);
    const reply = { ...validDocs.team_events, id: 'reply-1', type: 'clientReply' as const, facts: { startAt: 1_800_000_000_000, clientName: 'Anna', replyText: 'Да', replyVia: 'telegram', confirmed: true } };
    await db.team_events.insert(reply);
    expect((await db.team_events.findOne('reply-1').exec())?.facts).toEqual(reply.facts);
    const refused = await insertError(db.team_events.insert({ ...reply, id: 'reply-2', facts: { ...reply.facts, replyText: 'x'.repeat(1001) } }));
    expect(validationMessage(refused)).toContain('team_events');
  });
});

describe('length changes: appointments v2 → v3, team_events v4 → v5', () => {
  it('reopens visits and center rows of the older versions unchanged, and accepts durationChanged entries and rows', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-length-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    const { 3: _nextVisit, ...visitsUpToV2 } = appointmentMigrationStrategies;
    const { 5: _nextRow, 6: _laterRow, ...rowsUpToV4 } = teamEventMigrationStrategies;
    await old.addCollections({
      appointments: { schema: appointmentSchemaV2 as never, migrationStrategies: visitsUpToV2 as never },
      team_events: { schema: teamEventSchemaV4 as never, migrationStrategies: rowsUpToV4 as never },
    });
    const visit = { ...validDocs.appointments, payments: [{ id: 'p1', method: 'cash' as const, amountMinor: 500, at: '2026-01-01T10:00:00.000Z', by: 'Desk', source: 'desk' as const }] };
    await old.collections.appointments!.insert(visit);
    await old.collections.team_events!.insert(validDocs.team_events);
    // Version 2 knew no length changes: such an entry was refused then.
    const before = await insertError(old.collections.appointments!.insert({ ...visit, id: 'too-early', history: [{ at: visit.createdAt, by: 'desk', kind: 'durationChanged' }] }));
    expect(String((before as Error).message ?? before)).toMatch(/history|kind|enum/i);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.appointments.findOne(visit.id).exec())?.toJSON()).toEqual(visit);
    expect((await db.team_events.findOne(validDocs.team_events.id).exec())?.toJSON()).toEqual(validDocs.team_events);
    const doc = await db.appointments.findOne(visit.id).exec();
    const end = new Date(Date.parse(visit.end) + 30 * 60_000).toISOString();
    await doc!.incrementalPatch({ end, history: [...visit.history, { at: '2026-01-02T10:00:00.000Z', by: 'desk', kind: 'durationChanged', from: visit.end, to: end }] });
    expect((await db.appointments.findOne(visit.id).exec())?.history.at(-1)).toMatchObject({ kind: 'durationChanged', to: end });
    const row = { ...validDocs.team_events, id: 'length-1', type: 'durationChanged' as const, facts: { startAt: 1_800_000_000_000, endAt: 1_800_005_400_000, previousEndAt: 1_800_003_600_000 } };
    await db.team_events.insert(row);
    expect((await db.team_events.findOne('length-1').exec())?.facts).toEqual(row.facts);
  });
});

describe('providers issue: jobs v0 → v3, delivery_log v0 → v2, staff v0 → v1, clients v1 → v2', () => {
  it('reopens jobs, the delivery log and staff of version 0, and clients of version 1, in the current shapes', async () => {
    const storage = getRxStorageMemory();
    const name = `t-migrate-${counter++}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    await old.addCollections({
      jobs: { schema: jobSchemaV0 as never },
      delivery_log: { schema: deliveryLogSchemaV0 as never },
      staff: { schema: staffSchemaV0 as never },
      clients: { schema: clientSchemaV1 as never, migrationStrategies: { 1: clientMigrationStrategies[1] } as never },
    });
    const v1client: ClientV1 = { ...validDocs.clients, apps: { aggregator: false, brandedPushToken: 'tok-1' } } as ClientV1;
    await old.collections.jobs!.insert(validDocs.jobs);
    await old.collections.delivery_log!.insert(validDocs.delivery_log);
    await old.collections.staff!.insert(validDocs.staff);
    await old.collections.clients!.insert(v1client);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.jobs.findOne(validDocs.jobs.id).exec())?.toJSON()).toEqual(validDocs.jobs);
    expect((await db.delivery_log.findOne(validDocs.delivery_log.id).exec())?.toJSON()).toEqual(validDocs.delivery_log);
    expect((await db.staff.findOne(validDocs.staff.id).exec())?.toJSON()).toEqual(validDocs.staff);
    expect((await db.clients.findOne(v1client.id).exec())?.apps).toEqual({ aggregator: false, brandedPushTokens: ['tok-1'] });
    // The new fields are accepted where they belong.
    await db.staff.findOne(validDocs.staff.id).exec().then((doc) => doc!.incrementalPatch({ adminPush: { ntfyTopic: 'lumiere-sophie', pushTokens: ['t'] } }));
    const step: CascadeStep = { channel: 'sms', scenario: 'always', state: 'sent', route: 'whatsapp', skipRoutes: ['telegram'], providerMessageId: 'SM1', providerStatus: 'queued', tries: 0, reportAt: 1, polls: 0, verdictAt: 2 };
    await db.jobs.insert({ ...validDocs.jobs, id: 'j2', idempotencyKey: 'j2', cascade: [step] });
    await db.delivery_log.insert({ ...validDocs.delivery_log, id: `${'x'.repeat(200)}`, status: 'retrying', basis: 'report', route: 'sms', retryAt: 5, segments: 2, costMicros: 15_000, costCurrency: 'USD', costEstimated: false });
    const err = await insertError(db.staff.insert({ ...validDocs.staff, id: 's9', adminPush: { ntfyTopic: 'has space' } }));
    expect(validationMessage(err)).toMatch(/^staff\.adminPush\.ntfyTopic: must match pattern/);
  });
});
