import { describe, expect, it } from 'vitest';
import type { ChannelProvider, OutgoingMessage } from '../../../../shared/engine/provider.ts';
import { CHANNELS } from '../../../../shared/notifications/catalog.ts';
import { createNotConfiguredProvider } from '../../../../electron/host/channels/not-configured-provider.ts';
import { createProviderRegistry } from '../../../../electron/host/channels/registry.ts';

const sms: OutgoingMessage = {
  jobId: 'job-1',
  idempotencyKey: 'reminder|appt-1|2h|cascade',
  channel: 'sms',
  locationId: 'loc-1',
  recipient: { phone: '+4915112345678' },
  body: 'See you at 14:30',
};

const fakeEmail: ChannelProvider = {
  channel: 'email',
  readiness: () => ({ ready: true }),
  send: () => Promise.resolve({ status: 'delivered' }),
};

describe('not-configured provider', () => {
  it('is never ready and never tries, with the channel-specific reason', async () => {
    const provider = createNotConfiguredProvider('sms');
    expect(provider.channel).toBe('sms');
    expect(provider.readiness('loc-1')).toEqual({ ready: false, reason: 'SMS provider not configured yet' });
    expect(await provider.send(sms)).toEqual({ status: 'notTried', reason: 'SMS provider not configured yet' });
  });

  it('takes a custom reason', async () => {
    const provider = createNotConfiguredProvider('brandedPush', 'The salon app is not published yet');
    expect(await provider.send({ ...sms, channel: 'brandedPush' })).toEqual({ status: 'notTried', reason: 'The salon app is not published yet' });
  });
});

describe('provider registry', () => {
  it('returns registered providers and not-configured stand-ins for every other channel', async () => {
    const registry = createProviderRegistry([fakeEmail]);
    expect(registry.get('email')).toBe(fakeEmail);
    expect(registry.has('email')).toBe(true);
    for (const channel of CHANNELS.filter((c) => c !== 'email')) {
      const provider = registry.get(channel);
      expect(provider.channel).toBe(channel);
      expect(registry.has(channel)).toBe(false);
      const readiness = provider.readiness('loc-1');
      expect(readiness.ready).toBe(false);
      expect((await provider.send({ ...sms, channel })).status).toBe('notTried');
    }
    expect(registry.get('sms').readiness('loc-1')).toEqual({ ready: false, reason: 'SMS provider not configured yet' });
    expect(registry.get('sms')).toBe(registry.get('sms'));
  });

  it('refuses two providers for one channel', () => {
    expect(() => createProviderRegistry([fakeEmail, { ...fakeEmail }])).toThrow('Two providers were registered for the email channel');
  });
});
