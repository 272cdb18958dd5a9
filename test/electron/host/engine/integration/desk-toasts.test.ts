/**
 * This desk's staff (desk.save) without sync: the desk is the only one that sees the event, so a cancellation's
 * desktop toast shows here for the specialist concerned whether or not they are listed at it — a toast is never lost
 * to a desk that cannot see it. The toast is this desk's own job (its id carries the desk). With sync, each desk shows
 * its own staff's toasts: test/electron/host/sync/integration/desk-toasts.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import type { ChannelProvider, OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { desktopOccasion } from '../../../../../shared/engine/team-events.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../../../../shared/domain/zoned-time.ts';
import { startMemoryHost, type MemoryHost } from '../../support/memory-host.ts';
import { LOCATION_ID, allJobs, deliveryLog, salonClient, seedSalon, waitUntil } from './support/salon.ts';

let running: MemoryHost | undefined;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
const toasts: OutgoingMessage[] = [];

const recordingDesktop: ChannelProvider = {
  channel: 'desktop',
  readiness: () => ({ ready: true }),
  send: async (message) => {
    toasts.push(message);
    return { status: 'delivered' };
  },
};

beforeAll(async () => {
  running = await startMemoryHost('desk-toasts', { providers: { desktop: recordingDesktop } });
  host = running.host;
  db = host.runtime.db;
  const now = Date.now();
  await seedSalon(db, { now, clients: [salonClient('c-anna', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' })] });
  await host.runtime.engine.idle();
}, 60_000);

afterAll(async () => {
  await running?.stop();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await host.api.call(channel, payload);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** Books Sophie at `time` in three days and cancels it; answers the cancellation toast's job once it is closed. */
async function cancelSophiesVisit(time: string) {
  const date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 3);
  const booked = await call<{ appointmentId: string; revision: string }>('appointments.create', {
    locationId: LOCATION_ID, client: { kind: 'existing', id: 'c-anna' }, staffId: 'st-sophie', serviceIds: ['svc-cut'], start: { date, time },
  });
  await call('appointments.cancel', { appointmentId: booked.appointmentId, expectedRevision: booked.revision, notifyClient: false });
  return waitUntil(
    async () => {
      const events = await db.team_events.find({ selector: { appointmentId: booked.appointmentId, type: 'cancellation' } }).exec();
      const eventId = events[0]?.id;
      return (await allJobs(db)).find((j) => j.subjectId === eventId && j.channel === 'desktop' && j.state !== 'planned' && j.state !== 'sending');
    },
    15_000,
    () => 'no closed desktop toast job',
  );
}

describe('desktop toasts of this desk’s staff', () => {
  it('show without sync for the specialist concerned even when the desk lists only others, once, as this desk’s job', async () => {
    await call('desk.save', { deskName: 'Reception', staffIds: ['st-mila'] });
    const job = await cancelSophiesVisit('10:00');
    expect(job).toMatchObject({ state: 'delivered', occasion: desktopOccasion('st-sophie', host.runtime.sync.deskId) });
    expect(toasts.map((t) => t.recipient.staffId)).toEqual(['st-sophie']);
    const entries = await deliveryLog(db, job.id);
    expect(entries.map((e) => e.status)).toEqual(['attempted', 'delivered']);
    toasts.splice(0);
  });

  it('show for staff who work here', async () => {
    await call('desk.save', { deskName: 'Reception', staffIds: ['st-mila', 'st-sophie'] });
    const job = await cancelSophiesVisit('12:00');
    expect(job).toMatchObject({ state: 'delivered' });
    expect(toasts.map((t) => t.recipient.staffId)).toEqual(['st-sophie']);
  });
});
