/**
 * The secrets rule for every provider kind, on a real host against the loopback fakes: a Telegram bot token (which
 * travels in the URL path), an SMS gateway API key, an FCM service-account private key, an ntfy access token and the
 * mail server's password (which AUTH PLAIN puts on the wire in base64) —
 * each right and wrong, saved, listed, tested, used for a test message, pasted into the wrong field, and used by the
 * cascade and the reply poller — never appears in an API answer, an error, a delivery-log entry, a job or a host log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Channel, RequestOf, ResponseOf } from '../../../../shared/ipc/contract.ts';
import type { ApiResult } from '../../../../shared/ipc/result.ts';
import { startFakeFcm, type FakeFcm } from '../channels/support/fake-fcm.ts';
import { startFakeNtfy, type FakeNtfy } from '../channels/support/fake-ntfy.ts';
import { gatewayConfig, startFakeGateway, type FakeGateway } from '../channels/support/fake-sms-gateway.ts';
import { startFakeTelegram, type FakeTelegram } from '../channels/support/fake-telegram.ts';
import { startSmtpSink, type SmtpSink } from '../channels/support/smtp-sink.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { DAY, LOCATION_ID, allJobs, appointment, deliveryLog, isTerminal, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let telegram: FakeTelegram;
let gateway: FakeGateway;
let fcm: FakeFcm;
let ntfy: FakeNtfy;
let mail: SmtpSink;
const MAIL_PASSWORD = 'Mail-Server-Secret-9f2c';
const hostLog: string[] = [];
const answers: unknown[] = [];
const WRONG = { telegram: '999999999:AAWrongBotTokenWrongBotToken_abcde', apiKey: 'gw-wrong-key-5f3a9b21', ntfy: 'tk_wrongwrongwrongwrongwrong00', mail: 'Wrong-Mail-Password-77' };

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
  const result = (await host.api.call(channel, request as never)) as ApiResult<ResponseOf<C>>;
  answers.push(result);
  return result;
}

/** Runs everything a desk does with one provider's settings and secret. */
async function exercise(channel: 'sms' | 'brandedPush' | 'adminPush' | 'email', kind: 'telegram' | 'httpSms' | 'fcm' | 'ntfy' | 'smtp', settings: Record<string, string | number | boolean>, secrets: Record<string, string>, to: string) {
  await call('providers.save', { locationId: LOCATION_ID, channel, kind, enabled: true, settings, secrets });
  await call('providers.list', { locationId: LOCATION_ID });
  await call('providers.test', { locationId: LOCATION_ID, channel, kind });
  await call('providers.sendTest', { locationId: LOCATION_ID, channel, kind, to });
  // The secret pasted into a settings field by mistake: refused, and the refusal does not repeat it.
  const key = Object.keys(settings)[0]!;
  await call('providers.save', { locationId: LOCATION_ID, channel, kind, enabled: true, settings: { ...settings, [key]: Object.values(secrets)[0]!.slice(0, 1000) } });
}

beforeAll(async () => {
  [telegram, gateway, fcm, ntfy, mail] = await Promise.all([startFakeTelegram(), startFakeGateway(), startFakeFcm(), startFakeNtfy(), startSmtpSink({ credentials: { user: 'desk', pass: MAIL_PASSWORD } })]);
  running = await startMemoryHost('provider-secrets', { log: (line) => hostLog.push(line) });
  host = running.host;
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c-1', now, { email: undefined, phone: '+4917612345678', telegram: { chatId: '4242' } })] });
  telegram.chats.add('4242');
});
afterAll(async () => {
  await running?.stop();
  await Promise.all([telegram?.close(), gateway?.close(), fcm?.close(), ntfy?.close(), mail?.close()]);
});

describe('no secret anywhere', () => {
  it('for Telegram, the SMS gateway, FCM, ntfy and the mail server — right and wrong — in answers, errors, the log, jobs and host lines', async () => {
    const gw = gatewayConfig(gateway);
    const { apiKey: _key, method: _method, ...gatewaySettings } = gw;
    // The sender first: that is the field the password gets pasted into (a password may well look like a host name).
    const mailServer = { fromAddress: 'desk@lumiere.example', host: '127.0.0.1', port: mail.port, username: 'desk', allowInsecureAuth: true };
    for (const [botToken, apiKey, ntfyToken, password] of [[WRONG.telegram, WRONG.apiKey, WRONG.ntfy, WRONG.mail], [telegram.token, gateway.apiKey, ntfy.token, MAIL_PASSWORD]] as const) {
      await exercise('sms', 'telegram', { baseUrl: telegram.url }, { botToken }, '4242');
      await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'telegram', enabled: false, settings: { baseUrl: telegram.url } });
      await exercise('sms', 'httpSms', gatewaySettings, { apiKey }, '+4917699990000');
      await exercise('adminPush', 'ntfy', { serverUrl: ntfy.url, defaultTopic: 'staff' }, { accessToken: ntfyToken }, 'staff');
      await exercise('email', 'smtp', mailServer, { password }, 'owner@lumiere.example');
    }
    ntfy.protectedTopics.add('staff');
    await exercise('brandedPush', 'fcm', { projectId: fcm.projectId, baseUrl: fcm.url }, { serviceAccountJson: fcm.serviceAccountJson }, 'device-token-1');

    // The cascade through the gateway with a wrong key, and Telegram's reply poller running with a wrong token.
    await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'telegram', enabled: true, settings: { baseUrl: telegram.url }, secrets: { botToken: WRONG.telegram } });
    await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'httpSms', enabled: true, settings: gatewaySettings, secrets: { apiKey: WRONG.apiKey } });
    const now = Date.now();
    await host.runtime.db.appointments.insert(appointment('a-1', 'c-1', now + 3 * DAY, now));
    await waitUntil(async () => (await allJobs(host.runtime.db)).find((j) => j.subjectId === 'a-1' && j.type === 'bookingConfirmation' && isTerminal(j)), 15_000, () => 'no verdict');
    const log = await deliveryLog(host.runtime.db);
    expect(log.map((e) => e.reasonCode)).toEqual(expect.arrayContaining(['provider.auth']));

    const everything = JSON.stringify({ answers, log, hostLog, jobs: await allJobs(host.runtime.db), settings: await host.runtime.db.provider_settings.find().exec() });
    const privateKey = (JSON.parse(fcm.serviceAccountJson) as { private_key: string }).private_key;
    const keyBody = privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
    const mailForms = [MAIL_PASSWORD, WRONG.mail].flatMap((p) => [p, Buffer.from(p).toString('base64'), Buffer.from(`\0desk\0${p}`).toString('base64')]);
    for (const secret of [telegram.token, WRONG.telegram, gateway.apiKey, WRONG.apiKey, ntfy.token, WRONG.ntfy, ...keyBody, ...mailForms]) expect(everything).not.toContain(secret);
    // The right secrets did reach the fakes: every kind was really used.
    expect({ telegram: telegram.sent.length > 0, gateway: gateway.messages.length > 0, ntfy: ntfy.published.length > 0, fcm: fcm.sent.length > 0, mail: mail.received.length > 0 }).toEqual({ telegram: true, gateway: true, ntfy: true, fcm: true, mail: true });
    expect(mail.authAttempts.map((a) => a.pass)).toEqual(expect.arrayContaining([WRONG.mail, MAIL_PASSWORD]));
    expect(everything).toContain('smtp.auth');
    // And the checks could fail: the answers do name what was tested.
    expect(everything).toContain('provider.auth');
    expect(everything).toContain(telegram.url);
  });
});
