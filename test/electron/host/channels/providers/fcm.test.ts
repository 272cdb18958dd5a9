/**
 * FCM HTTP v1 with a service account, against a loopback OAuth token endpoint and FCM that check what the real ones
 * check (a signed JWT with the right issuer, audience and scope; a bearer token; the documented message body): token
 * cached, UNREGISTERED drops the token, QUOTA_EXCEEDED with Retry-After is temporary, a bad key or project fails with
 * what to fix, an expired access token is renewed once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFcmClient } from '../../../../../electron/host/channels/providers/fcm.ts';
import { parseServiceAccount } from '../../../../../electron/host/channels/providers/google-oauth.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { fcmError, startFakeFcm, type FakeFcm } from '../support/fake-fcm.ts';
import { systemTime } from '../support/system-time.ts';

let fcm: FakeFcm;
beforeAll(async () => {
  fcm = await startFakeFcm();
});
afterAll(async () => {
  await fcm.close();
});

const account = () => {
  const parsed = parseServiceAccount(fcm.serviceAccountJson);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.account;
};
const client = (projectId = fcm.projectId, acc = account()) => createFcmClient({ account: acc, projectId, baseUrl: fcm.url, label: 'Firebase (branded app)' }, systemTime);
const message = (tokens: string[]): OutgoingMessage => ({
  jobId: 'reminder|a1|120m@1|cascade', idempotencyKey: 'k', channel: 'brandedPush', locationId: 'loc1', recipient: { pushTokens: tokens },
  subject: 'See you soon', body: 'Haircut today at 15:00', clickTarget: { appointmentId: 'a1' },
});

describe('FCM HTTP v1 with a service account', () => {
  it('gets an OAuth token with a signed JWT, caches it, and posts the documented message body', async () => {
    const push = client();
    const sent = await push.send(message(['device-token-aaaaaaaa', 'device-token-bbbbbbbb']), 'push');
    expect(sent).toMatchObject({ status: 'delivered', route: 'push', providerMessageId: expect.stringMatching(new RegExp(`^projects/${fcm.projectId}/messages/`)) });
    const tokenRequests = fcm.server.requests.filter((r) => r.path === '/token');
    expect(tokenRequests).toHaveLength(1);
    expect(new URLSearchParams(tokenRequests[0]!.body).get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const sends = fcm.server.requests.filter((r) => r.path.endsWith('/messages:send'));
    expect(sends.map((r) => r.path)).toEqual([`/v1/projects/${fcm.projectId}/messages:send`, `/v1/projects/${fcm.projectId}/messages:send`]);
    expect(sends[0]!.headers.authorization).toBe(`Bearer ${fcm.issuedTokens[0]}`);
    expect(JSON.parse(sends[0]!.body)).toEqual({
      message: { token: 'device-token-aaaaaaaa', notification: { title: 'See you soon', body: 'Haircut today at 15:00' }, data: { jobId: 'reminder|a1|120m@1|cascade', appointmentId: 'a1' }, android: { priority: 'high' } },
    });
    await push.send(message(['device-token-aaaaaaaa']), 'push');
    expect(fcm.server.requests.filter((r) => r.path === '/token')).toHaveLength(1);
  });

  it('UNREGISTERED: the token is reported stale; with no device left the channel could not be tried', async () => {
    fcm.unregistered.add('device-token-gone0001');
    const push = client();
    expect(await push.send(message(['device-token-gone0001', 'device-token-aaaaaaaa']), 'push')).toMatchObject({ status: 'delivered', staleTokens: ['device-token-gone0001'] });
    expect(await push.send(message(['device-token-gone0001']), 'push')).toMatchObject({ status: 'notTried', providerStatus: 'UNREGISTERED', staleTokens: ['device-token-gone0001'], reasonCode: 'push.unregistered' });
    expect(await push.send(message([]), 'push')).toMatchObject({ status: 'notTried', reasonCode: 'push.noDevice' });
  });

  it('QUOTA_EXCEEDED with Retry-After and UNAVAILABLE are temporary', async () => {
    fcm.rejectNext.push(fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', 'QUOTA_EXCEEDED', { 'retry-after': '30' }));
    expect(await client().send(message(['device-token-aaaaaaaa']), 'push')).toMatchObject({ status: 'failed', permanent: false, retryAfterMs: 30_000, providerStatus: '429' });
    fcm.rejectNext.push(fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE'));
    expect(await client().send(message(['device-token-aaaaaaaa']), 'push')).toMatchObject({ status: 'failed', permanent: false, providerStatus: 'UNAVAILABLE', reasonCode: 'provider.unavailable' });
  });

  it('a key FCM does not accept, or the wrong project, fails permanently with what to fix; the test says so too', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = client(fcm.projectId, { ...account(), private_key: other });
    expect(await forged.send(message(['device-token-aaaaaaaa']), 'push')).toMatchObject({ status: 'failed', permanent: true, reasonCode: 'provider.auth', reasonParams: { field: 'the service-account key' } });
    expect(await forged.test()).toMatchObject({ ok: false, reasonCode: 'provider.auth' });
    expect(await client('someone-elses-project').test()).toMatchObject({ ok: false, reasonCode: 'provider.auth' });
    expect(await client().test()).toMatchObject({ ok: true });
    expect(parseServiceAccount('{"type":"authorized_user"}')).toEqual({ ok: false, problem: expect.stringContaining('service-account') });
  });

  it('a revoked access token is renewed once, transparently', async () => {
    const push = client();
    await push.send(message(['device-token-aaaaaaaa']), 'push');
    const before = fcm.issuedTokens.length;
    fcm.revokeIssued();
    expect(await push.send(message(['device-token-aaaaaaaa']), 'push')).toMatchObject({ status: 'delivered' });
    expect(fcm.issuedTokens.length).toBe(before + 1);
  });

  it('never returns the private key', async () => {
    const answers = [await client('nope').send(message(['device-token-aaaaaaaa']), 'push'), await client('nope').test()];
    expect(JSON.stringify(answers)).not.toContain('PRIVATE KEY');
  });
});
