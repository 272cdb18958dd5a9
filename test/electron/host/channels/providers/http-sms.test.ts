/**
 * The generic HTTP SMS gateway client against a loopback gateway: the request built from the templates (URL, header,
 * escaped JSON body, idempotency key), auth failure, 429 with Retry-After, an invalid number, status transitions,
 * replies, and the idempotency key that lets a repeated request be dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpSmsClient, fillTemplate, type HttpSmsConfig } from '../../../../../electron/host/channels/providers/http-sms.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { gatewayConfig, startFakeGateway, type FakeGateway } from '../support/fake-sms-gateway.ts';
import { systemTime } from '../support/system-time.ts';
import { startBadDayServer } from '../support/bad-day-server.ts';
import { startLoopback } from '../support/loopback-http.ts';

let gateway: FakeGateway;
beforeAll(async () => {
  gateway = await startFakeGateway();
});
afterAll(async () => {
  await gateway.close();
});

const message = (phone: string, body = 'Напоминание: стрижка завтра в 15:00 "Lumière"', key = `k-${phone}-${Math.random()}`): OutgoingMessage => ({
  jobId: 'j', idempotencyKey: key, channel: 'sms', locationId: 'loc1', recipient: { phone }, body,
});
const client = (over: Partial<HttpSmsConfig> = {}) => createHttpSmsClient({ ...gatewayConfig(gateway), pricePerSegmentMicros: 60_000, currency: 'EUR', ...over } as HttpSmsConfig, systemTime);

describe('generic HTTP SMS gateway', () => {
  it('fills the templates, escaping for JSON, and reads id and status', async () => {
    const sms = client();
    const sent = await sms.send(message('+4917612345678', undefined, 'key-1'), 'sms');
    expect(sent).toMatchObject({ status: 'accepted', providerMessageId: expect.stringMatching(/^gw-/), cost: { micros: 60_000, currency: 'EUR', segments: 1, estimated: true } });
    const request = gateway.server.requests.at(-1)!;
    expect(request.path).toBe('/api/sms');
    expect(request.headers.authorization).toBe(`Bearer ${gateway.apiKey}`);
    expect(request.headers['idempotency-key']).toBe('key-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ to: '+4917612345678', text: 'Напоминание: стрижка завтра в 15:00 "Lumière"', from: 'Lumiere' });
    const id = sent.status === 'accepted' ? sent.providerMessageId! : '';
    const q = { locationId: 'loc1', channel: 'sms' as const, providerMessageId: id, route: 'sms' };
    expect(await sms.report!(q)).toMatchObject({ status: 'inFlight', providerStatus: 'sent' });
    expect(gateway.server.requests.at(-1)!.path).toBe(`/api/sms/${id}`);
    expect(await sms.report!(q)).toMatchObject({ status: 'delivered', providerStatus: 'delivered' });
  });

  it('a scripted undelivered status is a failed report with the status', async () => {
    gateway.statuses.set('+4917600000009', ['rejected']);
    const sms = client();
    const sent = await sms.send(message('+4917600000009'), 'sms');
    const id = sent.status === 'accepted' ? sent.providerMessageId! : '';
    expect(await sms.report!({ locationId: 'loc1', channel: 'sms', providerMessageId: id })).toMatchObject({ status: 'failed', providerStatus: 'rejected', reasonCode: 'provider.undelivered' });
  });

  it('the same idempotency key twice reaches the handset once', async () => {
    const sms = client();
    const first = await sms.send(message('+4917612345670', 'hello', 'same-key'), 'sms');
    const second = await sms.send(message('+4917612345670', 'hello', 'same-key'), 'sms');
    expect(second).toMatchObject({ status: 'accepted', providerMessageId: first.status === 'accepted' ? first.providerMessageId : 'x' });
    expect(gateway.received.get('same-key')).toBe(1);
    expect(sms.idempotent).toBe(true);
  });

  it('auth failure, invalid number, 429 with Retry-After and 503: each classified', async () => {
    expect(await client({ apiKey: 'wrong-key-0000' }).send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', permanent: true, reasonCode: 'provider.auth' });
    expect(await client({ apiKey: 'wrong-key-0000' }).test()).toMatchObject({ ok: false, reasonCode: 'provider.auth' });
    expect(await client().test()).toMatchObject({ ok: true });
    // A number the gateway refuses (a dialable shape, but no such subscriber)…
    expect(await client().send(message('+4917699999999'), 'sms')).toMatchObject({ status: 'failed', permanent: true, providerStatus: '422', reasonCode: 'provider.rejected', reasonParams: { detail: 'invalid destination +4917699999999' } });
    // …and one no country has: never sent, could not be tried.
    const before = gateway.server.requests.length;
    expect(await client().send(message('+4900000000'), 'sms')).toEqual({ status: 'notTried', route: 'sms', reason: '+4900000000 is not a valid mobile number', reasonCode: 'phone.invalid', reasonParams: { phone: '+4900000000' } });
    expect(gateway.server.requests.length).toBe(before);

    const limited = await startFakeGateway({ limitPerSecond: 1 });
    try {
      const sms = createHttpSmsClient(gatewayConfig(limited) as HttpSmsConfig, systemTime);
      await sms.send(message('+4917612345678'), 'sms');
      expect(await sms.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', permanent: false, providerStatus: '429', retryAfterMs: 1_000 });
    } finally {
      await limited.close();
    }
    const flaky = await startFakeGateway({ transientRate: 1 });
    try {
      expect(await createHttpSmsClient(gatewayConfig(flaky) as HttpSmsConfig, systemTime).send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', permanent: false, providerStatus: '503', reasonCode: 'provider.unavailable' });
    } finally {
      await flaky.close();
    }
  });

  it('without a status URL the acceptance is the verdict', async () => {
    const sent = await client({ statusUrl: undefined }).send(message('+4917612345678'), 'sms');
    expect(sent).toMatchObject({ status: 'delivered', providerStatus: 'accepted' });
  });

  it('reads replies once each; a GET gateway gets its values URL-escaped', async () => {
    gateway.inbound.push({ id: 'in-1', from: '+4917612345678', text: 'да' });
    const sms = client();
    expect(await sms.inbound!()).toEqual([expect.objectContaining({ id: 'in-1', fromPhone: '+4917612345678', text: 'да' })]);
    expect(await sms.inbound!()).toEqual([]);
    expect(fillTemplate('https://gw/send?to={{to}}&text={{text}}&key={{apiKey}}', { to: '+49 1', text: 'a&b=c', apiKey: 'k/1' }, 'url')).toBe('https://gw/send?to=%2B49%201&text=a%26b%3Dc&key=k%2F1');
  });

  it('never returns the API key', async () => {
    const answers = [await client({ apiKey: 'secret-key-9911' }).send(message('+4917612345678'), 'sms'), await client({ apiKey: 'secret-key-9911' }).test()];
    expect(JSON.stringify(answers)).not.toContain('secret-key-9911');
  });
});

describe('HTTP SMS gateway on a bad day', () => {
  it('a 502 error page from a proxy is told by its title, not its markup', async () => {
    const page = '<!DOCTYPE html>\n<html><head><title>502 Bad\n Gateway</title><style>body{font:14px sans-serif}</style></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
    const proxy = await startLoopback(() => ({ status: 502, text: page, headers: { 'content-type': 'text/html' } }));
    try {
      const sms = createHttpSmsClient({ ...gatewayConfig(gateway), url: `${proxy.url}/api/sms` } as HttpSmsConfig, systemTime);
      expect(await sms.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', permanent: false, reasonCode: 'provider.unavailable', reasonParams: { detail: 'HTTP 502 (502 Bad Gateway)' } });
    } finally {
      await proxy.close();
    }
  });

  it('no answer after the whole request: uncertain, unless the gateway drops repeats by the idempotency key (then tried again)', async () => {
    const server = await startBadDayServer({ kind: 'resetAfterRequest' });
    try {
      const keyed = createHttpSmsClient({ ...gatewayConfig(gateway), url: `${server.url}/api/sms` } as HttpSmsConfig, systemTime);
      expect(await keyed.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'failed', permanent: false, reasonCode: 'provider.error' });
      const unkeyed = createHttpSmsClient({ ...gatewayConfig(gateway), url: `${server.url}/api/sms`, idempotencyHeader: undefined } as HttpSmsConfig, systemTime);
      expect(await unkeyed.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'uncertain', reasonCode: 'provider.noVerdict' });
    } finally {
      await server.close();
    }
  });

  it('a 200 of 50 MB is sent, not refused for a missing success flag (which would hand it to the next channel)', async () => {
    const server = await startBadDayServer({ kind: 'huge', status: 200, megabytes: 50 });
    try {
      const sms = createHttpSmsClient({ ...gatewayConfig(gateway), url: `${server.url}/api/sms`, successPath: 'ok' } as HttpSmsConfig, systemTime);
      expect(await sms.send(message('+4917612345678'), 'sms')).toMatchObject({ status: 'delivered', reasonCode: 'provider.answerLost', reasonParams: { detail: expect.stringContaining('larger than 1 MB') } });
      expect(server.requests).toBe(1);
    } finally {
      await server.close();
    }
  });
});
