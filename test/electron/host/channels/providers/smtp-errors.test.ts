/**
 * How nodemailer's timeouts read: the time the desk is told it waited is the time it did wait. A server that greets
 * and then goes silent is waited for as long as the socket timeout (30 s at least), not the 2 s connect timeout.
 */
import { describe, expect, it } from 'vitest';
import { describeSmtpError } from '../../../../../electron/host/channels/providers/smtp-errors.ts';
import type { SmtpSettings } from '../../../../../electron/host/channels/providers/smtp-settings.ts';

const settings: SmtpSettings = { host: 'mail.example', port: 587, secure: false, from: { name: 'Salon', address: 'desk@salon.example' }, connectionTimeoutMs: 2_000 };
const timeout = (timeoutType: string) => Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', timeoutType, command: 'CONN' });

describe('describeSmtpError on a timeout', () => {
  it('a silent server after the greeting names the socket timeout it was waited for', () => {
    expect(describeSmtpError(timeout('SOCKET_TIMEOUT'), settings)).toMatchObject({ code: 'smtp.timeout', params: { server: 'mail.example:587', seconds: 30 }, permanent: false });
  });

  it('no greeting and no connection name the connect timeout', () => {
    expect(describeSmtpError(timeout('GREETING_TIMEOUT'), settings)).toMatchObject({ code: 'smtp.noGreeting', params: { seconds: 2 } });
    expect(describeSmtpError(timeout('CONNECTION_TIMEOUT'), settings)).toMatchObject({ code: 'smtp.timeout', params: { seconds: 2 } });
  });
});
