/**
 * A loopback Telegram Bot API: /bot<token>/<method> with JSON bodies, answers `{"ok":true,"result":…}` or
 * `{"ok":false,"error_code","description","parameters":{"retry_after"}}` as documented. Methods: getMe, sendMessage
 * (400 "chat not found" for unknown chats, 403 "bot was blocked by the user"), getUpdates (offset confirms earlier
 * updates; long polling waits up to `timeout` seconds, capped short for tests). `userSends` queues a message update.
 */
import { startLoopback, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-http.ts';

export interface FakeTelegram {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly token: string;
  readonly sent: { chatId: string; text: string; messageId: number }[];
  chats: Set<string>;
  blocked: Set<string>;
  rejectNext: Reply[];
  userSends(chatId: string, text: string): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(options: { token?: string; username?: string } = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:AAFakeBotTokenForLoopbackTests_xyz';
  const username = options.username ?? 'lumiere_desk_bot';
  const updates: { update_id: number; message: unknown }[] = [];
  let updateId = 500_000;
  let messageId = 0;
  const waiters: (() => void)[] = [];
  const fake = {
    token,
    sent: [] as FakeTelegram['sent'],
    chats: new Set<string>(),
    blocked: new Set<string>(),
    rejectNext: [] as Reply[],
    userSends(chatId: string, text: string) {
      fake.chats.add(chatId);
      updates.push({ update_id: ++updateId, message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private', first_name: 'Anna' }, from: { id: Number(chatId), is_bot: false, first_name: 'Anna' }, text } });
      for (const wake of waiters.splice(0)) wake();
    },
  };
  const fail = (code: number, description: string, parameters?: unknown): Reply => ({ status: code, json: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } });

  async function handle(request: RecordedRequest): Promise<Reply> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (!match) return fail(404, 'Not Found');
    if (match[1] !== token) return fail(401, 'Unauthorized');
    const method = match[2];
    const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    if (method === 'getMe') return { status: 200, json: { ok: true, result: { id: 123456789, is_bot: true, first_name: 'Lumière Desk', username } } };
    if (method === 'sendMessage') {
      const rejected = fake.rejectNext.shift();
      if (rejected) return rejected;
      const chatId = String(body.chat_id ?? '');
      if (typeof body.text !== 'string' || body.text === '') return fail(400, 'Bad Request: message text is empty');
      if (fake.blocked.has(chatId)) return fail(403, 'Forbidden: bot was blocked by the user');
      if (!fake.chats.has(chatId)) return fail(400, 'Bad Request: chat not found');
      const id = ++messageId;
      fake.sent.push({ chatId, text: body.text, messageId: id });
      return { status: 200, json: { ok: true, result: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, text: body.text } } };
    }
    if (method === 'getUpdates') {
      const offset = typeof body.offset === 'number' ? body.offset : undefined;
      // An offset confirms every earlier update: Telegram forgets them.
      if (offset !== undefined) while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
      const timeout = typeof body.timeout === 'number' ? body.timeout : 0;
      if (updates.length === 0 && timeout > 0) await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.min(timeout * 1000, 300));
      });
      return { status: 200, json: { ok: true, result: updates.slice(0, typeof body.limit === 'number' ? body.limit : 100) } };
    }
    return fail(404, 'Not Found: method not found');
  }

  const server = await startLoopback(handle);
  return Object.assign(fake, { server, url: server.url, close: () => server.close() });
}
