/**
 * The providers API on a real host (memory storage, real secret store in a temporary folder) against loopback
 * Twilio: save refuses bad settings field by field and two SMS providers at once; the secret goes into the store and
 * never comes back; test connection and a test message reach the fake; team channels that cannot work are flagged;
 * a month's spend per channel. And the secrets rule end to end: no secret value in any host log line, API answer,
 * delivery-log entry or error message — with a wrong token too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Channel, RequestOf, ResponseOf } from '../../../../shared/ipc/contract.ts';
import type { ApiResult } from '../../../../shared/ipc/result.ts';
import { startFakeTwilio, type FakeTwilio } from '../channels/support/fake-twilio.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { DAY, appointment, deliveryLog, salonClient, seedSalon, waitUntil, LOCATION_ID, allJobs, isTerminal } from '../engine/integration/support/salon.ts';

let twilio: FakeTwilio;
let running: MemoryHost;
let host: FrontDeskHost;
const hostLog: string[] = [];
const answers: unknown[] = [];
const WRONG = 'definitely-wrong-token-77';

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
  const result = (await host.api.call(channel, request as never)) as ApiResult<ResponseOf<C>>;
  answers.push(result);
  return result;
}

beforeAll(async () => {
  twilio = await startFakeTwilio();
  running = await startMemoryHost('providers-api', { log: (line) => hostLog.push(line) });
  host = running.host;
  await seedSalon(host.runtime.db, { now: Date.now(), clients: [salonClient('c-sms', Date.now(), { email: undefined, phone: '+4917612345678' })] });
});
afterAll(async () => {
  await running?.stop();
  await twilio?.close();
});

const twilioSettings = () => ({ accountSid: twilio.accountSid, from: '+15005550006', baseUrl: twilio.url, ratePerSecond: 50, pricePerSegment: 0.08, currency: 'EUR' });

describe('providers API', () => {
  it('lists the catalog, refuses bad settings field by field, saves good ones with the token in the secret store', async () => {
    const listed = await call('providers.list', { locationId: LOCATION_ID });
    expect(listed.ok && listed.value.catalog.map((k) => k.kind)).toEqual(['smtp', 'telegram', 'twilio', 'httpSms', 'fcm', 'ntfy']);
    const bad = await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', enabled: true, settings: { accountSid: 'nope', from: '0176' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.issues?.map((i) => [i.code, i.field])).toEqual([['provider.field.pattern', 'settings.accountSid'], ['provider.field.phone', 'settings.from']]);
    const saved = await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', enabled: true, settings: twilioSettings(), secrets: { authToken: twilio.authToken } });
    expect(saved.ok && saved.value.provider).toMatchObject({ kind: 'twilio', ready: true, secrets: { authToken: 'set' } });
    expect(await host.runtime.secrets.get(`provider:${LOCATION_ID}:sms:twilio:authToken`)).toBe(twilio.authToken);
    const doc = await host.runtime.db.provider_settings.findOne(`${LOCATION_ID}:sms:twilio`).exec();
    expect(JSON.stringify(doc?.toJSON())).not.toContain(twilio.authToken);
    const second = await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'httpSms', enabled: true, settings: { url: 'https://gw.example/send' } });
    expect(!second.ok && second.error.reason).toBe('provider.exclusive');
  });

  it('tests the connection and sends a test message through the saved provider', async () => {
    expect(await call('providers.test', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio' })).toMatchObject({ ok: true, value: { ok: true } });
    const before = twilio.messages.length;
    const sent = await call('providers.sendTest', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', to: '+4917699990000' });
    expect(sent).toMatchObject({ ok: true, value: { status: 'accepted', route: 'sms' } });
    expect(twilio.messages.slice(before).map((m) => m.to)).toEqual(['+4917699990000']);
  });

  it('sends the cascade through it, and reports the month’s spend per channel', async () => {
    const now = Date.now();
    await host.runtime.db.appointments.insert(appointment('a-sms', 'c-sms', now + 3 * DAY, now));
    const job = await waitUntil(async () => (await allJobs(host.runtime.db)).find((j) => j.subjectId === 'a-sms' && j.type === 'bookingConfirmation' && (j.state === 'sent' || isTerminal(j))), 15_000, () => 'no confirmation');
    expect(job.cascade?.find((s) => s.channel === 'sms')).toMatchObject({ state: 'sent', route: 'sms' });
    const month = new Date(now).toISOString().slice(0, 7);
    const spend = await call('log.spend', { locationId: LOCATION_ID, month });
    expect(spend.ok && spend.value.channels).toEqual([expect.objectContaining({ channel: 'sms', currency: 'EUR', messages: 1, estimated: true })]);
  });

  it('flags a team channel that cannot work', async () => {
    const settings = await host.runtime.db.notification_settings.findOne(`${LOCATION_ID}:cancellation`).exec();
    await settings!.incrementalModify((s) => ({ ...s, channels: { ...s.channels, adminPush: { scenario: 'always', verdictWindowMinutes: 0 }, sms: { scenario: 'always', verdictWindowMinutes: 0 } } }));
    const problems = await call('providers.teamProblems', { locationId: LOCATION_ID });
    expect(problems.ok && problems.value.problems.map((p) => [p.type, p.channel, p.code])).toEqual(
      expect.arrayContaining([['cancellation', 'adminPush', 'team.noProvider'], ['cancellation', 'sms', 'team.noContact']]),
    );
  });

  it('never shows a secret: not in answers, errors, the delivery log or the host log — a wrong token included', async () => {
    await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', enabled: true, settings: twilioSettings(), secrets: { authToken: WRONG } });
    await call('providers.test', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio' });
    await call('providers.sendTest', { locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', to: '+4917699990001' });
    const now = Date.now();
    await host.runtime.db.clients.insert(salonClient('c-wrong', now, { email: undefined, phone: '+4917612340000' }));
    await host.runtime.db.appointments.insert(appointment('a-wrong', 'c-wrong', now + 3 * DAY, now));
    await waitUntil(async () => (await allJobs(host.runtime.db)).find((j) => j.subjectId === 'a-wrong' && j.type === 'bookingConfirmation' && isTerminal(j)), 15_000, () => 'no verdict');
    answers.push(await host.api.call('providers.list', { locationId: LOCATION_ID }));
    const log = await deliveryLog(host.runtime.db);
    expect(log.some((e) => e.reasonCode === 'provider.auth')).toBe(true);
    const everything = JSON.stringify({ answers, log, hostLog, jobs: await allJobs(host.runtime.db) });
    for (const secret of [twilio.authToken, WRONG, Buffer.from(`${twilio.accountSid}:${WRONG}`).toString('base64'), Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
  });
});
