/**
 * The cascade end to end through real provider clients built by the ProviderHub from provider_settings documents,
 * against loopback servers speaking each provider's wire format (and a real SMTP server for email). The engine runs on
 * a manual clock, so verdict windows and report polls are exact; the HTTP calls are real.
 *
 *   - branded push UNREGISTERED → the token is dropped from the client, SMS goes out;
 *   - WhatsApp undelivered (report) → SMS inside the same channel, then delivered;
 *   - email delivered → the ifPreviousFailed SMS is not sent;
 *   - an SMS accepted, then reported undelivered inside its window → failed by report, nothing assumed;
 *   - a window that ends without a final report → the assumed verdict is in the log;
 *   - a cancellation reaches the specialist over adminPush through ntfy (and through FCM) exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderHub } from '../../../../../electron/host/channels/provider-hub.ts';
import type { NotificationSettings } from '../../../../../shared/domain/notification-settings.ts';
import { startFakeFcm, type FakeFcm } from '../../channels/support/fake-fcm.ts';
import { startFakeNtfy, type FakeNtfy } from '../../channels/support/fake-ntfy.ts';
import { gatewayConfig, startFakeGateway, type FakeGateway } from '../../channels/support/fake-sms-gateway.ts';
import { startFakeTwilio, type FakeTwilio } from '../../channels/support/fake-twilio.ts';
import { MemorySecrets, configureProviders, startHub, type ProviderSeed } from '../../channels/support/provider-setup.ts';
import { startSmtpSink, type SmtpSink } from '../../channels/support/smtp-sink.ts';
import { DAY, EngineHarness, HOUR, LOCATION_ID, MINUTE, T0, client } from '../support/harness.ts';

const SECOND = 1_000;
const AFTERNOON = T0 + 5 * HOUR;
const PHONE = '+4917612345678';

let twilio: FakeTwilio;
let gateway: FakeGateway;
let fcm: FakeFcm;
let ntfy: FakeNtfy;
let sink: SmtpSink;
beforeAll(async () => {
  [twilio, gateway, fcm, ntfy, sink] = await Promise.all([startFakeTwilio(), startFakeGateway(), startFakeFcm(), startFakeNtfy(), startSmtpSink()]);
});
afterAll(async () => {
  await Promise.all([twilio.close(), gateway.close(), fcm.close(), ntfy.close(), sink.close()]);
});

let h: EngineHarness | undefined;
let hub: ProviderHub | undefined;
afterEach(async () => {
  await h?.close();
  hub?.stop();
  h = hub = undefined;
});

const twilioSeed = (over: Record<string, string | number | boolean> = {}): ProviderSeed => ({
  locationId: LOCATION_ID, channel: 'sms', kind: 'twilio',
  settings: { accountSid: twilio.accountSid, from: '+15005550006', baseUrl: twilio.url, ratePerSecond: 100, pricePerSegment: 0.08, currency: 'EUR', ...over },
  secrets: { authToken: twilio.authToken },
});
const gatewaySeed = (): ProviderSeed => {
  const { apiKey, ...settings } = gatewayConfig(gateway);
  return { locationId: LOCATION_ID, channel: 'sms', kind: 'httpSms', settings: { ...settings, ratePerSecond: 100 }, secrets: { apiKey } };
};
const mailServerSeed = (): ProviderSeed => ({ locationId: LOCATION_ID, channel: 'email', kind: 'smtp', settings: { host: '127.0.0.1', port: sink.port, fromAddress: 'desk@lumiere.example', fromName: 'Lumière' } });
const fcmSeed = (channel: 'brandedPush' | 'adminPush'): ProviderSeed => ({ locationId: LOCATION_ID, channel, kind: 'fcm', settings: { baseUrl: fcm.url }, secrets: { serviceAccountJson: fcm.serviceAccountJson } });

async function harness(seeds: ProviderSeed[], options: Parameters<typeof EngineHarness.create>[0] = {}): Promise<EngineHarness> {
  const secrets = new MemorySecrets();
  h = await EngineHarness.create({
    ...options,
    providers: async (db) => {
      await configureProviders(db, secrets, seeds);
      hub = await startHub(db, secrets);
      return hub.routers();
    },
  });
  return h;
}

async function confirmationLog(appointmentId: string, channel?: string) {
  const job = (await h!.job('bookingConfirmation', appointmentId))[0]!;
  return { job, log: (await h!.log()).filter((e) => e.jobId === job.id && (!channel || e.channel === channel)) };
}

describe('cascade through real provider clients', () => {
  it('branded push UNREGISTERED → the token is dropped, SMS goes out', async () => {
    fcm.unregistered.add('device-gone-0001');
    await harness([fcmSeed('brandedPush'), twilioSeed()], { clients: [client({ email: undefined, phone: PHONE, apps: { aggregator: false, brandedPushTokens: ['device-gone-0001'] } })] });
    const before = twilio.messages.length;
    const a = await h!.book(AFTERNOON + 3 * DAY);
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual([PHONE]);
    expect((await h!.db.clients.findOne('c1').exec())?.apps.brandedPushTokens).toBeUndefined();
    const { log } = await confirmationLog(a.id, 'brandedPush');
    expect(log.find((e) => e.status === 'notTried')).toMatchObject({ providerStatus: 'UNREGISTERED', reasonCode: 'push.unregistered' });
  });

  it('WhatsApp undelivered → SMS inside the channel, then delivered by report', async () => {
    twilio.statuses.set(`whatsapp:${PHONE}`, ['failed']);
    twilio.deliveryErrors.set(PHONE, { code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
    twilio.statuses.set(PHONE, ['sent', 'delivered']);
    await harness([twilioSeed({ whatsappFrom: '+14155238886' })], { clients: [client({ email: undefined, phone: PHONE })] });
    const before = twilio.messages.length;
    const a = await h!.book(AFTERNOON + 3 * DAY);
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual([`whatsapp:${PHONE}`]);
    await h!.advance(15 * SECOND);
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual([`whatsapp:${PHONE}`, PHONE]);
    await h!.advance(45 * SECOND);
    const { job, log } = await confirmationLog(a.id, 'sms');
    expect(job.state).toBe('delivered');
    expect(log.filter((e) => e.status !== 'attempted').map((e) => `${e.status}/${e.route}/${e.basis}`).sort()).toEqual([
      'delivered/sms/report', 'failed/whatsapp/report', 'sent/sms/provider', 'sent/sms/report', 'sent/whatsapp/provider',
    ]);
    // Twilio's reported price is the cost of the SMS (the latest entry of the route that carries one).
    const priced = log.filter((e) => e.route === 'sms' && e.costMicros !== undefined).at(-1)!;
    expect(priced).toMatchObject({ costCurrency: 'USD', costEstimated: false });
    expect(priced.costMicros).toBe(7_900 * priced.segments!);
    // Before the report the estimate from the configured price per segment stood: 0.08 EUR a segment.
    expect(log.find((e) => e.route === 'sms' && e.basis === 'provider')).toMatchObject({ costMicros: 80_000 * priced.segments!, costCurrency: 'EUR', costEstimated: true });
    twilio.statuses.delete(PHONE);
  });

  it('email delivered → the ifPreviousFailed SMS is not sent', async () => {
    await harness([mailServerSeed(), gatewaySeed()], { clients: [client({ phone: PHONE })] });
    const sentBefore = gateway.messages.length;
    const mailBefore = sink.received.length;
    const a = await h!.book(AFTERNOON + 3 * DAY);
    await h!.advance(30 * MINUTE);
    expect(sink.received.length).toBe(mailBefore + 1);
    expect(gateway.messages.length).toBe(sentBefore);
    const { job } = await confirmationLog(a.id);
    expect(job.cascade?.find((s) => s.channel === 'sms')).toMatchObject({ state: 'skipped', reasonCode: 'channel.earlierDelivered' });
  });

  it('an SMS accepted, then reported undelivered inside its window, fails by the report — nothing is assumed', async () => {
    gateway.statuses.set(PHONE, ['sent', 'undelivered']);
    await harness([gatewaySeed()], { clients: [client({ email: undefined, phone: PHONE })] });
    const a = await h!.book(AFTERNOON + 3 * DAY, { id: 'a-undelivered' });
    await h!.advance(2 * MINUTE);
    const { job, log } = await confirmationLog(a.id, 'sms');
    expect(job.state).toBe('failed');
    expect(log.map((e) => `${e.status}/${e.basis ?? ''}/${e.providerStatus ?? ''}`)).toEqual(['attempted//', 'sent/provider/accepted', 'sent/report/sent', 'failed/report/undelivered']);
    expect(log.some((e) => e.basis === 'windowElapsed')).toBe(false);
    gateway.statuses.delete(PHONE);
  });

  it('a window that ends without a final report: the assumed verdict is in the log', async () => {
    gateway.statuses.set(PHONE, ['sent']);
    await harness([gatewaySeed()], { clients: [client({ email: undefined, phone: PHONE })] });
    // Its own id: the gateway drops a repeated idempotency key, and job ids repeat across these tests.
    const a = await h!.book(AFTERNOON + 3 * DAY, { id: 'a-window' });
    await h!.advance(11 * MINUTE);
    const { job, log } = await confirmationLog(a.id, 'sms');
    expect(job.state).toBe('delivered');
    expect(log.at(-1)).toMatchObject({ status: 'delivered', basis: 'windowElapsed', providerStatus: 'sent', reasonCode: 'report.assumed', atMs: T0 + 10 * MINUTE });
    gateway.statuses.delete(PHONE);
  });

  const adminPushOnCancel = (s: NotificationSettings) => (s.type === 'cancellation' ? { ...s, channels: { ...s.channels, adminPush: { scenario: 'always' as const, verdictWindowMinutes: 0 } } } : s);

  it('a cancellation reaches the specialist over adminPush through ntfy exactly once', async () => {
    await harness([{ locationId: LOCATION_ID, channel: 'adminPush', kind: 'ntfy', settings: { serverUrl: ntfy.url } }], {
      settings: adminPushOnCancel,
      staff: (s) => (s.id === 's1' ? { ...s, adminPush: { ntfyTopic: 'lumiere-sophie' } } : s),
    });
    const before = ntfy.published.length;
    const a = await h!.book(AFTERNOON + 3 * DAY);
    await h!.setStatus(a.id, 'cancelled');
    await h!.advance(DAY);
    const published = ntfy.published.slice(before);
    expect(published.map((p) => p.topic)).toEqual(['lumiere-sophie']);
    expect(published[0]!.message).toContain('Haircut');
  });

  it('a specialist without a topic of their own gets it on ntfy’s default topic, once', async () => {
    await harness([{ locationId: LOCATION_ID, channel: 'adminPush', kind: 'ntfy', settings: { serverUrl: ntfy.url, defaultTopic: 'lumiere-staff' } }], { settings: adminPushOnCancel });
    const before = ntfy.published.length;
    const a = await h!.book(AFTERNOON + 3 * DAY, { id: 'a-default-topic' });
    await h!.setStatus(a.id, 'cancelled');
    await h!.advance(DAY);
    expect(ntfy.published.slice(before).map((p) => p.topic)).toEqual(['lumiere-staff']);
  });

  it('… and through FCM to the staff app, exactly once', async () => {
    await harness([fcmSeed('adminPush')], { settings: adminPushOnCancel, staff: (s) => (s.id === 's1' ? { ...s, adminPush: { pushTokens: ['staff-device-0001'] } } : s) });
    const before = fcm.sent.length;
    const a = await h!.book(AFTERNOON + 3 * DAY);
    await h!.setStatus(a.id, 'cancelled');
    await h!.advance(DAY);
    expect(fcm.sent.slice(before).map((m) => [m.token, m.data.appointmentId])).toEqual([['staff-device-0001', a.id]]);
  });
});
