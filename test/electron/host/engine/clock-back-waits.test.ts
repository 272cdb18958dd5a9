/**
 * A message already sent that still waits — for a retry, a delivery-report poll, its verdict window — waits as long as
 * it was going to when the clock that timed it was ahead of this desk's: this desk's clock set back after the send,
 * or the lease taken over from a desk whose clock runs fast (shared/engine/wait-retime.ts). Real engine and database,
 * manual clock and timers, scripted providers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../../shared/domain/job.ts';
import { CLOCK_WATCH_INTERVAL_MS } from '../../../../shared/time/clock-watch.ts';
import { DAY, EngineHarness, HOUR, LOCATION_ID, MINUTE, T0, client } from './support/harness.ts';
import { standInLease } from './support/stand-in-lease.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

const START = T0 + 3 * DAY;
const SECOND = 1_000;

async function confirmation(appointmentId: string): Promise<Job> {
  const [job] = await h.job('bookingConfirmation', appointmentId);
  return job!;
}

/** A dispatch lease this desk holds or not, at epoch 2. */
const lease = (holding: boolean) => standInLease({ holding, epoch: 2 });

describe('the clock set back while a sent message waits', () => {
  it('a retry the provider asked for in 10 minutes is made about 10 minutes later, not 3 h', async () => {
    h = await EngineHarness.create({ watchClock: true });
    let calls = 0;
    h.providers.email.script = () => (++calls === 1 ? { status: 'failed', reason: 'SMTP 421 try again later', permanent: false, retryAfterMs: 10 * MINUTE } : { status: 'delivered', providerMessageId: 'm1' });
    const a = await h.book(START);
    expect(h.sentOf('email')).toHaveLength(1);
    await h.advance(MINUTE);
    h.time.jumpWallClock(-3 * HOUR);
    await h.advance(CLOCK_WATCH_INTERVAL_MS + 10 * MINUTE);
    expect(h.sentOf('email')).toHaveLength(2);
    expect((await confirmation(a.id)).state).toBe('delivered');
  });

  it('the delivery report is asked for within the poll interval, the verdict window keeps its length, and nothing is sent twice', async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined })], watchClock: true });
    h.providers.sms.script = () => ({ status: 'accepted', providerMessageId: 'SM1', providerStatus: 'queued' });
    h.providers.sms.reports(() => ({ status: 'inFlight', providerStatus: 'sent' }));
    const a = await h.book(START);
    expect(await confirmation(a.id)).toMatchObject({ state: 'sent', dueAt: T0 + 15 * SECOND });
    await h.advance(5 * SECOND);
    h.time.jumpWallClock(-3 * HOUR);
    await h.advance(CLOCK_WATCH_INTERVAL_MS + 20 * SECOND);
    expect(h.providers.sms.reportQueries).toHaveLength(1);
    const waiting = (await confirmation(a.id)).cascade!.find((step) => step.channel === 'sms')!;
    expect(waiting.verdictAt! - h.time.now()).toBeLessThanOrEqual(10 * MINUTE);
    // The 10-minute window ends by this clock: the verdict is assumed, the message never sent again.
    await h.advance(10 * MINUTE);
    expect((await confirmation(a.id)).state).toBe('delivered');
    expect(h.providers.sms.sent).toHaveLength(1);
  });
});

describe('the desk closed while a sent message waits, and started with its clock set back', () => {
  it('asks for the delivery report within the poll interval of its start, not 3 h later', async () => {
    const sentAt = T0 + 3 * HOUR;
    h = await EngineHarness.create({
      clients: [client({ email: undefined })],
      // Sent by SMS at 13:00 by a clock 3 h fast, the report due at 13:00:15; the desk was closed before it asked.
      beforeStart: async (db) => {
        const appointment = {
          id: 'a1', locationId: LOCATION_ID, clientId: 'c1', staffId: 's1', serviceIds: ['svc1'], start: new Date(START).toISOString(), end: new Date(START + HOUR).toISOString(),
          startMs: START, status: 'booked' as const, source: 'desk' as const, history: [{ at: new Date(sentAt).toISOString(), by: 'desk', kind: 'created' as const }], reviewLeft: false,
          createdAt: new Date(sentAt).toISOString(), updatedAt: new Date(sentAt).toISOString(),
        };
        await db.appointments.insert(appointment);
        const step = { channel: 'sms' as const, scenario: 'ifPreviousFailed' as const, state: 'sent' as const, providerMessageId: 'SM1', reportAt: sentAt + 15 * SECOND, polls: 0, verdictAt: sentAt + 10 * MINUTE, at: new Date(sentAt).toISOString() };
        await db.jobs.insert({
          id: 'bookingConfirmation|a1|booked|cascade', locationId: LOCATION_ID, type: 'bookingConfirmation', subjectKind: 'appointment', subjectId: 'a1', occasion: 'booked', channel: 'cascade',
          dueAt: sentAt + 15 * SECOND, state: 'sent', attempts: 1, idempotencyKey: 'bookingConfirmation|a1|booked|cascade', cascade: [step], createdAt: new Date(sentAt).toISOString(), updatedAt: new Date(sentAt).toISOString(),
        });
      },
    });
    h.providers.sms.reports(() => ({ status: 'delivered', providerStatus: 'delivered' }));
    await h.advance(20 * SECOND);
    expect(h.providers.sms.reportQueries).toHaveLength(1);
    expect((await confirmation('a1')).state).toBe('delivered');
    expect(h.providers.sms.sent).toEqual([]);
  });
});

describe('the lease taken over from a desk whose clock runs an hour fast', () => {
  /** The desk ahead sent the confirmation by SMS at its 11:00 (this desk's 10:00) and waits for the report at 11:00:15. */
  async function sentByTheDeskAhead(appointmentId: string): Promise<void> {
    const planned = await confirmation(appointmentId);
    const sentAt = T0 + HOUR;
    const cascade = [{ channel: 'sms' as const, scenario: 'ifPreviousFailed' as const, state: 'sent' as const, providerMessageId: 'SM1', providerStatus: 'queued', reportAt: sentAt + 15 * SECOND, polls: 0, verdictAt: sentAt + 10 * MINUTE, at: h.iso(sentAt), fence: { desk: 'desk-a', epoch: 1 } }];
    await h.db.jobs.upsert({ ...planned, state: 'sent', attempts: 1, cascade, dueAt: sentAt + 15 * SECOND, updatedAt: h.iso(sentAt) });
    await h.settle();
  }

  it('its delivery-report poll and verdict window count from this desk’s now', async () => {
    const { gate, state, changed } = lease(false);
    h = await EngineHarness.create({ gate, clients: [client({ email: undefined })] });
    h.providers.sms.reports(() => ({ status: 'delivered', providerStatus: 'delivered' }));
    const a = await h.book(START);
    await sentByTheDeskAhead(a.id);
    state.holding = true;
    changed();
    await h.advance(20 * SECOND);
    expect(h.providers.sms.reportQueries).toHaveLength(1);
    expect((await confirmation(a.id)).state).toBe('delivered');
    expect(h.providers.sms.sent).toEqual([]);
  });

  it('its version arriving by sync after this desk took the lease over waits from this desk’s now too', async () => {
    const { gate, state } = lease(false);
    h = await EngineHarness.create({ gate, clients: [client({ email: undefined })] });
    h.providers.sms.reports(() => ({ status: 'delivered', providerStatus: 'delivered' }));
    const a = await h.book(START);
    state.holding = true;
    await sentByTheDeskAhead(a.id);
    await h.advance(20 * SECOND);
    expect(h.providers.sms.reportQueries).toHaveLength(1);
    expect((await confirmation(a.id)).state).toBe('delivered');
    expect(h.providers.sms.sent).toEqual([]);
  });
});
