/**
 * The Telegram client against a loopback Bot API: sendMessage's exact request, getMe as the connection test, auth
 * failure, 429 with retry_after, a blocked bot and an unknown chat (both hand over to the next route), and getUpdates
 * with the offset that confirms what was read (deep-link "/start <code>" and replies).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramClient, telegramLink } from '../../../../../electron/host/channels/providers/telegram.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.ts';
import { systemTime } from '../support/system-time.ts';
import { startBadDayServer } from '../support/bad-day-server.ts';

let bot: FakeTelegram;
beforeAll(async () => {
  bot = await startFakeTelegram();
});
afterAll(async () => {
  await bot.close();
});

const client = (token = bot.token) => createTelegramClient({ botToken: token, baseUrl: bot.url, pollTimeoutSeconds: 1 }, systemTime);
const message = (chat?: string): OutgoingMessage => ({ jobId: 'j', idempotencyKey: 'k', channel: 'sms', locationId: 'loc1', recipient: { phone: '+4917612345678', ...(chat ? { telegramChatId: chat } : {}) }, body: 'See you tomorrow at 15:00' });

describe('Telegram Bot API client', () => {
  it('sends to a linked chat with sendMessage', async () => {
    bot.chats.add('777001');
    const tg = client();
    expect(tg.routes(message('777001'))).toEqual(['telegram']);
    expect(tg.routes(message())).toEqual([]);
    const sent = await tg.send(message('777001'), 'telegram');
    expect(sent).toMatchObject({ status: 'delivered', route: 'telegram', providerMessageId: expect.any(String) });
    const request = bot.server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/bot${bot.token}/sendMessage`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ chat_id: '777001', text: 'See you tomorrow at 15:00' });
    expect(bot.sent.at(-1)).toMatchObject({ chatId: '777001', text: 'See you tomorrow at 15:00' });
  });

  it('getMe is the connection test; a wrong token fails it and every send, naming the token', async () => {
    expect(await client().test()).toMatchObject({ ok: true, facts: { botUsername: 'lumiere_desk_bot' } });
    expect(telegramLink('lumiere_desk_bot', 'Ab3_x-9')).toBe('https://t.me/lumiere_desk_bot?start=Ab3_x-9');
    const wrong = client('999:wrong-token-abc');
    expect(await wrong.test()).toMatchObject({ ok: false, reasonCode: 'provider.auth', reasonParams: { field: 'the bot token' } });
    const sent = await wrong.send(message('777001'), 'telegram');
    expect(sent).toMatchObject({ status: 'failed', permanent: true, reasonCode: 'provider.auth' });
    expect(JSON.stringify(sent)).not.toContain('wrong-token-abc');
  });

  it('429 with retry_after is temporary; a blocked bot and an unknown chat pass the message on', async () => {
    bot.rejectNext.push({ status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } } });
    const tg = client();
    expect(await tg.send(message('777001'), 'telegram')).toMatchObject({ status: 'failed', permanent: false, retryAfterMs: 5_000, providerStatus: '429' });
    bot.chats.add('777002');
    bot.blocked.add('777002');
    expect(await client().send(message('777002'), 'telegram')).toMatchObject({ status: 'failed', permanent: true, nextRoute: true, reasonCode: 'telegram.blocked' });
    expect(await client().send(message('123'), 'telegram')).toMatchObject({ status: 'failed', permanent: true, nextRoute: true, reasonCode: 'telegram.blocked' });
  });

  it('a retry_after that is not a number is ignored, and none is longer than a day', async () => {
    bot.chats.add('777001');
    bot.rejectNext.push({ status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 'soon' } } });
    const garbled = await client().send(message('777001'), 'telegram');
    expect(garbled).toMatchObject({ status: 'failed', permanent: false, providerStatus: '429' });
    expect(garbled).not.toHaveProperty('retryAfterMs');
    bot.rejectNext.push({ status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 1e12 } } });
    expect(await client().send(message('777001'), 'telegram')).toMatchObject({ retryAfterMs: 24 * 3600_000 });
  });

  it('reads updates with getUpdates and confirms them with the offset', async () => {
    const tg = client();
    bot.userSends('777003', '/start LinkCode_123');
    bot.userSends('777003', '1');
    const first = await tg.inbound!();
    expect(first.map((m) => [m.telegramChatId, m.text])).toEqual([['777003', '/start LinkCode_123'], ['777003', '1']]);
    const request = JSON.parse(bot.server.requests.at(-1)!.body) as { timeout: number; allowed_updates: string[]; offset?: number };
    expect(request).toMatchObject({ timeout: 1, allowed_updates: ['message'] });
    // The next call carries offset = last update_id + 1, so Telegram drops what was read.
    expect(await tg.inbound!()).toEqual([]);
    const again = JSON.parse(bot.server.requests.at(-1)!.body) as { offset?: number };
    expect(again.offset).toBe(Number(first[1]!.id.slice(3)) + 1);
  });
});

describe('Telegram on a bad day', () => {
  it('a 200 whose body breaks off is sent, not "blocked" (which would send the SMS as well)', async () => {
    const server = await startBadDayServer({ kind: 'resetMidBody', status: 200, start: '{"ok":true,"result":{"message_id":' });
    try {
      const sent = await createTelegramClient({ botToken: bot.token, baseUrl: server.url }, systemTime).send(message('777001'), 'telegram');
      expect(sent).toMatchObject({ status: 'delivered', route: 'telegram', reasonCode: 'provider.answerLost' });
      // Test connection says the answer could not be read, not that Telegram "refused the message".
      expect(await createTelegramClient({ botToken: bot.token, baseUrl: server.url }, systemTime).test()).toMatchObject({ ok: false, reasonCode: 'provider.badAnswer' });
    } finally {
      await server.close();
    }
  });
});
