/**
 * Schema versions of the salon-setup issue: locations v2 → v3 (opening hours, client languages), staff v1 → v2 (days
 * off and vacations), clients v2 → v3 (per-channel opt-outs), appointments v1 → v2 (payments), team_events v2 → v3
 * (calls and payments from integrations). A data folder written before them opens with every document unchanged, and
 * takes the new fields afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRxDatabase } from 'rxdb';
import { addRxPlugin } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { appointmentSchemaV1 } from '../../../../shared/domain/appointment.ts';
import { clientSchemaV2 } from '../../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { locationSchemaV2 } from '../../../../shared/domain/location.ts';
import { staffSchemaV1 } from '../../../../shared/domain/staff.ts';
import { teamEventSchemaV2 } from '../../../../shared/domain/team-event.ts';
import { validationMessage } from '../../../../shared/domain/validation-errors.ts';
import { validDocs } from './fixtures.ts';

const open: FrontDeskDatabase[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.remove();
});

describe('salon setup schema versions', () => {
  it('opens documents of the previous versions unchanged and accepts hours, time off, channel opt-outs, payments and integration events', async () => {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const storage = getRxStorageMemory();
    const name = `t-migrate-setup-${Date.now()}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    const previous = { locations: locationSchemaV2, staff: staffSchemaV1, clients: clientSchemaV2, appointments: appointmentSchemaV1, team_events: teamEventSchemaV2 } as const;
    await old.addCollections(Object.fromEntries(Object.entries(previous).map(([collection, schema]) => [collection, { schema: schema as never }])));
    const { clients, staff, locations, appointments, team_events } = validDocs;
    const oldClient = { ...clients, apps: { aggregator: false } };
    await old.collections.locations!.insert(locations);
    await old.collections.staff!.insert(staff);
    await old.collections.clients!.insert(oldClient);
    await old.collections.appointments!.insert(appointments);
    await old.collections.team_events!.insert(team_events);
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.locations.findOne(locations.id).exec())?.toJSON()).toEqual(locations);
    expect((await db.staff.findOne(staff.id).exec())?.toJSON()).toEqual(staff);
    expect((await db.clients.findOne(clients.id).exec())?.toJSON()).toEqual(oldClient);
    expect((await db.appointments.findOne(appointments.id).exec())?.toJSON()).toEqual(appointments);
    expect((await db.team_events.findOne(team_events.id).exec())?.toJSON()).toEqual(team_events);

    const hours = { mon: [{ start: '09:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    await (await db.locations.findOne(locations.id).exec())!.incrementalPatch({ openingHours: hours, clientLanguages: ['ru', 'en'] });
    await (await db.staff.findOne(staff.id).exec())!.incrementalPatch({ timeOff: [{ from: '2026-12-24', to: '2027-01-02', kind: 'vacation', note: 'Holidays' }] });
    await (await db.clients.findOne(clients.id).exec())!.incrementalPatch({ channelOptOuts: { sms: 'all', email: 'marketing' } });
    const payment = { id: 'pay-1', method: 'qr' as const, amountMinor: 4500, at: '2026-12-02T10:00:00.000Z', by: 'Terminal', source: 'integration' as const, reference: 'T-77' };
    await (await db.appointments.findOne(appointments.id).exec())!.incrementalPatch({ payments: [payment] });
    await db.team_events.insert({ ...team_events, id: 'call-1', type: 'incomingCall', staffIds: [], facts: { startAt: 1_800_000_000_000, phone: '+491511234567' }, origin: { kind: 'integration', name: 'Phone', deskId: 'desk-1' } });
    expect((await db.locations.findOne(locations.id).exec())?.clientLanguages).toEqual(['ru', 'en']);
    expect((await db.staff.findOne(staff.id).exec())?.timeOff?.[0]?.kind).toBe('vacation');
    expect((await db.clients.findOne(clients.id).exec())?.channelOptOuts).toEqual({ sms: 'all', email: 'marketing' });
    expect((await db.appointments.findOne(appointments.id).exec())?.payments).toEqual([payment]);
    expect((await db.team_events.findOne('call-1').exec())?.origin?.deskId).toBe('desk-1');

    // The new fields are as strict as the old ones.
    const refused = await db.clients.insert({ ...clients, id: 'c-bad', channelOptOuts: { sms: 'sometimes' as never } }).catch((e: unknown) => e);
    expect(validationMessage(refused)).toContain('clients.channelOptOuts.sms');
    const noPay = await (await db.appointments.findOne(appointments.id).exec())!.incrementalPatch({ payments: [{ ...payment, amountMinor: 0 }] }).catch((e: unknown) => e);
    expect(validationMessage(noPay)).toContain('appointments.payments');
  });
});
