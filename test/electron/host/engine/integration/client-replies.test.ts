/**
 * Replies end to end (providers issue, item 7) on a real host against loopback providers: a client's Telegram chat
 * linked through the deep-link start code read by getUpdates polling; "Да" confirms the visit; any other text is a
 * notification-center row from that client opening the visit card; strangers and unknown codes change nothing. And an
 * SMS reply read from Twilio's inbound list through the poller, the sender's number read as the desk reads numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundPoller } from '../../../../../electron/host/channels/inbound-poller.ts';
import type { LoadedProvider } from '../../../../../electron/host/channels/provider-hub.ts';
import { createTwilioClient } from '../../../../../electron/host/channels/providers/twilio.ts';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import { systemClock, systemTimers } from '../../../../../electron/host/system-clock.ts';
import type { TeamEvent } from '../../../../../shared/domain/team-event.ts';
import type { Channel, RequestOf, ResponseOf } from '../../../../../shared/ipc/contract.ts';
import type { ApiResult } from '../../../../../shared/ipc/result.ts';
import { startFakeTelegram, type FakeTelegram } from '../../channels/support/fake-telegram.ts';
import { startFakeTwilio, type FakeTwilio } from '../../channels/support/fake-twilio.ts';
import { startMemoryHost, type MemoryHost } from '../../support/memory-host.ts';
import { DAY, LOCATION_ID, appointment, salonClient, seedSalon, waitUntil } from './support/salon.ts';

let telegram: FakeTelegram;
let running: MemoryHost;
let host: FrontDeskHost;

async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
  return (await host.api.call(channel, request as never)) as ApiResult<ResponseOf<C>>;
}

async function replies(): Promise<TeamEvent[]> {
  return (await host.runtime.db.team_events.find({ selector: { type: 'clientReply' } }).exec()).map((d) => d.toMutableJSON());
}

beforeAll(async () => {
  telegram = await startFakeTelegram();
  running = await startMemoryHost('client-replies');
  host = running.host;
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c-tg', now, { phone: '+4917611112222' }), salonClient('c-sms', now, { phone: '+4917633334444', firstName: 'Olga' })] });
  await host.runtime.db.appointments.bulkInsert([appointment('a-tg', 'c-tg', now + 2 * DAY, now), appointment('a-sms', 'c-sms', now + DAY, now)]);
});
afterAll(async () => {
  await running?.stop();
  await telegram?.close();
});

describe('client replies', () => {
  it('links a Telegram chat by the deep-link code, confirms the visit on "Да", and shows any other text in the center', async () => {
    const saved = await call('providers.save', { locationId: LOCATION_ID, channel: 'sms', kind: 'telegram', enabled: true, settings: { baseUrl: telegram.url }, secrets: { botToken: telegram.token } });
    expect(saved.ok).toBe(true);
    // Before the connection test the bot's name is unknown: a code, but no link yet, and why.
    const early = await call('providers.telegramLink', { clientId: 'c-tg' });
    expect(early).toMatchObject({ ok: true, value: { linked: false, reasonCode: 'telegram.botUnknown' } });
    expect(await call('providers.test', { locationId: LOCATION_ID, channel: 'sms', kind: 'telegram' })).toMatchObject({ ok: true, value: { ok: true } });
    const answer = await call('providers.telegramLink', { clientId: 'c-tg' });
    if (!answer.ok) throw new Error('no link');
    const { code, url } = answer.value;
    expect(url).toBe(`https://t.me/lumiere_desk_bot?start=${code}`);
    expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);

    // A stranger's chat and a wrong code link nothing.
    telegram.userSends('900001', '/start WRONGCODE1234');
    telegram.userSends('900002', 'hello?');
    telegram.userSends('777001', `/start ${code}`);
    const linked = await waitUntil(async () => {
      const client = await host.runtime.db.clients.findOne('c-tg').exec();
      return client?.telegram?.chatId ? client.toMutableJSON() : undefined;
    }, 10_000, () => 'the chat was not linked');
    expect(linked.telegram).toEqual({ chatId: '777001', linkedAt: expect.any(String) });

    telegram.userSends('777001', 'Да');
    const confirmed = await waitUntil(async () => ((await host.runtime.db.appointments.findOne('a-tg').exec())?.status === 'confirmed' ? true : undefined), 10_000, () => 'not confirmed');
    expect(confirmed).toBe(true);
    const visit = (await host.runtime.db.appointments.findOne('a-tg').exec())!.toMutableJSON();
    expect(visit.history.at(-1)).toMatchObject({ kind: 'statusChanged', from: 'booked', to: 'confirmed', by: 'client' });

    telegram.userSends('777001', 'Can I come 30 minutes later?');
    const rows = await waitUntil(async () => ((await replies()).length === 2 ? replies() : undefined), 10_000, async () => JSON.stringify(await replies()));
    const byText = new Map(rows.map((r) => [r.facts?.replyText, r]));
    expect(byText.get('Да')).toMatchObject({ appointmentId: 'a-tg', clientId: 'c-tg', staffIds: ['st-sophie'], facts: { confirmed: true, replyVia: 'telegram' }, read: false });
    expect(byText.get('Can I come 30 minutes later?')).toMatchObject({ appointmentId: 'a-tg', clientId: 'c-tg', title: 'Message from Anna Client c-tg', body: 'Can I come 30 minutes later?' });
    expect(byText.get('Can I come 30 minutes later?')?.facts?.confirmed).toBeUndefined();
    // Nothing from the strangers, and the API lists the rows like any other.
    expect(rows).toHaveLength(2);
    const listed = await call('teamEvents.list', { locationId: LOCATION_ID, unreadOnly: true, limit: 50 });
    expect(listed.ok && (listed.value.events as unknown as TeamEvent[]).filter((e) => e.type === 'clientReply')).toHaveLength(2);
  });

  it('reads an SMS reply from Twilio’s inbound list once, matching the sender however the provider wrote the number', async () => {
    const twilio: FakeTwilio = await startFakeTwilio();
    const client = createTwilioClient({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15005550006', baseUrl: twilio.url, readReplies: true }, { clock: systemClock, timers: systemTimers });
    const provider = { doc: { id: `${LOCATION_ID}:sms:twilio`, locationId: LOCATION_ID, channel: 'sms', kind: 'twilio', enabled: true, settings: {}, secretsSet: [], updatedAt: new Date().toISOString() }, client } as LoadedProvider;
    const received: string[] = [];
    const poller = new InboundPoller({
      hub: { all: () => [provider], onChange: () => () => undefined },
      receive: async (locationId, message) => received.push((await host.runtime.engine.receiveReply(locationId, message)).kind),
      mayPoll: () => true, clock: systemClock, timers: systemTimers, log: () => undefined, listIntervalMs: 50,
    });
    try {
      twilio.receive('4917633334444', '1');
      poller.start();
      await waitUntil(async () => (received.length > 0 ? true : undefined), 10_000, () => 'no reply read');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual(['confirmed']);
      expect((await host.runtime.db.appointments.findOne('a-sms').exec())?.status).toBe('confirmed');
      expect(poller.running()).toEqual([`${LOCATION_ID}:sms:twilio`]);
    } finally {
      await poller.stop();
      await twilio.close();
    }
    expect(poller.running()).toEqual([]);
  });
});
