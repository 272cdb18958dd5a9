/**
 * The SMTP panel against the real web host: a user name without a usable password asks for it, the consent to send
 * the password without TLS shows a warning and is cleared when the server changes, and changing the server forgets
 * the saved password (the panel says so before saving).
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';
import { SmtpPage } from './support/pages/smtp.page.ts';

const sessions = useDemoSessions({});

describe('email (SMTP) settings', () => {
  it('asks for the password, warns about a login without TLS, and forgets the password with the server', async () => {
    const { page } = await sessions.open();
    const smtp = new SmtpPage(page);
    await smtp.open();

    await smtp.host.fill('relay.salon.lan');
    await smtp.port.fill('25');
    await smtp.username.fill('desk');
    // A login over STARTTLS/plain: the consent checkbox is offered, unticked.
    expect(await smtp.allowInsecure.isChecked()).toBe(false);
    await smtp.allowInsecure.check();
    await expect.poll(() => smtp.insecureWarning.textContent()).toBe('The password travels unencrypted to relay.salon.lan:25: anyone on the network in between can read it.');
    await smtp.saveAndWait();
    // Saved without a password: it must be entered.
    await expect.poll(() => smtp.passwordNeeded.textContent()).toContain('Enter the password again to send email.');

    await smtp.password.fill('hunter2');
    await smtp.saveAndWait();
    await expect.poll(() => smtp.password.getAttribute('placeholder')).toBe('A password is set — type to replace it');
    expect(await smtp.passwordNeeded.count()).toBe(0);
    await page.reload();
    await smtp.open();
    expect(await smtp.allowInsecure.isChecked()).toBe(true);

    // Another server: the consent is cleared at once, and the panel says the password will be forgotten.
    await smtp.host.fill('mail.example.com');
    expect(await smtp.allowInsecure.isChecked()).toBe(false);
    expect(await smtp.insecureWarning.count()).toBe(0);
    await expect.poll(() => smtp.forgetHint.textContent()).toContain('forgets the saved password');
    await smtp.saveAndWait();
    await expect.poll(() => smtp.passwordNeeded.count()).toBe(1);
    await expect.poll(() => smtp.password.getAttribute('placeholder')).toBe('');
  });
});
