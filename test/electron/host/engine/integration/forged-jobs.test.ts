/**
 * "Nothing is sent for a job the engine did not plan." A whole host — commands, engine, the REAL email provider to an
 * SMTP server on loopback, a recording desktop provider — gets outbox documents written straight into its database,
 * the way replication or a hostile peer would: wrong ids, types and occasions planning does not want, subjects that do
 * not exist, toasts for events that never happened or for staff who do not want them, a channel the settings turn
 * off, a real job moved early with its text replaced. None reaches a provider; each is closed with its reason in the
 * log (or, the early one, put back to its planned time). Bookings made through the commands still get their messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import { APPEND_ONLY_REFUSAL } from '../../../../../electron/host/db/append-only-storage.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import { jobId, type Job } from '../../../../../shared/domain/job.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { addDaysToLocalDate, utcToWallClock } from '../../../../../shared/domain/zoned-time.ts';
import type { SmtpSink } from '../../channels/support/smtp-sink.ts';
import { startRecordingHost, type RecordingHost } from './support/recording-host.ts';
import { DAY, HOUR, LOCATION_ID, allJobs, deliveryLog, salonClient, seedSalon, waitUntil } from './support/salon.ts';

const TZ = 'Europe/Berlin';
const FORGED = 'FORGED TEXT: pay now at evil.example';

let sink: SmtpSink;
let salon: RecordingHost | undefined;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
let toasts: OutgoingMessage[];
let hostLog: string[];

beforeAll(async () => {
  salon = await startRecordingHost('forged-jobs', async (db, smtpPort) => {
    const now = Date.now();
    await seedSalon(db, {
      now,
      smtpPort,
      clients: [
        salonClient('c-anna', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' }),
        salonClient('c-bday', now, { firstName: 'Bea', lastName: 'Day', email: 'bea@clients.example', birthday: '1990-06-15' }),
      ],
    });
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

function forged(fields: Partial<Job> & Pick<Job, 'type' | 'subjectKind' | 'subjectId' | 'occasion' | 'channel'>, now: number): Job {
  const stamp = new Date(now).toISOString();
  const id = fields.id ?? jobId(fields);
  return {
    id, locationId: LOCATION_ID, dueAt: now - 1_000, state: 'planned', attempts: 0, idempotencyKey: id, createdAt: stamp, updatedAt: stamp,
    recipient: 'victim@forged.example', rendered: { language: 'en', subject: FORGED, body: FORGED }, ...fields,
  };
}

const terminal = (job: Job | undefined) => job !== undefined && job.state !== 'planned' && job.state !== 'sending' && job.state !== 'sent';

describe('forged outbox documents', () => {
  it('are closed unsent with their reason, while planned messages still go out', async () => {
    // A legitimate booking through the command: its confirmation goes out by email.
    const date = addDaysToLocalDate(utcToWallClock(Date.now(), TZ).date, 3);
    const booked = await call<{ appointmentId: string; revision: string }>('appointments.create', {
      locationId: LOCATION_ID, client: { kind: 'existing', id: 'c-anna' }, staffId: 'st-sophie', serviceIds: ['svc-cut'], start: { date, time: '10:00' },
    });
    const apt = booked.appointmentId;
    // A second one, which stays booked: the client-message forgeries are about it.
    const kept = (await call<{ appointmentId: string }>('appointments.create', {
      locationId: LOCATION_ID, client: { kind: 'existing', id: 'c-anna' }, staffId: 'st-mila', serviceIds: ['svc-cut'], start: { date, time: '15:00' },
    })).appointmentId;
    for (const id of [apt, kept]) {
      const confirmationId = jobId({ type: 'bookingConfirmation', subjectId: id, occasion: 'booked', channel: 'cascade' });
      await waitUntil(async () => (await allJobs(db)).find((j) => j.id === confirmationId && j.state === 'delivered'), 15_000, async () => `no delivered confirmation; log:\n${hostLog.join('\n')}`);
    }
    expect(sink.received).toHaveLength(2);
    const startMs = (await db.appointments.findOne(kept).exec())!.startMs;
    const reminderId = jobId({ type: 'reminder', subjectId: kept, occasion: `1440m@${startMs}`, channel: 'cascade' });
    const planned = (await allJobs(db)).find((j) => j.id === reminderId)!;
    expect(planned).toMatchObject({ state: 'planned' });

    // A cancellation through the command: the team event this desk makes, and its toast for Sophie.
    await call('appointments.cancel', { appointmentId: apt, expectedRevision: booked.revision });
    const event = await waitUntil(async () => (await db.team_events.find({ selector: { appointmentId: apt, type: 'cancellation' } }).exec())[0]?.toMutableJSON(), 15_000, () => 'no cancellation event');
    await waitUntil(async () => (toasts.length > 0 ? toasts : undefined), 15_000, () => 'no legitimate toast');
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toMatchObject({ recipient: { staffId: 'st-sophie' }, subject: event.title, body: event.body });
    const sentBefore = sink.received.length;

    // --- Written straight into the outbox, as a peer or a hostile client of the storage could ----------------------
    const now = Date.now();
    const bdayYear = Number(utcToWallClock(now, TZ).date.slice(0, 4)) + 3;
    const jobs: Job[] = [
      // An id that is not the one its type, subject, occasion and channel give.
      forged({ id: 'free-text-id', type: 'bookingConfirmation', subjectKind: 'appointment', subjectId: kept, occasion: 'booked', channel: 'cascade' }, now),
      // Types and occasions planning does not make for this visit: a reminder 17 h before, a "restored" confirmation.
      forged({ type: 'reminder', subjectKind: 'appointment', subjectId: kept, occasion: `1020m@${startMs}`, channel: 'cascade' }, now),
      forged({ type: 'bookingConfirmation', subjectKind: 'appointment', subjectId: kept, occasion: `restored@${now - HOUR}`, channel: 'cascade' }, now),
      // A subject that does not exist.
      forged({ type: 'bookingConfirmation', subjectKind: 'client', subjectId: 'c-nobody', occasion: 'booked', channel: 'cascade' }, now),
      // Occasions planning never makes: a birthday greeting for a year ahead, a perk that does not exist.
      forged({ type: 'birthdayGreeting', subjectKind: 'client', subjectId: 'c-bday', occasion: `birthday@${bdayYear}`, channel: 'cascade' }, now),
      forged({ type: 'bonusAccrual', subjectKind: 'perk', subjectId: 'perk-nobody', occasion: 'credited', channel: 'cascade' }, now),
      // A channel client messages never use, and a client message posing as a team one.
      forged({ type: 'bookingConfirmation', subjectKind: 'appointment', subjectId: kept, occasion: 'booked', channel: 'sms' }, now),
      // Toasts: for an event that never happened, for a member who does not want toasts, on a channel that is off.
      forged({ type: 'cancellation', subjectKind: 'teamEvent', subjectId: `cancellation|${apt}|2020-01-01T00:00:00.000Z`, occasion: 'st-sophie', channel: 'desktop' }, now),
      forged({ type: 'cancellation', subjectKind: 'teamEvent', subjectId: event.id, occasion: 'st-mila', channel: 'desktop' }, now),
      forged({ type: 'cancellation', subjectKind: 'teamEvent', subjectId: event.id, occasion: 'st-sophie', channel: 'email' }, now),
    ];
    const res = await db.jobs.bulkInsert(jobs);
    expect(res.error).toEqual([]);
    // And a real job of the engine rewritten: made due now, its text replaced.
    await (await db.jobs.findOne(reminderId).exec())!.incrementalPatch({ dueAt: now - 1_000, rendered: { language: 'en', subject: FORGED, body: FORGED } });

    const ids = jobs.map((j) => j.id);
    const closed = await waitUntil(
      async () => {
        const all = await allJobs(db);
        const mine = ids.map((id) => all.find((j) => j.id === id));
        const reminder = all.find((j) => j.id === reminderId);
        return mine.every(terminal) && reminder && reminder.dueAt > Date.now() ? { mine: mine as Job[], reminder } : undefined;
      },
      15_000,
      async () => `forged jobs not all closed: ${JSON.stringify((await allJobs(db)).filter((j) => ids.includes(j.id) || j.id === reminderId), null, 1)}\n${hostLog.join('\n')}`,
    );
    // Give a wrong send every chance to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await host.runtime.engine.idle();

    // --- Nothing reached a provider ---------------------------------------------------------------------------------
    expect(sink.received.length - sentBefore).toBe(0);
    expect(sink.received.some((m) => `${m.subject} ${m.text}`.includes('FORGED'))).toBe(false);
    expect(toasts).toHaveLength(1);
    expect(closed.mine.map((j) => j.state)).toEqual(jobs.map(() => 'cancelled'));
    // Each with the reason of the first check that stopped it: the due check (subject gone, channel off) or planning.
    expect(closed.mine.map((j) => j.reasonCode)).toEqual([
      'notPlanned.id',
      'notPlanned.notWanted',
      'notPlanned.notWanted',
      'client.gone',
      'notPlanned.notWanted',
      'client.gone',
      'staff.channelOff',
      'notPlanned.subjectGone',
      'notPlanned.notWanted',
      'staff.channelOff',
    ]);
    // Each closure is in the delivery log with its reason.
    for (const job of closed.mine) {
      const entries = await deliveryLog(db, job.id);
      expect(entries.map((e) => e.status), job.id).toContain('cancelled');
      expect(entries.every((e) => e.status !== 'attempted' && e.status !== 'delivered')).toBe(true);
      // The log names nobody the job document made up.
      expect(entries.map((e) => e.recipient), job.id).not.toContain('victim@forged.example');
    }
    // The rewritten reminder waits for its planned time again (24 h before the start), unsent.
    expect(closed.reminder).toMatchObject({ state: 'planned', dueAt: planned.dueAt });
    expect(closed.reminder.dueAt).toBe(startMs - DAY);
    expect(await deliveryLog(db, reminderId)).toEqual([]);
    expect(startMs - HOUR).toBeGreaterThan(Date.now());
  });

  it('keeps its delivery log append-only: an entry cannot be rewritten or deleted', async () => {
    const entry = (await db.delivery_log.find({ limit: 1 }).exec())[0]!;
    const before = entry.toMutableJSON();
    await expect(entry.incrementalPatch({ status: 'delivered', reason: 'rewritten' })).rejects.toThrow();
    await expect(entry.remove()).rejects.toThrow();
    // bulkUpsert answers per-document errors or throws, depending on how RxDB routes the existing document.
    const upsert = await db.delivery_log.bulkUpsert([{ ...before, reason: 'rewritten' }]).then((r) => JSON.stringify(r.error), (e: unknown) => JSON.stringify((e as { parameters?: unknown }).parameters));
    expect(upsert).toContain(APPEND_ONLY_REFUSAL);
    expect((await db.delivery_log.findOne(before.id).exec())!.toMutableJSON()).toEqual(before);
  });
});
