/**
 * "A replayed sync never produces a second message" (DESIGN §4.1). A peer — a hostile one, or an old desk restoring a
 * backup — writes an outbox job that was sent back as `planned`, with no steps and no attempts. The desk that sent it
 * keeps its copy (the pull guard, forward-only-jobs.ts), but a desk that never had that copy — a new desk, one that was
 * offline while the message went out — gets the replayed version as its own, and planning still wants the job (the
 * visit is still booked), so the dispatcher sent it again. The delivery log is what no peer can take back (append-only,
 * deletions refused): the dispatcher reads it before a channel's first send. Here the replayed version is written
 * straight into a whole host's database, as replication writes it on such a desk, with the REAL email provider to an
 * SMTP server on loopback and a recording desktop provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import { jobId, type Job } from '../../../../../shared/domain/job.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../../../../shared/domain/zoned-time.ts';
import type { SmtpSink } from '../../channels/support/smtp-sink.ts';
import { startRecordingHost, type RecordingHost } from './support/recording-host.ts';
import { LOCATION_ID, allJobs, deliveryLog, salonClient, seedSalon, waitUntil } from './support/salon.ts';

const TZ = 'Europe/Berlin';

let sink: SmtpSink;
let salon: RecordingHost | undefined;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
let toasts: OutgoingMessage[];
let hostLog: string[];

beforeAll(async () => {
  salon = await startRecordingHost('replayed-jobs', async (db, smtpPort) => {
    const now = Date.now();
    await seedSalon(db, { now, smtpPort, clients: [salonClient('c-anna', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' })] });
  });
  ({ sink, host, db, toasts, hostLog } = salon);
}, 60_000);

afterAll(async () => {
  await salon?.stop();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await host.api.call(channel, payload);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** The job as a peer replays it: planned again, due now, without the steps and attempts of its send. */
async function replay(id: string): Promise<void> {
  const doc = (await db.jobs.findOne(id).exec())!;
  await doc.incrementalModify((job) => {
    const { cascade: _cascade, fence: _fence, reason: _reason, reasonCode: _code, reasonParams: _params, ...rest } = job;
    return { ...rest, state: 'planned', attempts: 0, dueAt: Date.now() - 1_000, updatedAt: new Date().toISOString() } as Job;
  });
}

describe('a sent job replayed as planned', () => {
  it('is not sent again: its channels take their outcome from the delivery log, which says why', async () => {
    const date = addDaysToLocalDate(utcToWallClock(Date.now(), TZ).date, 3);
    const booked = await call<{ appointmentId: string; revision: string }>('appointments.create', {
      locationId: LOCATION_ID, client: { kind: 'existing', id: 'c-anna' }, staffId: 'st-sophie', serviceIds: ['svc-cut'], start: { date, time: '10:00' },
    });
    const confirmationId = jobId({ type: 'bookingConfirmation', subjectId: booked.appointmentId, occasion: 'booked', channel: 'cascade' });
    await waitUntil(async () => (await allJobs(db)).find((j) => j.id === confirmationId && j.state === 'delivered'), 15_000, async () => `no delivered confirmation; ${JSON.stringify(await allJobs(db))} log:\n${hostLog.join("\n")}`);
    expect(sink.received).toHaveLength(1);

    // A second visit, cancelled: its toast for Sophie goes out once.
    const other = await call<{ appointmentId: string; revision: string }>('appointments.create', {
      locationId: LOCATION_ID, client: { kind: 'existing', id: 'c-anna' }, staffId: 'st-sophie', serviceIds: ['svc-cut'], start: { date, time: '15:00' },
    });
    await waitUntil(async () => (sink.received.length === 2 ? true : undefined), 15_000, () => 'no second confirmation');
    await call('appointments.cancel', { appointmentId: other.appointmentId, expectedRevision: other.revision });
    await waitUntil(async () => (toasts.length > 0 ? toasts : undefined), 15_000, () => 'no toast');
    await host.runtime.engine.idle();
    const toastJob = (await allJobs(db)).find((j) => j.channel === 'desktop' && j.state === 'delivered')!;
    expect(toastJob).toBeDefined();
    const mailsBefore = sink.received.length;

    await replay(confirmationId);
    await replay(toastJob.id);
    const settled = await waitUntil(
      async () => {
        const all = await allJobs(db);
        const replayed = [all.find((j) => j.id === confirmationId)!, all.find((j) => j.id === toastJob.id)!];
        return replayed.every((j) => j.state !== 'planned' && j.state !== 'sending') ? replayed : undefined;
      },
      15_000,
      async () => `replayed jobs not settled: ${JSON.stringify(await allJobs(db), null, 1)}\n${hostLog.join('\n')}`,
    );
    // Give a second send every chance to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await host.runtime.engine.idle();

    expect(sink.received.length - mailsBefore).toBe(0);
    expect(toasts).toHaveLength(1);
    const [confirmation, toast] = settled;
    expect(confirmation!.state).toBe('delivered');
    expect(confirmation!.cascade?.find((step) => step.channel === 'email')).toMatchObject({ state: 'delivered', reasonCode: 'send.replayed' });
    // The fall-back channels see the email delivered, as on the desk that sent it.
    expect(confirmation!.cascade?.filter((step) => step.scenario === 'ifPreviousFailed').map((step) => step.reasonCode)).toEqual(['channel.earlierDelivered', 'channel.earlierDelivered']);
    expect(toast).toMatchObject({ state: 'delivered', cascade: [{ channel: 'desktop', state: 'delivered', reasonCode: 'send.replayed' }] });
    for (const job of settled) {
      const entries = await deliveryLog(db, job.id);
      expect(entries.filter((e) => e.status === 'attempted'), job.id).toHaveLength(1);
    }

    // Replayed once more, its email step now waiting for a retry that is due (as after a temporary failure).
    const doc = (await db.jobs.findOne(confirmationId).exec())!;
    await doc.incrementalModify((job) => ({
      ...job, state: 'planned', attempts: 5, dueAt: Date.now() - 1_000, updatedAt: new Date().toISOString(),
      cascade: [{ channel: 'email', scenario: 'always', state: 'planned', tries: 1, retryAt: Date.now() - 1_000 }],
    }));
    const again = await waitUntil(
      async () => {
        const job = (await allJobs(db)).find((j) => j.id === confirmationId)!;
        return job.cascade?.[0]?.state !== 'planned' ? job : undefined;
      },
      15_000,
      async () => `the retry was not settled: ${JSON.stringify((await allJobs(db)).find((j) => j.id === confirmationId))}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await host.runtime.engine.idle();
    expect(sink.received.length - mailsBefore).toBe(0);
    expect(again.cascade?.find((step) => step.channel === 'email')).toMatchObject({ state: 'delivered', reasonCode: 'send.replayed' });
  });
});
