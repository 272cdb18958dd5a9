/**
 * Settings → Email (SMTP) against the real web host: the mail server is one more provider, its form the generated
 * provider card. A user name without a usable password asks for it; the consent to send the password without TLS is
 * turned off when the server changes, and changing the server forgets the saved password (the card says so before
 * saving); unsaved edits ask before the tab is left; and "Test connection" and "Send a test message" reach a loopback
 * SMTP server through the providers' commands.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../electron/host/channels/support/smtp-sink.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { EmailPage } from './support/pages/email.page.ts';

const sessions = useDemoSessions({});
let sink: SmtpSink;
beforeEach(async () => {
  sink = await startSmtpSink({ credentials: { user: 'desk', pass: 'hunter2' } });
});
afterEach(async () => {
  await sink.close();
});

describe('email (SMTP) settings', () => {
  it('asks for the password, forgets it with the server, and guards unsaved edits', async () => {
    const { page } = await sessions.open();
    const email = new EmailPage(page);
    await email.open();
    const { card } = email;
    expect(await card.part('state').textContent()).toBe('Not set up');

    await card.part('host').fill('relay.salon.lan');
    await card.part('port').fill('25');
    await card.part('username').fill('desk');
    await card.part('fromAddress').fill('desk@lumiere.example');
    expect(await card.part('allowInsecureAuth').isChecked()).toBe(false);
    await card.part('allowInsecureAuth').check();

    // Leaving with unsaved edits asks first; staying keeps them.
    await page.getByTestId('settings-tab-location').click();
    await page.getByTestId('unsaved-prompt').getByTestId('unsaved-keep').click();
    await page.getByTestId('unsaved-keep').waitFor({ state: 'detached' });
    expect(await card.part('host').inputValue()).toBe('relay.salon.lan');

    await email.saveAndWait();
    // Saved without a password: the card says it must be entered.
    await expect.poll(() => card.part('problem').textContent()).toContain('the SMTP password must be entered again');
    expect(await card.part('state').textContent()).toBe('Cannot send');

    await card.part('password').fill('hunter2');
    await email.saveAndWait();
    await expect.poll(() => card.part('password').getAttribute('placeholder')).toBe('Saved — type to replace it');
    await expect.poll(() => card.part('state').textContent()).toBe('Ready');
    expect(await card.part('problem').count()).toBe(0);
    await page.reload();
    await email.open();
    expect(await card.part('allowInsecureAuth').isChecked()).toBe(true);

    // Another server: the consent is turned off at once, and the card says the password will be forgotten.
    await card.part('host').fill('mail.example.com');
    expect(await card.part('allowInsecureAuth').isChecked()).toBe(false);
    await expect.poll(() => card.part('forget-hint').textContent()).toContain('forgets the saved password');
    expect(await card.part('password').getAttribute('placeholder')).toBe('');
    await email.saveAndWait();
    await expect.poll(() => card.part('problem').count()).toBe(1);
    await expect.poll(() => card.part('password').getAttribute('placeholder')).toBe('');
  });

  it('tests the connection and sends a test message to a loopback mail server', async () => {
    const { page } = await sessions.open();
    const email = new EmailPage(page);
    await email.open();
    const { card } = email;
    await card.part('host').fill('127.0.0.1');
    await card.part('port').fill(String(sink.port));
    await card.part('username').fill('desk');
    // The sink offers no STARTTLS: without the consent the password is never sent, and the card says why.
    await card.part('password').fill('hunter2');
    await card.part('fromAddress').fill('desk@lumiere.example');
    await email.saveAndWait();
    await card.part('test').click();
    await expect.poll(() => card.part('result').textContent()).toContain('so the password was not sent');
    expect(sink.authAttempts).toEqual([]);

    await card.part('allowInsecureAuth').check();
    await email.saveAndWait();
    await card.part('test').click();
    await expect.poll(() => card.part('result').textContent()).toContain('The connection works.');
    await card.part('test-to').fill('owner@lumiere.example');
    await card.part('send-test').click();
    await expect.poll(() => card.part('result').textContent()).toContain('Delivered.');
    expect(sink.received.map((m) => m.subject)).toEqual(['FrontDesk test']);
    expect(await page.content()).not.toContain('hunter2');
  });
});
