/**
 * An SMTP password belongs to one server. Two real SMTP servers on loopback — A on 127.0.0.1 and B on 127.0.0.2, the
 * same port, so the manager changes only the host name — each requiring a login and recording every login attempt.
 * After the switch to B, B never sees A's password: not on "Test connection", not on a send. And a password is only
 * sent without TLS once the manager allowed it for that very server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import type { ResponseOf } from '../../../../shared/ipc/contract.ts';
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
  username: 'desk',
  fromAddress: 'desk@lumiere.example',
  ...extra,
});

const which = { locationId: DEMO_LOCATION_ID, channel: 'email', kind: 'smtp' } as const;

async function save(settings: ReturnType<typeof server>, password?: string) {
  const result = await host.api.call('providers.save', { ...which, enabled: true, settings, ...(password ? { secrets: { password } } : {}) });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as ResponseOf<'providers.save'>).provider;
}

async function testConnection(): Promise<ResponseOf<'providers.test'>> {
  const result = await host.api.call('providers.test', which);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ResponseOf<'providers.test'>;
}

async function sendTestMessage(): Promise<ResponseOf<'providers.sendTest'>> {
  const result = await host.api.call('providers.sendTest', { ...which, to: 'owner@lumiere.example' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ResponseOf<'providers.sendTest'>;
}

const passwordsSeen = (sink: SmtpSink) => sink.authAttempts.map((attempt) => attempt.pass);

describe('the SMTP password and the server it belongs to', () => {
  it('server A, allowed without TLS: the password is used', async () => {
    expect(await save(server('127.0.0.1', { allowInsecureAuth: true }), PASSWORD_A)).toMatchObject({ ready: true, secrets: { password: 'set' } });
    expect(await testConnection()).toEqual({ ok: true, detail: `Connected to 127.0.0.1:${serverA.port}.` });
    expect(await sendTestMessage()).toMatchObject({ status: 'delivered' });
    expect(serverA.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverA))).toEqual(new Set([PASSWORD_A]));
  });

  it('switching to server B forgets the password: B is never offered the old password', async () => {
    // The card turns the consent off when the server changes, so the save carries none.
    const saved = await save(server('127.0.0.2'));
    expect(saved).toMatchObject({ settings: { host: '127.0.0.2', allowInsecureAuth: false }, secrets: { password: 'missing' }, ready: false, problem: { reasonCode: 'smtp.password.needed' } });

    const needed = { reason: 'the SMTP password must be entered again in Settings → Email (SMTP)', reasonCode: 'smtp.password.needed' };
    expect(await testConnection()).toEqual({ ok: false, ...needed });
    expect(await sendTestMessage()).toEqual({ status: 'notTried', ...needed });
    expect(serverB.authAttempts).toEqual([]);
    expect(serverB.received).toEqual([]);
  });

  it('with its own password but without consent, B gets no password over a connection without TLS', async () => {
    await save(server('127.0.0.2'), PASSWORD_B);
    const result = await testConnection();
    expect(result).toMatchObject({ ok: false, reasonCode: 'smtp.tlsGuarded', reasonParams: { server: `127.0.0.2:${serverA.port}`, detail: 'the server does not offer STARTTLS on this port' } });
    expect(result.reason).toContain(`Secure connection (TLS) to 127.0.0.2:${serverA.port} failed: the server does not offer STARTTLS on this port, so the password was not sent`);
    expect(await sendTestMessage()).toMatchObject({ status: 'failed', reasonCode: 'smtp.tlsGuarded' });
    expect(serverB.authAttempts).toEqual([]);
  });

  it('once the manager allows it for B, B sees its own password only — never A’s', async () => {
    expect(await save(server('127.0.0.2', { allowInsecureAuth: true }))).toMatchObject({ settings: { allowInsecureAuth: true }, secrets: { password: 'set' }, ready: true });
    expect(await testConnection()).toMatchObject({ ok: true });
    expect(await sendTestMessage()).toMatchObject({ status: 'delivered' });
    expect(serverB.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverB))).toEqual(new Set([PASSWORD_B]));
    expect(passwordsSeen(serverB)).not.toContain(PASSWORD_A);
    // A heard nothing after the switch.
    expect(serverA.received).toHaveLength(1);
    expect(new Set(passwordsSeen(serverA))).toEqual(new Set([PASSWORD_A]));
  });
});
