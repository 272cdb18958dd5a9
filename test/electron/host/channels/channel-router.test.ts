/**
 * The channel router: routes of several providers in order (Telegram, then Twilio's WhatsApp and SMS), skipped routes
 * honoured, "another route left" said only when there is one, reports sent to the route's provider.
 */
import { describe, expect, it } from 'vitest';
import { createChannelRouter } from '../../../../electron/host/channels/channel-router.ts';
import type { ProviderClient } from '../../../../electron/host/channels/providers/provider-client.ts';
import type { OutgoingMessage, SendOutcome } from '../../../../shared/engine/provider.ts';

function fakeClient(label: string, all: string[], outcome: (route: string) => SendOutcome, when: (m: OutgoingMessage) => boolean = () => true): ProviderClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    label, idempotent: false, allRoutes: all, calls,
    routes: (m) => (when(m) ? all : []),
    send: async (_m, route) => {
      calls.push(route);
      return outcome(route);
    },
    report: async (q) => ({ status: 'delivered', route: q.route ?? '', providerStatus: `${label}:${q.providerMessageId}` }),
    test: async () => ({ ok: true, detail: 'ok' }),
  };
}

const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({ jobId: 'j', idempotencyKey: 'k', channel: 'sms', locationId: 'loc1', recipient: { phone: '+4917612345678' }, body: 'hi', ...over });

describe('channel router', () => {
  const telegram = fakeClient('Telegram', ['telegram'], (route) => ({ status: 'failed', route, permanent: true, reason: 'blocked', nextRoute: true }), (m) => !!m.recipient.telegramChatId);
  const twilio = fakeClient('Twilio', ['whatsapp', 'sms'], (route) => ({ status: 'accepted', route, providerMessageId: `id-${route}` }));
  const router = createChannelRouter({ channel: 'sms', setup: (id) => (id === 'loc1' ? { clients: [telegram, twilio] } : undefined), notConfigured: { reason: 'SMS is not set up' } });

  it('goes to the first route not yet used, and says whether another is left', async () => {
    expect(await router.send(message({ recipient: { phone: '+4917612345678', telegramChatId: '7' } }))).toMatchObject({ status: 'failed', route: 'telegram', nextRoute: true });
    expect(await router.send(message({ recipient: { phone: '+4917612345678', telegramChatId: '7' }, skipRoutes: ['telegram'] }))).toMatchObject({ status: 'accepted', route: 'whatsapp' });
    // Without a linked chat Telegram offers no route: WhatsApp is first.
    expect(await router.send(message())).toMatchObject({ status: 'accepted', route: 'whatsapp' });
    expect(await router.send(message({ skipRoutes: ['whatsapp'] }))).toMatchObject({ status: 'accepted', route: 'sms' });
    expect(twilio.calls).toEqual(['whatsapp', 'whatsapp', 'sms']);
  });

  it('reports go to the provider that owns the route; an unconfigured location is not ready', async () => {
    expect(await router.report!({ locationId: 'loc1', channel: 'sms', providerMessageId: 'x', route: 'whatsapp' })).toMatchObject({ status: 'delivered', providerStatus: 'Twilio:x' });
    expect(router.readiness('loc1')).toEqual({ ready: true });
    expect(router.readiness('other')).toEqual({ ready: false, reason: 'SMS is not set up' });
    expect(await router.send(message({ locationId: 'other' }))).toMatchObject({ status: 'notTried', reason: 'SMS is not set up' });
  });
});
