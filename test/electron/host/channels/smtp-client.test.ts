/**
 * The SMTP client (the `smtp` provider of the registry) against a real SMTP server on loopback: what arrives is counted
 * and parsed, rejections and dead servers come back as coded outcomes a receptionist can act on, and the password
 * never shows in any of them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressObject } from 'mailparser';
import type { OutgoingMessage } from '../../../../shared/engine/provider.ts';
import { EMAIL_ROUTE, createSmtpClient, messageIdFor, type SmtpSettings } from '../../../../electron/host/channels/providers/smtp.ts';
import type { ProviderClient, TestResult } from '../../../../electron/host/channels/providers/provider-client.ts';
import { REJECT_TEXT, closedPort, startScriptedServer, startSilentServer, startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const FIXED_NOW = Date.UTC(2025, 2, 11, 9, 30, 0);
const REJECTED = 'nobody@example.test';

function settingsFor(port: number, extra: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    from: { name: 'Salon Aurora', address: 'desk@aurora.example' },
    replyTo: 'reception@aurora.example',
    connectionTimeoutMs: 1_500,
    ...extra,
  };
}

function message(n: number, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    jobId: `job-${n}`,
    idempotencyKey: `reminder|appt-${n}|24h|email`,
    channel: 'email',
    locationId: 'loc-1',
    recipient: { name: `Client ${n}`, email: `client${n}@example.test` },
    subject: `Reminder ${n}: your visit tomorrow`,
    body: `Hello Client ${n},\n\nsee you tomorrow at 14:30 <b>not bold</b> & more.`,
    ...overrides,
  };
}

const clients: ProviderClient[] = [];
afterAll(() => {
  for (const client of clients.splice(0)) client.close?.();
});

function clientFor(settings: SmtpSettings): ProviderClient {
  const client = createSmtpClient(settings, { clock: { now: () => FIXED_NOW } });
  clients.push(client);
  return client;
}

const send = (settings: SmtpSettings, outgoing: OutgoingMessage, signal?: AbortSignal) => clientFor(settings).send(outgoing, EMAIL_ROUTE, signal);
const testSmtpConnection = (settings: SmtpSettings): Promise<TestResult> => clientFor(settings).test();

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((entry) => entry.value.map((value) => value.address ?? ''));
}

describe('SMTP client over real SMTP', () => {
  let sink: SmtpSink;
  let provider: ProviderClient;

  beforeAll(async () => {
    sink = await startSmtpSink({ rejectRecipients: [REJECTED] });
    provider = clientFor(settingsFor(sink.port));
  });
  afterAll(async () => {
    provider.close?.();
    await sink.close();
  });

  it('delivers three messages, each arriving exactly once with its subject, text, sender, recipient and Message-ID', async () => {
    const outcomes = await Promise.all([1, 2, 3].map((n) => provider.send(message(n), EMAIL_ROUTE)));
    for (const [index, outcome] of outcomes.entries()) {
      const n = index + 1;
      expect(outcome).toMatchObject({ status: 'delivered', providerMessageId: messageIdFor(`reminder|appt-${n}|24h|email`) });
    }
    expect(sink.received).toHaveLength(3);
    for (const n of [1, 2, 3]) {
      const arrivals = sink.received.filter((mail) => mail.messageId === `<reminder|appt-${n}|24h|email@frontdesk.local>`);
      expect(arrivals, `message ${n} arrivals`).toHaveLength(1);
      const mail = arrivals[0]!;
      expect(mail.subject).toBe(`Reminder ${n}: your visit tomorrow`);
      expect(mail.text?.trim()).toBe(`Hello Client ${n},\n\nsee you tomorrow at 14:30 <b>not bold</b> & more.`);
      expect(mail.html).toContain('&lt;b&gt;not bold&lt;/b&gt; &amp; more.');
      expect(mail.html).not.toContain('<b>');
      expect(mail.from?.value[0]).toMatchObject({ name: 'Salon Aurora', address: 'desk@aurora.example' });
      expect(addresses(mail.to)).toEqual([`client${n}@example.test`]);
      expect(addresses(mail.replyTo)).toEqual(['reception@aurora.example']);
      expect(mail.date?.getTime()).toBe(FIXED_NOW);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(mail.headers.get('x-frontdesk-job')).toBe(`job-${n}`);
    }
    expect(sink.envelopes.flat().sort()).toEqual(['client1@example.test', 'client2@example.test', 'client3@example.test']);
  });

  it('reports a recipient the server rejects with 550 as a permanent failure carrying the server reply', async () => {
    const before = sink.received.length;
    const outcome = await provider.send(message(4, { recipient: { name: 'Nobody', email: REJECTED } }), EMAIL_ROUTE);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.permanent).toBe(true);
    expect(outcome).toMatchObject({ reasonCode: 'smtp.rejectedRecipients', reasonParams: { recipients: REJECTED } });
    expect(outcome.reason).toContain(REJECTED);
    expect(outcome.reason).toMatch(new RegExp(`550 .*${REJECT_TEXT}`));
    expect(sink.received.length).toBe(before);
  });

  it('does not try a recipient without an email address, or with one that is not an address', async () => {
    expect(await provider.send(message(5, { recipient: { name: 'No Mail', phone: '+4915112345678' } }), EMAIL_ROUTE)).toEqual({
      status: 'notTried',
      reason: 'the recipient has no email address',
      reasonCode: 'email.none',
    });
    expect(await provider.send(message(6, { recipient: { email: 'not an address' } }), EMAIL_ROUTE)).toMatchObject({ status: 'notTried', reasonCode: 'email.invalid', reasonParams: { email: 'not an address' } });
  });

  it('lets a message on the wire finish when it is closed (the hub rebuilt it with new settings)', async () => {
    const second = await startSmtpSink();
    try {
      const client = createSmtpClient(settingsFor(second.port, { from: { name: 'Salon Aurora Mitte', address: 'mitte@aurora.example' } }), { clock: { now: () => FIXED_NOW } });
      const pending = client.send(message(7), EMAIL_ROUTE);
      client.close?.();
      expect((await pending).status).toBe('delivered');
      expect(second.received).toHaveLength(1);
      expect(second.received[0]?.from?.value[0]?.address).toBe('mitte@aurora.example');
    } finally {
      await second.close();
    }
  });
});

describe('SMTP client when the server cannot be reached', () => {
  afterEach(() => {
    for (const client of clients.splice(0)) client.close?.();
  });

  it('fails non-permanently and quickly, with a readable reason, on a closed port', async () => {
    const port = await closedPort();
    const started = performance.now();
    const outcome = await send(settingsFor(port), message(8));
    const elapsed = performance.now() - started;
    expect(outcome).toEqual({
      status: 'failed',
      permanent: false,
      reason: `Could not connect to 127.0.0.1:${port} — check the server name and port`,
      reasonCode: 'smtp.connect',
      reasonParams: { server: `127.0.0.1:${port}` },
    });
    expect(elapsed).toBeLessThan(5_000);
  });

  it('gives up on a server that accepts the connection but never greets, within the configured timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const outcome = await send(settingsFor(silent.port, { connectionTimeoutMs: 800 }), message(9));
      const elapsed = performance.now() - started;
      expect(outcome.status).toBe('failed');
      if (outcome.status !== 'failed') return;
      expect(outcome.permanent).toBe(false);
      expect(outcome.reason).toContain(`The mail server 127.0.0.1:${silent.port} did not greet within 0.8 s`);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it('stops waiting when the dispatcher aborts, and says the outcome is unknown', async () => {
    const silent = await startSilentServer();
    try {
      const controller = new AbortController();
      const started = performance.now();
      const pending = send(settingsFor(silent.port, { connectionTimeoutMs: 10_000 }), message(11), controller.signal);
      setTimeout(() => controller.abort(), 200);
      const outcome = await pending;
      expect(outcome).toEqual({
        status: 'failed',
        permanent: false,
        reason: 'Sending was interrupted before the mail server confirmed it; the message may or may not have been sent',
        reasonCode: 'smtp.aborted',
        reasonParams: {},
      });
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      await silent.close();
    }
  });
});

describe('SMTP client when the server fails after the message', () => {
  afterEach(() => {
    for (const client of clients.splice(0)) client.close?.();
  });

  it('a server that hangs up after the whole message leaves it uncertain: it may have it, so it is never sent twice', async () => {
    const server = await startScriptedServer('hangUp');
    try {
      const outcome = await send(settingsFor(server.port), message(12));
      expect(outcome).toMatchObject({ status: 'uncertain', reasonCode: 'smtp.noVerdict', reasonParams: { server: `127.0.0.1:${server.port}`, detail: 'Connection closed unexpectedly' } });
      expect(server.messagesEnded()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('a reply to the message decides as before: 451 is tried again, 554 is final', async () => {
    const later = await startScriptedServer({ reply: '451 4.3.0 try again later' });
    const never = await startScriptedServer({ reply: '554 5.7.1 looks like spam' });
    try {
      expect(await send(settingsFor(later.port), message(13))).toMatchObject({ status: 'failed', permanent: false, reasonCode: 'smtp.rejected', reasonParams: { detail: '451 4.3.0 try again later' } });
      expect(await send(settingsFor(never.port), message(14))).toMatchObject({ status: 'failed', permanent: true, reasonCode: 'smtp.rejected', reasonParams: { detail: '554 5.7.1 looks like spam' } });
    } finally {
      await later.close();
      await never.close();
    }
  });

  it('a server that hangs up before the message was sent is a failure tried again: it has nothing', async () => {
    const server = await startScriptedServer('hangUpAtData');
    try {
      expect(await send(settingsFor(server.port), message(15))).toMatchObject({ status: 'failed', permanent: false, reasonCode: 'smtp.closed' });
      expect(server.messagesEnded()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('Test connection', () => {
  const PASSWORD = 'Corr3ct-Horse!';
  const WRONG = 'Wr0ng-Battery-Staple';
  let authSink: SmtpSink;
  let openSink: SmtpSink;

  beforeAll(async () => {
    authSink = await startSmtpSink({ credentials: { user: 'desk', pass: PASSWORD } });
    openSink = await startSmtpSink();
  });
  afterAll(async () => {
    await authSink.close();
    await openSink.close();
  });

  it('accepts working settings, with and without a login', async () => {
    expect(await testSmtpConnection(settingsFor(openSink.port))).toEqual({ ok: true, detail: `Connected to 127.0.0.1:${openSink.port}.` });
    expect(await testSmtpConnection(settingsFor(authSink.port, { auth: { user: 'desk', pass: PASSWORD }, allowInsecureAuth: true }))).toMatchObject({ ok: true });
  });

  it('never sends a password over a connection without TLS unless the manager allowed it for that server', async () => {
    const before = authSink.authAttempts.length;
    const settings = settingsFor(authSink.port, { auth: { user: 'desk', pass: PASSWORD } });
    const result = await testSmtpConnection(settings);
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.reasonCode).toBe('smtp.tlsGuarded');
    expect(result.reason).toContain('the server does not offer STARTTLS on this port, so the password was not sent');
    expect(result.reason).toContain('allow sending the password without it in Settings → Email (SMTP)');
    expect(await send(settings, message(11))).toMatchObject({ status: 'failed', reasonCode: 'smtp.tlsGuarded', reason: expect.stringContaining('so the password was not sent') });
    expect(authSink.authAttempts.slice(before)).toEqual([]);
    expect(authSink.received).toHaveLength(0);
    // With the manager's consent for this (loopback) relay, the login goes through.
    expect(await testSmtpConnection({ ...settings, allowInsecureAuth: true })).toMatchObject({ ok: true });
    expect(authSink.authAttempts.slice(before)).toEqual([{ user: 'desk', pass: PASSWORD, secure: false }]);
  });

  it('says authentication failed on a wrong password, without echoing the password in any form', async () => {
    const result = await testSmtpConnection(settingsFor(authSink.port, { auth: { user: 'desk', pass: WRONG }, allowInsecureAuth: true }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/^Authentication failed: the mail server 127\.0\.0\.1:\d+ refused the login for "desk"/);
    expect(result.reason).toContain('check the user name and password');
    expect(result).toMatchObject({ reasonCode: expect.stringMatching(/^smtp\.auth/), reasonParams: { user: 'desk' } });
    for (const form of [WRONG, Buffer.from(WRONG).toString('base64'), Buffer.from(`\0desk\0${WRONG}`).toString('base64')]) {
      expect(JSON.stringify(result)).not.toContain(form);
    }
  });

  it('also reports the failed login as a send outcome without the password', async () => {
    const settings = settingsFor(authSink.port, { auth: { user: 'desk', pass: WRONG }, allowInsecureAuth: true });
    const outcome = await send(settings, message(10));
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.reason).toContain('Authentication failed');
    expect(JSON.stringify(outcome)).not.toContain(WRONG);
    expect(outcome.permanent).toBe(false);
    expect(authSink.received).toHaveLength(0);
  });

  it('names a TLS mismatch: implicit TLS against a plain-text port', async () => {
    const result = await testSmtpConnection(settingsFor(openSink.port, { secure: true }));
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.reasonCode).toBe('smtp.tls');
    expect(result.reason).toContain(`Secure connection (TLS) to 127.0.0.1:${openSink.port} failed`);
    expect(result.reason).toContain('check the security setting');
  });

  it('names a TLS mismatch: STARTTLS required but not offered', async () => {
    const result = await testSmtpConnection(settingsFor(openSink.port, { requireStartTls: true }));
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.reason).toContain('the server does not offer STARTTLS on this port');
  });

  it('names an unreachable server and an unknown host', async () => {
    const port = await closedPort();
    expect(await testSmtpConnection(settingsFor(port))).toEqual({
      ok: false,
      reason: `Could not connect to 127.0.0.1:${port} — check the server name and port`,
      reasonCode: 'smtp.connect',
      reasonParams: { server: `127.0.0.1:${port}` },
    });
    const unknown = await testSmtpConnection(settingsFor(25, { host: 'no-such-host.invalid' }));
    expect(unknown).toEqual({
      ok: false,
      reason: 'The mail server name "no-such-host.invalid" could not be found — check the server name and the internet connection',
      reasonCode: 'smtp.dns',
      reasonParams: { host: 'no-such-host.invalid' },
    });
  });
});
