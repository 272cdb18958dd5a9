/**
 * An SMTP password belongs to one server. Two real SMTP servers on loopback — A on 127.0.0.1 and B on 127.0.0.2, the
 * same port, so the manager changes only the host name — each requiring a login and recording every login attempt.
 * After the switch to B, B never sees A's password: not on "Test connection", not on a send. And a password is only
 * sent without TLS once the manager allowed it for that very server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import { startSmtpSink, type SmtpSink } from '../channels/support/smtp-sink.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';

const PASSWORD_A = 'old-server-secret-A';
const PASSWORD_B = 'new-server-secret-B';

let running: MemoryHost;
let host: FrontDeskHost;
let serverA: SmtpSink;
let serverB: SmtpSink;

beforeAll(async () => {
  serverA = await startSmtpSink({ credentials: { user: 'desk', pass: PASSWORD_A } });
  serverB = await startSmtpSink({ credentials: { user: 'desk', pass: PASSWORD_B }, host: '127.0.0.2', port: serverA.port });
  running = await startMemoryHost('smtp-password', { demo: true });
  host = running.host;
  // Messages really go out (the demo starts in sandbox mode).
  expect(await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, sandboxMode: false })).toMatchObject({ ok: true });
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await serverA?.close();
  await serverB?.close();
});

const server = (hostName: string, extra: { allowInsecureAuth?: boolean } = {}) => ({
  host: hostName,
  port: serverA.port,
  secure: false,
  username: 'desk',
  fromAddress: 'desk@lumiere.example',
  ...extra,
});

async function testConnection(): Promise<{ status: string; detail: string }> {
  const result = await host.api.call('messages.sendTest', { locationId: DEMO_LOCATION_ID, channel: 'email' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { status: string; detail: string };
}

async function sendTestMessage(): Promise<{ status: string; detail: string }> {
  const result = await host.api.call('messages.sendTest', { locationId: DEMO_LOCATION_ID, channel: 'email', to: 'owner@lumiere.example' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as { status: string; detail: string };
}

const passwordsSeen = (sink: SmtpSink) => sink.authAttempts.map((attempt) => attempt.pass);

describe('the SMTP password and the server it belongs to', () => {
  it('server A, allowed without TLS: the password is used', async () => {
    expect(await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: server('127.0.0.1', { allowInsecureAuth: true }) })).toMatchObject({ ok: true });
    expect(await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: PASSWORD_A })).toMatchObject({ ok: true });
    expect(await testConnection()).toEqual({ status: 'ok', detail: `Connected to 127.0.0.1:${serverA.port}.` });
    expect(await sendTestMessage()).toMatchObject({ status: 'delivered' });
    expect(serverA.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverA))).toEqual(new Set([PASSWORD_A]));
  });

  it('switching to server B forgets the password and the consent: B is never offered the old password', async () => {
    const saved = await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: server('127.0.0.2') });
    expect(saved).toMatchObject({ ok: true, value: { location: { smtp: { host: '127.0.0.2', password: 'needed' } } } });
    expect((saved.ok && (saved.value as { location: { smtp: object } }).location.smtp) || {}).not.toHaveProperty('allowInsecureAuth');

    expect(await testConnection()).toEqual({ status: 'failed', detail: 'The email settings are incomplete: the password must be entered again in Notification settings → Email (SMTP)' });
    expect(await sendTestMessage()).toEqual({ status: 'notTried', detail: 'Email (SMTP) is not configured for this location: the password must be entered again in Notification settings → Email (SMTP)' });
    expect(serverB.authAttempts).toEqual([]);
    expect(serverB.received).toEqual([]);
  });

  it('with its own password but without consent, B gets no password over a connection without TLS', async () => {
    expect(await host.api.call('location.setSmtpPassword', { locationId: DEMO_LOCATION_ID, password: PASSWORD_B })).toMatchObject({ ok: true });
    const result = await testConnection();
    expect(result.status).toBe('failed');
    expect(result.detail).toContain(`Secure connection (TLS) to 127.0.0.2:${serverA.port} failed: the server does not offer STARTTLS on this port, so the password was not sent`);
    expect(await sendTestMessage()).toMatchObject({ status: 'failed' });
    expect(serverB.authAttempts).toEqual([]);
  });

  it('once the manager allows it for B, B sees its own password only — never A’s', async () => {
    expect(await host.api.call('location.save', { locationId: DEMO_LOCATION_ID, smtp: server('127.0.0.2', { allowInsecureAuth: true }) })).toMatchObject({
      ok: true,
      value: { location: { smtp: { allowInsecureAuth: true, password: 'set' } } },
    });
    expect(await testConnection()).toMatchObject({ status: 'ok' });
    expect(await sendTestMessage()).toMatchObject({ status: 'delivered' });
    expect(serverB.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverB))).toEqual(new Set([PASSWORD_B]));
    expect(passwordsSeen(serverB)).not.toContain(PASSWORD_A);
    // A heard nothing after the switch.
    expect(serverA.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverA))).toEqual(new Set([PASSWORD_A]));
  });
});
