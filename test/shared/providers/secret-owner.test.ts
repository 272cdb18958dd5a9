import { describe, expect, it } from 'vitest';
import { changesSecretOwner } from '../../../shared/providers/catalog.ts';

const SID_A = `AC${'a'.repeat(32)}`;
const SID_B = `AC${'b'.repeat(32)}`;

describe('which settings own a provider\'s secrets', () => {
  it('the server address: another origin forgets, another path or letter case does not', () => {
    expect(changesSecretOwner('telegram', { baseUrl: 'https://api.telegram.org' }, { baseUrl: 'https://evil.example' })).toBe(true);
    expect(changesSecretOwner('telegram', {}, { baseUrl: 'https://API.Telegram.org/' })).toBe(false);
    expect(changesSecretOwner('telegram', {}, { baseUrl: 'http://api.telegram.org' })).toBe(true);
    expect(changesSecretOwner('telegram', {}, { baseUrl: 'https://api.telegram.org:443/bot' })).toBe(false);
    expect(changesSecretOwner('telegram', {}, { baseUrl: 'https://api.telegram.org@evil.example' })).toBe(true);
    expect(changesSecretOwner('ntfy', { serverUrl: 'https://ntfy.sh' }, { serverUrl: 'https://ntfy.sh:8443' })).toBe(true);
    expect(changesSecretOwner('fcm', {}, { baseUrl: 'https://fcm.example' })).toBe(true);
    expect(changesSecretOwner('twilio', { accountSid: SID_A }, { accountSid: SID_A, baseUrl: 'https://twilio.test' })).toBe(true);
  });

  it('the account: a Twilio auth token belongs to its account SID', () => {
    expect(changesSecretOwner('twilio', { accountSid: SID_A }, { accountSid: SID_B })).toBe(true);
    expect(changesSecretOwner('twilio', { accountSid: SID_A }, { accountSid: SID_A, from: '+4915112345678' })).toBe(false);
  });

  it('a gateway: every address the key goes to, templates included', () => {
    const base = { url: 'https://sms.example/send?to={{to}}', statusUrl: 'https://sms.example/status/{{id}}' };
    expect(changesSecretOwner('httpSms', base, { ...base, url: 'https://sms.example/v2/send' })).toBe(false);
    expect(changesSecretOwner('httpSms', base, { ...base, statusUrl: 'https://collector.example/{{id}}' })).toBe(true);
    expect(changesSecretOwner('httpSms', base, { ...base, inboundUrl: 'https://sms.example/inbox' })).toBe(true);
    expect(changesSecretOwner('httpSms', base, { ...base, testUrl: 'https://{{host}}/ping' })).toBe(true);
  });

  it('what does not carry the secret anywhere changes nothing', () => {
    expect(changesSecretOwner('ntfy', { serverUrl: 'https://ntfy.sh' }, { serverUrl: 'https://ntfy.sh', defaultTopic: 'staff', clickUrl: 'https://x.example' })).toBe(false);
    expect(changesSecretOwner('smtp', { host: 'Mail.Example', port: 587 }, { host: 'mail.example', port: 587, fromName: 'Salon' })).toBe(false);
  });
});
