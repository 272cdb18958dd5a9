/**
 * A desk may serve several locations, each with its own database on the sync endpoint, and a peer that can write one
 * of them can write a booking there whose client or specialist belongs to the other location — which the booking
 * form refuses (appointment.client.wrongLocation, appointment.staff.wrongLocation) and the sync boundary cannot see
 * (it checks one document at a time). The booking is written straight into a whole host's database, as replication
 * writes it, with the REAL email provider to an SMTP server on loopback and a recording desktop provider: nothing of
 * that location reaches the other location's client or staff member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import { jobId } from '../../../../../shared/domain/job.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import type { SmtpSink } from '../../channels/support/smtp-sink.ts';
import { startRecordingHost, type RecordingHost } from './support/recording-host.ts';
import { DAY, HOUR, allJobs, appointment, deliveryLog, salonClient, salonLocation, seedSalon, waitUntil } from './support/salon.ts';

const OTHER = 'loc-other';

let sink: SmtpSink;
let salon: RecordingHost | undefined;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
let toasts: OutgoingMessage[];
let hostLog: string[];

beforeAll(async () => {
  salon = await startRecordingHost('cross-location', async (db, smtpPort) => {
    const now = Date.now();
    await seedSalon(db, { now, smtpPort, clients: [salonClient('c-anna', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' })] });
    await db.locations.insert({ ...salonLocation(now), id: OTHER, name: 'The other salon' });
    await db.clients.insert(salonClient('c-bella', now, { locationId: OTHER, firstName: 'Bella', email: 'bella@other.example' }));
    await db.staff.insert({ id: 'st-olga', locationId: OTHER, name: 'Olga Other', role: 'specialist', serviceIds: [], workingHours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, desktopToasts: true, active: true, createdAt: new Date(now - DAY).toISOString() });
  });
  ({ sink, host, db, toasts, hostLog } = salon);
}, 60_000);

afterAll(async () => {
  await salon?.stop();
});

describe('a booking of one location naming the client or specialist of another', () => {
  it('sends that client nothing, and that specialist no toast, while a booking of the location still gets its confirmation', async () => {
    const now = Date.now();
    const start = now + 3 * DAY;
    await db.appointments.bulkInsert([
      appointment('apt-foreign-client', 'c-bella', start, now),
      appointment('apt-foreign-staff', 'c-anna', start + 2 * HOUR, now, { staffId: 'st-olga' }),
      appointment('apt-own', 'c-anna', start + 4 * HOUR, now),
    ]);
    const confirmation = (id: string) => jobId({ type: 'bookingConfirmation', subjectId: id, occasion: 'booked', channel: 'cascade' });
    await waitUntil(async () => (await allJobs(db)).find((j) => j.id === confirmation('apt-own') && j.state === 'delivered'), 15_000, () => `no confirmation of the own booking; log:\n${hostLog.join('\n')}`);
    const foreign = await waitUntil(
      async () => {
        const job = (await allJobs(db)).find((j) => j.id === confirmation('apt-foreign-client'));
        return job && job.state !== 'planned' && job.state !== 'sending' ? job : undefined;
      },
      15_000,
      async () => `the foreign client's confirmation is open: ${JSON.stringify((await allJobs(db)).find((j) => j.id === confirmation('apt-foreign-client')))}`,
    );
    // The visit with the other location's specialist is cancelled: the team is told, not that specialist.
    const booked = (await db.appointments.findOne('apt-foreign-staff').exec())!;
    await booked.incrementalPatch({ status: 'cancelled', history: [...booked.history, { at: new Date().toISOString(), by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }], updatedAt: new Date().toISOString() });
    await waitUntil(async () => ((await db.team_events.find({ selector: { appointmentId: 'apt-foreign-staff' } }).exec()).length > 0 ? true : undefined), 15_000, () => 'no team event');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await host.runtime.engine.idle();

    expect(toasts.filter((toast) => toast.recipient.staffId === 'st-olga')).toEqual([]);
    expect(JSON.stringify(sink.received)).not.toContain('bella@other.example');
    expect(foreign).toMatchObject({ state: 'cancelled', reasonCode: 'notPlanned.otherLocation' });
    expect((await deliveryLog(db, foreign.id)).map((e) => e.status)).toEqual(['cancelled']);
  });
});
