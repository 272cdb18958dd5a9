/**
 * The whole host — FrontDeskHost, its SalonRuntime, the notification engine and the REAL SMTP client its provider hub
 * builds from the location's `smtp` provider settings — against a real SMTP server on loopback. Two bookings: one confirmation arrives exactly
 * once and is checked as parsed on arrival; the other client's address is refused with 550, and the cascade falls
 * back per DESIGN §3 (the branded app and SMS are evaluated because email failed; neither has a provider yet, so
 * both are "not tried"). Real clock and timers; RxDB memory storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../../../../electron/host/channels/providers/smtp.ts';
import { NOT_CONFIGURED_REASONS } from '../../../../../electron/host/channels/not-configured-provider.ts';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import { startMemoryHost, type MemoryHost } from '../../support/memory-host.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import type { Job } from '../../../../../shared/domain/job.ts';
import { REJECT_TEXT, startSmtpSink, type SmtpSink } from '../../channels/support/smtp-sink.ts';
import { DAY, allJobs, appointment, deliveryLog, isTerminal, salonClient, seedSalon, waitUntil } from './support/salon.ts';

const REJECTED = 'gone@clients.example';

let sink: SmtpSink;
let host: FrontDeskHost;
let running: MemoryHost | undefined;
let db: FrontDeskDatabase;
const hostLog: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink({ rejectRecipients: [REJECTED] });
  running = await startMemoryHost('email-cascade', { mode: 'electron', log: (line) => hostLog.push(line) });
  host = running.host;
  db = host.runtime.db;
  const now = Date.now();
  await seedSalon(db, {
    now,
    smtpPort: sink.port,
    clients: [
      salonClient('c-ok', now, { firstName: 'Anna', lastName: 'Petrova', email: 'anna@clients.example' }),
      // Reachable on paper by every client channel: the branded app (token) and SMS (phone) are there to fall back to.
      salonClient('c-gone', now, { firstName: 'Boris', lastName: 'Ivanov', email: REJECTED, apps: { aggregator: false, brandedPushTokens: ['tok-boris-0123456789'] } }),
    ],
  });
  // The hub builds the mail server's client from the seeded document as it arrives.
  await waitUntil(async () => (host.runtime.providerHub.get('loc-int:email:smtp')?.client ? true : undefined), 5_000, () => hostLog.join('\n'));
});

afterAll(async () => {
  await running?.stop();
  await sink?.close();
});

async function confirmationOf(appointmentId: string): Promise<Job> {
  return waitUntil(
    async () => (await allJobs(db)).find((j) => j.subjectId === appointmentId && j.type === 'bookingConfirmation' && isTerminal(j)),
    15_000,
    async () => `no terminal confirmation for ${appointmentId}; jobs: ${JSON.stringify(await allJobs(db), null, 1)}\nhost log:\n${hostLog.join('\n')}`,
  );
}

describe('engine + real SMTP on loopback', () => {
  it('runs the runtime with the real SMTP client built from the mail server provider settings', () => {
    expect(host.runtime.providerHub.get('loc-int:email:smtp')?.doc.settings).toMatchObject({ host: '127.0.0.1', port: sink.port, security: 'starttls' });
    expect(host.runtime.providers.email.readiness('loc-int')).toEqual({ ready: true });
    expect(host.runtime.providers.sms.readiness('loc-int')).toMatchObject({ ready: false, reason: NOT_CONFIGURED_REASONS.sms, reasonCode: 'channel.notConfigured' });
  });

  it('delivers a booking confirmation exactly once, parsed on arrival, and falls back when the server refuses an address', async () => {
    const now = Date.now();
    // Three days ahead: the 24 h and 2 h reminders are planned far in the future and must not go out during the test.
    const start = now + 3 * DAY;
    await db.appointments.bulkInsert([appointment('a-ok', 'c-ok', start, now), appointment('a-gone', 'c-gone', start + 2 * 3_600_000, now)]);

    const ok = await confirmationOf('a-ok');
    const gone = await confirmationOf('a-gone');
    // Let any (wrong) second attempt have its chance to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await host.runtime.engine.idle();

    // --- The delivered one -----------------------------------------------------------------------------------------
    expect(ok.state).toBe('delivered');
    expect(ok.rendered?.subject).toBeTruthy();
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!;
    expect(mail.messageId).toBe(messageIdFor(`${ok.idempotencyKey}#email`));
    expect(mail.headers.get('x-frontdesk-job')).toBe(ok.id);
    expect(mail.subject).toBe(ok.rendered!.subject);
    expect(mail.subject).toMatch(/Lumière|confirm|booking/i);
    expect(mail.text?.trim()).toBe(ok.rendered!.body.trim());
    expect(mail.text).toContain('Anna');
    expect(mail.text).toContain('Haircut');
    expect(mail.html).toContain('Anna');
    expect(sink.envelopes[0]).toEqual(['anna@clients.example']);
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value[0]).toMatchObject({ address: 'anna@clients.example', name: 'Anna Petrova' });
    expect(mail.from?.value[0]).toMatchObject({ address: 'desk@lumiere.example', name: 'Lumière Front Desk' });
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');

    const okSteps = Object.fromEntries((ok.cascade ?? []).map((s) => [s.channel, s]));
    expect(okSteps['email']).toMatchObject({ state: 'delivered' });
    expect(okSteps['email']?.reason).toContain(`127.0.0.1:${sink.port}`);
    // Email delivered: the "if previous failed" channels are skipped for that reason, not because they lack a provider.
    expect(okSteps['brandedPush']).toMatchObject({ state: 'skipped', reason: 'an earlier channel delivered the message' });
    expect(okSteps['sms']).toMatchObject({ state: 'skipped', reason: 'an earlier channel delivered the message' });
    const okLog = await deliveryLog(db, ok.id);
    expect(okLog.filter((e) => e.channel === 'email').map((e) => e.status)).toEqual(['attempted', 'delivered']);
    expect(okLog.find((e) => e.status === 'delivered')).toMatchObject({ recipient: 'anna@clients.example', subject: ok.rendered!.subject, clientId: 'c-ok' });

    // --- The refused one ---------------------------------------------------------------------------------------------
    expect(gone.state).toBe('failed');
    const goneSteps = Object.fromEntries((gone.cascade ?? []).map((s) => [s.channel, s]));
    expect(goneSteps['email']?.state).toBe('failed');
    expect(goneSteps['email']?.reason).toMatch(new RegExp(`550 .*${REJECT_TEXT}`));
    expect(goneSteps['email']?.reason).toContain(REJECTED);
    // aggregator (always): the app is not installed → could not be tried.
    expect(goneSteps['aggregatorPush']).toMatchObject({ state: 'skipped' });
    expect(goneSteps['aggregatorPush']?.reason).toMatch(/not installed/);
    // The fallbacks were evaluated because email failed: their reason is the missing provider, not "earlier delivered".
    expect(goneSteps['brandedPush']?.state).toBe('skipped');
    expect(goneSteps['brandedPush']?.reason).toContain(NOT_CONFIGURED_REASONS.brandedPush);
    expect(goneSteps['sms']?.state).toBe('skipped');
    expect(goneSteps['sms']?.reason).toContain(NOT_CONFIGURED_REASONS.sms);

    const goneLog = await deliveryLog(db, gone.id);
    const byChannel = (channel: string) => goneLog.filter((e) => e.channel === channel).map((e) => e.status);
    expect(byChannel('email')).toEqual(['attempted', 'failed']);
    expect(goneLog.find((e) => e.channel === 'email' && e.status === 'failed')?.reason).toMatch(/550/);
    expect(byChannel('brandedPush')).toEqual(['notTried']);
    expect(byChannel('sms')).toEqual(['notTried']);
    // The fallback was decided only after the email verdict: its log entry is not earlier than the failure.
    const failedAt = goneLog.find((e) => e.channel === 'email' && e.status === 'failed')!.atMs;
    expect(goneLog.find((e) => e.channel === 'sms')!.atMs).toBeGreaterThanOrEqual(failedAt);
    expect(gone.attempts).toBe(1);

    // --- Counting: one arrival in all, no message to the refused address, no duplicates -------------------------------
    expect(sink.envelopes.flat()).not.toContain(REJECTED);
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(sink.received.length);
    // Nothing else is due yet: every other job is planned for later (the reminders) or terminal.
    const others = (await allJobs(db)).filter((j) => j.id !== ok.id && j.id !== gone.id);
    for (const job of others) expect(job.state === 'planned' ? job.dueAt > Date.now() : isTerminal(job), `${job.id} ${job.state}`).toBe(true);
    expect(hostLog.filter((line) => line.includes('failed:'))).toEqual([]);
  });

  it('does not send the confirmation again when the appointment is re-planned (an edit that changes nothing relevant)', async () => {
    const doc = await db.appointments.findOne('a-ok').exec();
    await doc!.incrementalPatch({ notes: 'prefers the window seat', updatedAt: new Date().toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await host.runtime.engine.idle();
    expect(sink.received).toHaveLength(1);
    const jobs = (await allJobs(db)).filter((j) => j.subjectId === 'a-ok' && j.type === 'bookingConfirmation');
    expect(jobs.map((j) => j.state)).toEqual(['delivered']);
  });
});
