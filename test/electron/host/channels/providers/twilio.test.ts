/**
 * The Twilio client against a loopback server speaking the Messages API: the exact requests (URL, basic auth, form
 * body), auth failure, 429 with Retry-After, an invalid number, status transitions to delivered and undelivered,
 * WhatsApp first with SMS as the next route, replies from the message list, and no secret in anything it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioClient, type TwilioConfig } from '../../../../../electron/host/channels/providers/twilio.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.ts';
import { systemTime } from '../support/system-time.ts';
import { startBadDayServer } from '../support/bad-day-server.ts';

let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await startFakeTwilio();
});
afterAll(async () => {
  await twilio.close();
});

const config = (over: Partial<TwilioConfig> = {}): TwilioConfig => ({
  accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', baseUrl: twilio.url, pricePerSegmentMicros: 80_000, currency: 'EUR', ...over,
});
const message = (phone: string, body = 'Reminder: Haircut tomorrow at 15:00. Lumière'): OutgoingMessage => ({
  jobId: 'reminder|a1|1440m@1|cascade', idempotencyKey: 'reminder|a1|1440m@1|cascade#sms', channel: 'sms', locationId: 'loc1', recipient: { name: 'Anna', phone }, body,
});

describe('Twilio Messages API client', () => {
  it('sends with a form-encoded POST and basic auth, then reads the status until delivered, with the price', async () => {
    const client = createTwilioClient(config(), systemTime);
    const before = twilio.server.requests.length;
    const sent = await client.send(message('+4917612345678'), 'sms');
    expect(sent).toMatchObject({ status: 'accepted', route: 'sms', providerStatus: 'queued', cost: { micros: 80_000, currency: 'EUR', segments: 1, estimated: true } });
    const request = twilio.server.requests[before]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ To: '+4917612345678', From: '+15005550006', Body: 'Reminder: Haircut tomorrow at 15:00. Lumière' });

    const id = sent.status === 'accepted' ? sent.providerMessageId! : '';
    expect(id).toMatch(/^SM[0-9a-f]{32}$/);
    const first = await client.report!({ locationId: 'loc1', channel: 'sms', providerMessageId: id, route: 'sms' });
    expect(first).toMatchObject({ status: 'inFlight', providerStatus: 'sent', cost: { micros: 7_900, currency: 'USD', estimated: false } });
    expect(twilio.server.requests.at(-1)).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${twilio.accountSid}/Messages/${id}.json` });
    expect(await client.report!({ locationId: 'loc1', channel: 'sms', providerMessageId: id, route: 'sms' })).toMatchObject({ status: 'delivered', providerStatus: 'delivered' });
  });

  it('sends through a Messaging Service when one is set', async () => {
    const client = createTwilioClient(config({ from: undefined, messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' }), systemTime);
    await client.send(message('+4917612345679'), 'sms');
    expect(new URLSearchParams(twilio.server.requests.at(-1)!.body).get('MessagingServiceSid')).toBe('MG0123456789abcdef0123456789abcdef');
  });

  it('undelivered: the report carries Twilio’s error code and text', async () => {
    twilio.statuses.set('+4917600000001', ['sending', 'undelivered']);
    const client = createTwilioClient(config(), systemTime);
    const sent = await client.send(message('+4917600000001'), 'sms');
    const id = sent.status === 'accepted' ? sent.providerMessageId! : '';
    const q = { locationId: 'loc1', channel: 'sms' as const, providerMessageId: id, route: 'sms' };
    expect(await client.report!(q)).toMatchObject({ status: 'inFlight', providerStatus: 'sending' });
    expect(await client.report!(q)).toMatchObject({ status: 'failed', providerStatus: 'undelivered', reasonCode: 'provider.undelivered', reasonParams: { provider: 'Twilio', detail: '30003 Unreachable destination handset' } });
  });

  it('a wrong Auth Token: a permanent failure that names what to check, and the connection test says the same', async () => {
    const client = createTwilioClient(config({ authToken: 'wrong-token-123456' }), systemTime);
    const sent = await client.send(message('+4917612345678'), 'sms');
    expect(sent).toMatchObject({ status: 'failed', permanent: true, providerStatus: '20003', reasonCode: 'provider.auth' });
    expect(await client.test()).toMatchObject({ ok: false, reasonCode: 'provider.auth' });
    expect(await createTwilioClient(config(), systemTime).test()).toMatchObject({ ok: true, detail: expect.stringContaining('Lumière test account') });
  });

  it('429 with Retry-After: temporary, with the wait, and the whole provider pauses', async () => {
    twilio.rejectNext.push({ status: 429, headers: { 'retry-after': '3' }, json: { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 } });
    const client = createTwilioClient(config({ ratePerSecond: 100 }), systemTime);
    const sent = await client.send(message('+4917612345678'), 'sms');
    expect(sent).toMatchObject({ status: 'failed', permanent: false, retryAfterMs: 3_000, providerStatus: '429', reasonCode: 'provider.rateLimited' });
    // The next send is held back (not tried: no request goes out) until the Retry-After has passed.
    const requests = twilio.server.requests.length;
    // Said as Twilio's own pause, not as the rate set in FrontDesk.
    expect(await client.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', notSent: true, reasonCode: 'provider.paused', reasonParams: { provider: 'Twilio' } });
    expect(twilio.server.requests.length).toBe(requests);
  });

  it('an invalid number and a landline fail at once, each with its reason', async () => {
    const client = createTwilioClient(config(), systemTime);
    expect(await client.send(message('+15005550001'), 'sms')).toMatchObject({ status: 'failed', permanent: true, providerStatus: '21211', reasonCode: 'phone.invalid', reasonParams: { phone: '+15005550001' } });
    expect(await client.send(message('+15005550009'), 'sms')).toMatchObject({ status: 'failed', permanent: true, providerStatus: '21614', reasonCode: 'phone.invalid' });
  });

  it('WhatsApp first: whatsapp: addresses, and an undelivered WhatsApp report points to the SMS route', async () => {
    twilio.statuses.set('whatsapp:+4917611112222', ['failed']);
    twilio.deliveryErrors.set('+4917611112222', { code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' });
    const client = createTwilioClient(config({ whatsappFrom: '+14155238886' }), systemTime);
    expect(client.routes(message('+4917611112222'))).toEqual(['whatsapp', 'sms']);
    const sent = await client.send(message('+4917611112222'), 'whatsapp');
    expect(Object.fromEntries(new URLSearchParams(twilio.server.requests.at(-1)!.body))).toMatchObject({ To: 'whatsapp:+4917611112222', From: 'whatsapp:+14155238886' });
    const id = sent.status === 'accepted' ? sent.providerMessageId! : '';
    expect(await client.report!({ locationId: 'loc1', channel: 'sms', providerMessageId: id, route: 'whatsapp' })).toMatchObject({
      status: 'failed', nextRoute: true, route: 'whatsapp', reasonCode: 'whatsapp.unavailable', reasonParams: { detail: expect.stringContaining('63016') },
    });
  });

  it('reads replies from the message list, each once', async () => {
    const client = createTwilioClient(config({ readReplies: true }), systemTime);
    twilio.receive('+4917612345678', 'YES');
    const replies = await client.inbound!();
    expect(replies).toEqual([expect.objectContaining({ fromPhone: '+4917612345678', text: 'YES', via: 'sms' })]);
    const list = twilio.server.requests.at(-1)!;
    expect(list.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`);
    expect(list.query.get('To')).toBe('+15005550006');
    expect(list.query.get('DateSent>')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await client.inbound!()).toEqual([]);
    // A reply of 5,000 characters is cut to 2,000, as the other providers' replies are.
    twilio.receive('+4917612345678', 'Да'.repeat(2_500));
    expect((await client.inbound!())[0]?.text).toHaveLength(2_000);
  });

  it('never returns the Auth Token', async () => {
    const client = createTwilioClient(config({ authToken: 'wrong-token-123456' }), systemTime);
    const answers = [await client.send(message('+4917612345678'), 'sms'), await client.test()];
    expect(JSON.stringify(answers)).not.toContain('wrong-token-123456');
    expect(JSON.stringify(answers)).not.toContain(Buffer.from(`${twilio.accountSid}:wrong-token-123456`).toString('base64'));
  });
});

describe('Twilio on a bad day', () => {
  it('a server that took the whole request and hung up without an answer leaves the message uncertain: never sent twice', async () => {
    const server = await startBadDayServer({ kind: 'resetAfterRequest' });
    try {
      const sent = await createTwilioClient(config({ baseUrl: server.url }), systemTime).send(message('+4917612345678'), 'sms');
      expect(sent).toMatchObject({ status: 'uncertain', route: 'sms', reasonCode: 'provider.noVerdict', reasonParams: { provider: 'Twilio' } });
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('Test connection is not "connected" on an answer cut off', async () => {
    const server = await startBadDayServer({ kind: 'resetMidBody', status: 200, start: '{"friendly_name":' });
    try {
      expect(await createTwilioClient(config({ baseUrl: server.url }), systemTime).test()).toMatchObject({ ok: false, reasonCode: 'provider.badAnswer', reasonParams: { detail: expect.stringContaining('broke off') } });
    } finally {
      await server.close();
    }
  });

  it('a 201 whose body breaks off is sent, with the lost answer as the reason: never a retry that could send it twice', async () => {
    const server = await startBadDayServer({ kind: 'resetMidBody', status: 201, start: '{"sid":"SM12' });
    try {
      const sent = await createTwilioClient(config({ baseUrl: server.url }), systemTime).send(message('+4917612345678'), 'sms');
      expect(sent).toMatchObject({ status: 'accepted', route: 'sms', reasonCode: 'provider.answerLost', reasonParams: { provider: 'Twilio', detail: expect.stringContaining('HTTP 201') } });
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });
});
