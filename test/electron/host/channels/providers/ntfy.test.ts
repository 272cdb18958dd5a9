/**
 * The ntfy client against a loopback ntfy server: the JSON publish it sends, a protected topic with and without the
 * access token, 429 with Retry-After, a staff member without a topic, and the health/account connection test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNtfyClient, type NtfyConfig } from '../../../../../electron/host/channels/providers/ntfy.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { ntfyError, startFakeNtfy, type FakeNtfy } from '../support/fake-ntfy.ts';
import { systemTime } from '../support/system-time.ts';
import { startBadDayServer } from '../support/bad-day-server.ts';

let ntfy: FakeNtfy;
beforeAll(async () => {
  ntfy = await startFakeNtfy();
});
afterAll(async () => {
  await ntfy.close();
});

const client = (over: Partial<NtfyConfig> = {}) => createNtfyClient({ serverUrl: ntfy.url, clickUrl: 'https://desk.example/visit/{{appointmentId}}', ...over }, systemTime);
const message = (topic?: string): OutgoingMessage => ({
  jobId: 'cancellation|e1|s1|adminPush', idempotencyKey: 'k', channel: 'adminPush', locationId: 'loc1', recipient: { staffId: 's1', name: 'Sophie', ...(topic ? { ntfyTopic: topic } : {}) },
  subject: 'Cancelled: Anna Petrova', body: 'Thu 26 Nov 15:00 · Haircut', clickTarget: { appointmentId: 'a1' },
});

describe('ntfy publish', () => {
  it('publishes JSON to the root with topic, title, message, priority and click', async () => {
    const sent = await client().send(message('lumiere-sophie'), 'push');
    expect(sent).toMatchObject({ status: 'delivered', providerMessageId: expect.stringMatching(/^msg/) });
    const request = ntfy.server.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/' });
    expect(request.headers.authorization).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ topic: 'lumiere-sophie', title: 'Cancelled: Anna Petrova', message: 'Thu 26 Nov 15:00 · Haircut', priority: 4, tags: ['calendar'], click: 'https://desk.example/visit/a1' });
  });

  it('a protected topic needs the token: without it forbidden (permanent), with it published as Bearer', async () => {
    ntfy.protectedTopics.add('lumiere-staff');
    expect(await client().send(message('lumiere-staff'), 'push')).toMatchObject({ status: 'failed', permanent: true, providerStatus: '40301', reasonCode: 'provider.auth' });
    expect(await client({ accessToken: ntfy.token }).send(message('lumiere-staff'), 'push')).toMatchObject({ status: 'delivered' });
    expect(ntfy.server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${ntfy.token}`);
    const wrong = await client({ accessToken: 'tk_wrongwrongwrong' }).send(message('lumiere-staff'), 'push');
    expect(wrong).toMatchObject({ status: 'failed', permanent: true, providerStatus: '40101' });
    expect(JSON.stringify(wrong)).not.toContain('tk_wrongwrongwrong');
  });

  it('429 with Retry-After is temporary; no topic means it could not be tried; the default topic stands in', async () => {
    ntfy.rejectNext.push(ntfyError(42901, 429, 'limit reached: too many requests', 'https://ntfy.sh/docs/publish/#limitations', { 'retry-after': '10' }));
    expect(await client().send(message('lumiere-sophie'), 'push')).toMatchObject({ status: 'failed', permanent: false, retryAfterMs: 10_000, providerStatus: '429' });
    expect(await client().send(message(), 'push')).toMatchObject({ status: 'notTried', reasonCode: 'push.noTopic' });
    expect(await client({ defaultTopic: 'lumiere-desk' }).send(message(), 'push')).toMatchObject({ status: 'delivered' });
    expect(ntfy.published.at(-1)!.topic).toBe('lumiere-desk');
  });

  it('test connection: health, and the account when a token is set', async () => {
    expect(await client().test()).toMatchObject({ ok: true });
    expect(await client({ accessToken: ntfy.token }).test()).toMatchObject({ ok: true, detail: expect.stringContaining('frontdesk') });
    expect(await client({ accessToken: 'tk_bad' }).test()).toMatchObject({ ok: false, reasonCode: 'provider.auth' });
    expect(await client({ serverUrl: 'http://127.0.0.1:9' }).test()).toMatchObject({ ok: false, reasonCode: 'provider.error' });
  });
});

describe('ntfy on a bad day', () => {
  it('a 200 whose body breaks off is published, not refused (which would hand the message to the next channel)', async () => {
    const server = await startBadDayServer({ kind: 'resetMidBody', status: 200, start: '{"id":"ab' });
    try {
      const sent = await createNtfyClient({ serverUrl: server.url }, systemTime).send(message('lumiere-sophie'), 'push');
      expect(sent).toMatchObject({ status: 'delivered', reasonCode: 'provider.answerLost' });
    } finally {
      await server.close();
    }
  });
});
