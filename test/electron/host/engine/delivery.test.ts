/**
 * Dispatch beyond the first answer: retries with backoff and Retry-After, the deadline, delivery reports (polled with
 * backoff until a final status or the verdict window ends, the assumed verdict logged), routes inside a channel,
 * unregistered push tokens, and team messages to staff over adminPush. Real engine and database, manual clock,
 * scripted providers (the wire formats are tested against loopback servers in test/electron/host/channels).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recoverInterrupted } from '../../../../electron/host/engine/job-outcome.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import type { ReportOutcome } from '../../../../shared/engine/provider.ts';
import { DAY, EngineHarness, HOUR, MINUTE, T0, client } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

const SECOND = 1_000;
const AFTERNOON = T0 + 5 * HOUR;

async function confirmation(appointmentId: string): Promise<Job> {
  const [job] = await h.job('bookingConfirmation', appointmentId);
  return job!;
}

async function logOf(jobId: string, channel?: string) {
  return (await h.log()).filter((e) => e.jobId === jobId && (!channel || e.channel === channel));
}

describe('retries', () => {
  it('retries a temporary failure with backoff and stops when it goes through', async () => {
    h = await EngineHarness.create();
    let calls = 0;
    h.providers.email.script = () => (++calls === 1 ? { status: 'failed', reason: 'SMTP 421 try again later', permanent: false } : { status: 'delivered', providerMessageId: 'm1' });
    const a = await h.book(AFTERNOON + 3 * DAY);
    expect(h.sentOf('email')).toHaveLength(1);
    const waiting = await confirmation(a.id);
    // Jitter fixed at 0.5: the first retry waits 1.5 s (half of 2 s fixed, half random).
    expect(waiting).toMatchObject({ state: 'sent', dueAt: T0 + 1_500 });
    expect(waiting.cascade?.find((s) => s.channel === 'email')).toMatchObject({ state: 'planned', tries: 1, retryAt: T0 + 1_500 });
    await h.advance(1_400);
    expect(h.sentOf('email')).toHaveLength(1);
    await h.advance(200);
    expect(h.sentOf('email')).toHaveLength(2);
    expect((await confirmation(a.id)).state).toBe('delivered');
    const log = await logOf((await confirmation(a.id)).id, 'email');
    expect(log.map((e) => e.status)).toEqual(['attempted', 'retrying', 'attempted', 'delivered']);
    expect(log[1]).toMatchObject({ retryAt: T0 + 1_500, reason: expect.stringContaining('SMTP 421 try again later; trying again at') });
    // The fallbacks waited for email's verdict and were not needed.
    expect(h.sentOf('sms')).toHaveLength(0);
  });

  it('an uncertain send is never sent again and hands nothing to the fallbacks: the job ends uncertain with its reason', async () => {
    h = await EngineHarness.create();
    h.providers.email.script = () => ({ status: 'uncertain', reason: 'the mail server hung up after the whole message', reasonCode: 'smtp.noVerdict', reasonParams: { server: 'mx:25', detail: 'Connection closed unexpectedly' } });
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.advance(HOUR);
    expect(h.sentOf('email')).toHaveLength(1);
    expect(h.sentOf('sms')).toHaveLength(0);
    const job = await confirmation(a.id);
    expect(job).toMatchObject({ state: 'uncertain', reasonCode: 'smtp.noVerdict' });
    expect((await logOf(job.id, 'email')).map((e) => e.status)).toEqual(['attempted', 'uncertain']);
  });

  it('honours Retry-After: not a moment earlier', async () => {
    h = await EngineHarness.create();
    let calls = 0;
    h.providers.email.script = () => (++calls === 1 ? { status: 'failed', reason: 'HTTP 429', permanent: false, retryAfterMs: 30_000 } : { status: 'delivered' });
    await h.book(AFTERNOON + 3 * DAY);
    await h.advance(29_900);
    expect(h.sentOf('email')).toHaveLength(1);
    await h.advance(200);
    expect(h.sentOf('email')).toHaveLength(2);
  });

  it('never retries past the deadline: the channel fails with the reason and the fallback goes out', async () => {
    h = await EngineHarness.create();
    h.providers.email.script = () => ({ status: 'failed', reason: 'HTTP 503', permanent: false, retryAfterMs: 60_000 });
    // The visit starts in 20 s: a retry in 60 s would come after it.
    const a = await h.book(T0 + 20 * SECOND);
    const job = await confirmation(a.id);
    expect(h.sentOf('email')).toHaveLength(1);
    expect(h.sentOf('sms')).toHaveLength(1);
    expect(job.cascade?.find((s) => s.channel === 'email')).toMatchObject({
      state: 'failed', reasonCode: 'send.noTimeLeft', reasonParams: { detail: 'HTTP 503' }, reason: 'no time left to try again before the message would be too late: HTTP 503',
    });
    await h.advance(5 * MINUTE);
    expect(h.sentOf('email')).toHaveLength(1);
  });

  it('gives up after the retry budget and falls back', async () => {
    h = await EngineHarness.create();
    h.providers.email.script = () => ({ status: 'failed', reason: 'connection reset', permanent: false });
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.advance(HOUR);
    // 8 tries on one route (DEFAULT_RETRY_POLICY.maxTries), then SMS.
    expect(h.sentOf('email')).toHaveLength(8);
    expect(h.sentOf('sms')).toHaveLength(1);
    const email = (await confirmation(a.id)).cascade?.find((s) => s.channel === 'email');
    expect(email).toMatchObject({ state: 'failed', reasonCode: 'send.gaveUp', reasonParams: { tries: 8, detail: 'connection reset' } });
  });

  it('fails a permanent error at once, without a retry', async () => {
    h = await EngineHarness.create();
    h.providers.email.script = () => ({ status: 'failed', reason: '550 mailbox unavailable', permanent: true });
    await h.book(AFTERNOON + 3 * DAY);
    await h.advance(10 * MINUTE);
    expect(h.sentOf('email')).toHaveLength(1);
    expect(h.sentOf('sms')).toHaveLength(1);
  });

  it('a send held back by the rate limit is not counted against the retry budget', async () => {
    h = await EngineHarness.create();
    let calls = 0;
    h.providers.email.script = () => (++calls <= 10 ? { status: 'failed', reason: 'held back by the rate limit', permanent: false, notSent: true, retryAfterMs: 1_000 } : { status: 'delivered' });
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.advance(MINUTE);
    expect(calls).toBe(11);
    expect((await confirmation(a.id)).state).toBe('delivered');
  });
});

describe('delivery reports', () => {
  const noEmail = () => client({ email: undefined });

  it('polls the report with backoff: queued → sent → delivered, each change in the log', async () => {
    h = await EngineHarness.create({ clients: [noEmail()] });
    h.providers.sms.script = () => ({ status: 'accepted', providerMessageId: 'SM1', providerStatus: 'queued' });
    const answers: ReportOutcome[] = [{ status: 'inFlight', providerStatus: 'sent' }, { status: 'delivered', providerStatus: 'delivered' }];
    h.providers.sms.reports(() => answers.shift() ?? { status: 'inFlight', providerStatus: 'sent' });
    const a = await h.book(AFTERNOON + 3 * DAY);
    const job = await confirmation(a.id);
    expect(job).toMatchObject({ state: 'sent', dueAt: T0 + 15 * SECOND });
    await h.advance(15 * SECOND);
    expect(h.providers.sms.reportQueries).toEqual([{ locationId: 'loc1', channel: 'sms', providerMessageId: 'SM1' }]);
    // The next poll doubles the interval.
    expect((await confirmation(a.id)).dueAt).toBe(T0 + 45 * SECOND);
    await h.advance(30 * SECOND);
    const done = await confirmation(a.id);
    expect(done.state).toBe('delivered');
    const log = await logOf(done.id, 'sms');
    expect(log.map((e) => [e.status, e.basis ?? '', e.providerStatus ?? ''])).toEqual([
      ['attempted', '', ''],
      ['sent', 'provider', 'queued'],
      ['sent', 'report', 'sent'],
      ['delivered', 'report', 'delivered'],
    ]);
    expect(log.every((e) => e.status === 'attempted' || e.providerMessageId === 'SM1')).toBe(true);
    await h.advance(HOUR);
    expect(h.providers.sms.reportQueries).toHaveLength(2);
  });

  it('an accepted push reported failed inside the window makes the next channel go out, once', async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined, apps: { aggregator: false, brandedPushTokens: ['tok-1'] } })] });
    h.providers.brandedPush.script = () => ({ status: 'accepted', providerMessageId: 'P1' });
    h.providers.brandedPush.reports(() => ({ status: 'failed', providerStatus: 'undelivered', reason: 'the device did not receive it' }));
    const a = await h.book(AFTERNOON + 3 * DAY);
    expect(h.sentOf('sms')).toHaveLength(0);
    await h.advance(15 * SECOND);
    expect(h.sentOf('sms')).toHaveLength(1);
    await h.advance(HOUR);
    expect(h.sentOf('sms')).toHaveLength(1);
    const job = await confirmation(a.id);
    expect(job.cascade?.map((s) => `${s.channel}:${s.state}`)).toEqual(['email:skipped', 'aggregatorPush:skipped', 'brandedPush:failed', 'sms:delivered']);
  });

  it("a cascade's skipped channels are logged in one write, before the send that follows them", async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined, apps: { aggregator: false } })] });
    const writes: string[][] = [];
    const log = h.db.delivery_log;
    const insert = log.bulkInsert.bind(log);
    log.bulkInsert = (entries) => {
      writes.push(entries.map((e) => `${e.channel}:${e.status}`).sort());
      return insert(entries);
    };
    const a = await h.book(AFTERNOON + 3 * DAY);
    expect(h.sentOf('sms')).toHaveLength(1);
    const job = await confirmation(a.id);
    const skipped = (job.cascade ?? []).filter((s) => s.state === 'skipped').map((s) => s.channel);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    const skipWrites = writes.filter((w) => w.some((e) => skipped.some((c) => e.startsWith(`${c}:`))));
    expect(skipWrites).toEqual([skipped.map((c) => `${c}:notTried`).sort()]);
    expect(writes.findIndex((w) => w.includes('sms:attempted'))).toBeGreaterThan(writes.indexOf(skipWrites[0]!));
  });

  it('a window that ends without a final report: the assumed verdict is in the log with its basis', async () => {
    h = await EngineHarness.create({ clients: [noEmail()] });
    h.providers.sms.script = () => ({ status: 'accepted', providerMessageId: 'SM9', providerStatus: 'queued' });
    h.providers.sms.reports(() => ({ status: 'inFlight', providerStatus: 'sent' }));
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.advance(9 * MINUTE);
    expect((await confirmation(a.id)).state).toBe('sent');
    await h.advance(2 * MINUTE);
    const job = await confirmation(a.id);
    expect(job.state).toBe('delivered');
    const assumed = (await logOf(job.id, 'sms')).find((e) => e.basis === 'windowElapsed');
    expect(assumed).toMatchObject({
      status: 'delivered',
      providerStatus: 'sent',
      atMs: T0 + 10 * MINUTE,
      reasonCode: 'report.assumed',
      reasonParams: { minutes: 10, detail: 'sent' },
      reason: 'no delivery report within 10 min (last status "sent"): counted as delivered',
    });
    // Polled with backoff, the last time at the window's end.
    expect(h.providers.sms.reportQueries.length).toBeGreaterThanOrEqual(4);
    expect(h.providers.sms.reportQueries.length).toBeLessThanOrEqual(8);
  });

  it('WhatsApp undelivered → the SMS route of the same channel, from the report', async () => {
    h = await EngineHarness.create({ clients: [noEmail()] });
    h.providers.sms.script = (m) =>
      m.skipRoutes?.includes('whatsapp') ? { status: 'accepted', route: 'sms', providerMessageId: 'SM2', providerStatus: 'queued' } : { status: 'accepted', route: 'whatsapp', providerMessageId: 'WA1', providerStatus: 'queued' };
    h.providers.sms.reports((q) =>
      q.providerMessageId === 'WA1'
        ? { status: 'failed', route: 'whatsapp', providerStatus: 'undelivered', reason: 'WhatsApp: 63016 outside the allowed window', nextRoute: true }
        : { status: 'delivered', route: 'sms', providerStatus: 'delivered' },
    );
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.advance(15 * SECOND);
    expect(h.sentOf('sms').map((m) => m.skipRoutes ?? [])).toEqual([[], ['whatsapp']]);
    await h.advance(15 * SECOND);
    const job = await confirmation(a.id);
    expect(job.state).toBe('delivered');
    expect(job.cascade?.find((s) => s.channel === 'sms')).toMatchObject({ state: 'delivered', route: 'sms', skipRoutes: ['whatsapp'] });
    const log = await logOf(job.id, 'sms');
    // The report, the next attempt and its answer share one millisecond on the manual clock: compare without order.
    expect(log.map((e) => `${e.status}:${e.route ?? ''}`).sort()).toEqual(['attempted:', 'attempted:', 'delivered:sms', 'failed:whatsapp', 'sent:sms', 'sent:whatsapp']);
    expect(log.find((e) => e.status === 'failed')).toMatchObject({ basis: 'report', providerStatus: 'undelivered', reason: 'WhatsApp: 63016 outside the allowed window' });
  });
});

describe('push tokens and staff channels', () => {
  it('an unregistered push token is dropped from the client and SMS goes out instead', async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined, apps: { aggregator: false, brandedPushTokens: ['tok-gone'] } })] });
    h.providers.brandedPush.script = () => ({ status: 'notTried', reason: "the salon's app was removed from every device", providerStatus: 'UNREGISTERED', staleTokens: ['tok-gone'] });
    await h.book(AFTERNOON + 3 * DAY);
    expect(h.sentOf('sms')).toHaveLength(1);
    const stored = await h.db.clients.findOne('c1').exec();
    expect(stored?.apps.brandedPushTokens).toBeUndefined();
  });

  it('a cancellation reaches the specialist over adminPush exactly once, beside the desktop toast', async () => {
    h = await EngineHarness.create({
      settings: (s) => (s.type === 'cancellation' ? { ...s, channels: { ...s.channels, adminPush: { scenario: 'always', verdictWindowMinutes: 0 } } } : s),
      staff: (s) => (s.id === 's1' ? { ...s, adminPush: { ntfyTopic: 'lumiere-sophie' } } : s),
    });
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.setStatus(a.id, 'cancelled');
    await h.advance(DAY);
    const pushes = h.sentOf('adminPush');
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ channel: 'adminPush', recipient: { staffId: 's1', ntfyTopic: 'lumiere-sophie' }, clickTarget: { appointmentId: a.id } });
    expect(pushes[0]!.body).toContain('Haircut');
    expect(h.sentOf('desktop')).toHaveLength(1);
    const job = (await h.jobs()).find((j) => j.channel === 'adminPush')!;
    expect(job).toMatchObject({ state: 'delivered', occasion: 's1', type: 'cancellation' });
    expect((await logOf(job.id)).map((e) => e.status)).toEqual(['attempted', 'delivered']);
  });
});

describe('recovery after a crash mid-send', () => {
  const sending: Job = {
    id: 'reminder|a1|120m@1|cascade', locationId: 'loc1', type: 'reminder', subjectKind: 'appointment', subjectId: 'a1', occasion: '120m@1',
    channel: 'cascade', dueAt: T0, state: 'sending', attempts: 1, idempotencyKey: 'reminder|a1|120m@1|cascade',
    cascade: [{ channel: 'sms', scenario: 'ifPreviousFailed', state: 'sending', at: new Date(T0).toISOString() }],
    createdAt: new Date(T0).toISOString(), updatedAt: new Date(T0).toISOString(),
  };

  it('resends where the provider drops duplicates by idempotency key', () => {
    const { job, logs } = recoverInterrupted(sending, T0 + MINUTE, () => true);
    expect(job.state).toBe('sent');
    expect(job.cascade?.[0]).toMatchObject({ state: 'planned', retryAt: T0 + MINUTE });
    expect(logs.map((e) => [e.status, e.basis])).toEqual([['retrying', 'recovery']]);
  });

  it('marks the step uncertain where it does not', () => {
    const { job, logs } = recoverInterrupted(sending, T0 + MINUTE, () => false);
    expect(job.cascade?.[0]?.state).toBe('uncertain');
    expect(logs.map((e) => [e.status, e.basis])).toEqual([['uncertain', 'recovery']]);
  });
});
