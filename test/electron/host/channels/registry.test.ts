import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../../shared/engine/provider.ts';
import { NOT_CONFIGURED_REASONS, createNotConfiguredProvider } from '../../../../electron/host/channels/not-configured-provider.ts';
import { PROVIDER_DEFINITIONS, buildProvider } from '../../../../electron/host/channels/registry.ts';
import { PROVIDER_KINDS, PROVIDER_SPECS, kindsForChannel, validateProviderSettings, withDefaults } from '../../../../shared/providers/catalog.ts';
import { systemTime } from './support/system-time.ts';

const sms: OutgoingMessage = {
  jobId: 'job-1',
  idempotencyKey: 'reminder|appt-1|2h|cascade',
  channel: 'sms',
  locationId: 'loc-1',
  recipient: { phone: '+4915112345678' },
  body: 'See you at 14:30',
};

describe('not-configured provider', () => {
  it('is never ready and never tries, with the channel-specific reason', async () => {
    const provider = createNotConfiguredProvider('sms');
    expect(provider.channel).toBe('sms');
    expect(provider.readiness('loc-1')).toEqual({ ready: false, reason: NOT_CONFIGURED_REASONS.sms });
    expect(await provider.send(sms)).toEqual({ status: 'notTried', reason: NOT_CONFIGURED_REASONS.sms });
  });

  it('takes a custom reason', async () => {
    const provider = createNotConfiguredProvider('brandedPush', 'The salon app is not published yet');
    expect(await provider.send({ ...sms, channel: 'brandedPush' })).toEqual({ status: 'notTried', reason: 'The salon app is not published yet' });
  });
});

describe('provider registry', () => {
  const context = { channel: 'sms' as const, location: undefined, deps: systemTime };

  it('has a definition for every kind of the catalog, and the channels list their kinds in route order', () => {
    expect(Object.keys(PROVIDER_DEFINITIONS).sort()).toEqual([...PROVIDER_KINDS].sort());
    for (const kind of PROVIDER_KINDS) expect(PROVIDER_DEFINITIONS[kind].spec).toBe(PROVIDER_SPECS[kind]);
    expect(kindsForChannel('sms')).toEqual(['telegram', 'twilio', 'httpSms']);
    expect(kindsForChannel('adminPush')).toEqual(['fcm', 'ntfy']);
  });

  it('builds a client from settings and secrets, or says which secret is missing', () => {
    const twilio = { accountSid: 'AC0123456789abcdef0123456789abcdef', from: '+15005550006' };
    expect(validateProviderSettings('twilio', twilio)).toEqual([]);
    expect(buildProvider('twilio', twilio, {}, context)).toMatchObject({ ok: false, problem: { reasonCode: 'provider.secretMissing', reasonParams: { provider: 'Twilio', field: 'the Auth Token' } } });
    const built = buildProvider('twilio', twilio, { authToken: 't0ken-xyz' }, context);
    expect(built.ok && built.client.allRoutes).toEqual(['sms']);
    expect(buildProvider('fcm', {}, { serviceAccountJson: '{"type":"service_account"}' }, { ...context, channel: 'brandedPush' })).toMatchObject({ ok: false, problem: { reasonCode: 'provider.keyInvalid' } });
    expect(buildProvider('ntfy', {}, {}, { ...context, channel: 'adminPush' }).ok).toBe(true);
  });

  it('validates settings field by field, with codes and the field each belongs to', () => {
    expect(validateProviderSettings('twilio', { accountSid: 'nope', from: '017612345', baseUrl: 'ftp://x' }).map((i) => [i.code, i.field])).toEqual([
      ['provider.field.pattern', 'settings.accountSid'],
      ['provider.field.phone', 'settings.from'],
      ['provider.field.url', 'settings.baseUrl'],
    ]);
    expect(validateProviderSettings('twilio', { accountSid: 'AC0123456789abcdef0123456789abcdef' }).map((i) => i.code)).toEqual(['provider.twilio.sender']);
    expect(validateProviderSettings('httpSms', { url: 'https://gw.example/send?to={{to}}', ratePerSecond: 0 }).map((i) => i.code)).toEqual(['provider.field.number']);
    expect(validateProviderSettings('ntfy', { wat: 1 }).map((i) => i.code)).toEqual(['provider.field.unknown']);
    expect(validateProviderSettings('httpSms', { url: 'https://desk:s3cret@gw.example/send?to={{to}}' }).map((i) => [i.code, i.field])).toEqual([['provider.field.credentialsInUrl', 'settings.url']]);
    expect(validateProviderSettings('ntfy', { serverUrl: 'https://anna@ntfy.example' }).map((i) => i.code)).toEqual(['provider.field.credentialsInUrl']);
    // An @ after the host (an email in the query) is no login.
    expect(validateProviderSettings('httpSms', { url: 'https://gw.example/send?to={{to}}&notify=desk@salon.example' })).toEqual([]);
    expect(withDefaults('ntfy', {})).toEqual({ serverUrl: 'https://ntfy.sh', priority: '4', ratePerSecond: 10 });
  });
});
