/**
 * Telegram through the Bot API (https://api.telegram.org/bot<token>/<method>, JSON bodies, answers
 * `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters":{"retry_after"}}`).
 *
 * On the `sms` channel Telegram is a messenger route before SMS: a client whose chat is linked gets the message in
 * Telegram; a client without one, or who blocked the bot, falls through to SMS. Chats are linked by the bot's deep
 * link `t.me/<bot>?start=<code>`: opening it sends "/start <code>", which `inbound` reads through getUpdates long
 * polling — it works behind NAT, no webhook. Telegram reports no delivery, so an accepted message is delivered.
 */
import type { OutgoingMessage, SendOutcome } from '../../../../shared/engine/provider.ts';
import { hostOf, httpRequest, redact, type HttpAnswer } from './http.ts';
import { answerLost, coded, noAnswer, limiterFor, rateLimited, type InboundMessage, type ProviderClient, type ProviderDeps, type TestResult } from './provider-client.ts';

export interface TelegramConfig {
  botToken: string;
  /** https://api.telegram.org unless a test server stands in. */
  baseUrl: string;
  /** getUpdates long-poll wait in seconds (Telegram allows up to 50; 0 = short poll). */
  pollTimeoutSeconds?: number;
  ratePerSecond?: number;
}

const LABEL = 'Telegram';
/** A day, as for Retry-After headers (http.ts): a longer wait is a garbled answer, and would stop the bot for it. */
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

interface BotAnswer {
  ok?: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

interface Update {
  update_id?: number;
  message?: { message_id?: number; date?: number; text?: string; chat?: { id?: number | string; type?: string } };
}

/** The deep link that links a client's chat: `https://t.me/<bot>?start=<code>`. */
export function telegramLink(botUsername: string, code: string): string {
  return `https://t.me/${encodeURIComponent(botUsername)}?start=${encodeURIComponent(code)}`;
}

export interface TelegramClient extends ProviderClient {
  /** The bot's @username, once the connection test (getMe) has told it. */
  botUsername(): string | undefined;
}

export function createTelegramClient(config: TelegramConfig, deps: ProviderDeps): TelegramClient {
  const limiter = limiterFor(config.ratePerSecond ?? 25, deps);
  const api = (method: string) => `${config.baseUrl.replace(/\/+$/, '')}/bot${config.botToken}/${method}`;
  const words = (text: string) => redact(text, [config.botToken]);
  let offset: number | undefined;
  let username: string | undefined;

  const call = (method: string, body: unknown, signal?: AbortSignal, timeoutMs?: number) =>
    httpRequest({ method: 'POST', url: api(method), headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(timeoutMs ? { timeoutMs } : {}) }, signal);

  function failure(answer: HttpAnswer): SendOutcome {
    const body = (answer.json ?? {}) as BotAnswer;
    const code = body.error_code ?? answer.status;
    const detail = words(body.description ?? `HTTP ${answer.status}`);
    const route = 'telegram';
    if (code === 401 || code === 404) return { status: 'failed', permanent: true, route, providerStatus: String(code), ...coded('provider.auth', { provider: LABEL, field: 'the bot token' }) };
    if (code === 429) {
      const seconds = body.parameters?.retry_after;
      const wait = typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000 : undefined;
      return { status: 'failed', permanent: false, route, providerStatus: '429', ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...coded('provider.rateLimited', { provider: LABEL }) };
    }
    if (code >= 500) return { status: 'failed', permanent: false, route, providerStatus: String(code), ...coded('provider.unavailable', { provider: LABEL, detail }) };
    // 403 "bot was blocked by the user", 400 "chat not found": this chat cannot be used; the next route takes over.
    if (code === 403 || /chat not found|user is deactivated/i.test(detail)) return { status: 'failed', permanent: true, route, providerStatus: String(code), nextRoute: true, ...coded('telegram.blocked') };
    return { status: 'failed', permanent: true, route, providerStatus: String(code), nextRoute: true, ...coded('provider.rejected', { provider: LABEL, detail }) };
  }

  async function send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const chat = message.recipient.telegramChatId;
    if (!chat) return { status: 'notTried', route, ...coded('telegram.notLinked') };
    const text = message.subject ? `${message.subject}\n\n${message.body}` : message.body;
    return rateLimited(limiter, LABEL, deps.clock, async () => {
      const result = await call('sendMessage', { chat_id: chat, text: text.slice(0, 4096) }, signal);
      if (!result.ok) return noAnswer(LABEL, { ...result, reason: words(result.reason) }, route, false);
      const body = result.answer.json as BotAnswer | undefined;
      // Telegram always answers 200 with JSON: a 200 without it was taken, and its answer lost on the way.
      if (result.answer.status === 200 && body === undefined) return answerLost(LABEL, result.answer, route, 'delivered');
      if (result.answer.status !== 200 || !body?.ok) return failure(result.answer);
      const id = (body.result as { message_id?: number } | undefined)?.message_id;
      return { status: 'delivered', route, providerStatus: 'sent', ...(id !== undefined ? { providerMessageId: String(id) } : {}), detail: 'Sent to the Telegram chat (Telegram gives no delivery report)' };
    });
  }

  async function test(signal?: AbortSignal): Promise<TestResult> {
    const result = await call('getMe', {}, signal);
    if (!result.ok) return { ok: false, ...coded('provider.error', { detail: words(result.reason) }) };
    const body = result.answer.json as BotAnswer | undefined;
    if (body === undefined) return { ok: false, ...coded('provider.badAnswer', { provider: LABEL, detail: words(result.answer.broken ?? `HTTP ${result.answer.status} without JSON`) }) };
    if (!body.ok) {
      const failed = failure(result.answer);
      return { ok: false, reason: 'reason' in failed ? failed.reason : 'refused', reasonCode: ('reasonCode' in failed && failed.reasonCode) || 'provider.rejected', ...('reasonParams' in failed && failed.reasonParams ? { reasonParams: failed.reasonParams } : {}) };
    }
    const bot = body.result as { username?: string; first_name?: string } | undefined;
    username = bot?.username;
    return { ok: true, detail: `Connected to ${hostOf(config.baseUrl)} as @${bot?.username ?? '?'} (${bot?.first_name ?? 'bot'}).`, facts: { botUsername: bot?.username ?? '' } };
  }

  /** New messages to the bot: replies and "/start <code>" from deep links. Confirms what it read by moving the offset. */
  async function inbound(signal?: AbortSignal): Promise<InboundMessage[]> {
    const timeout = config.pollTimeoutSeconds ?? 25;
    const result = await call('getUpdates', { ...(offset !== undefined ? { offset } : {}), timeout, allowed_updates: ['message'] }, signal, (timeout + 10) * 1000);
    if (!result.ok) return [];
    const body = result.answer.json as BotAnswer | undefined;
    if (!body?.ok || !Array.isArray(body.result)) return [];
    const found: InboundMessage[] = [];
    for (const update of body.result as Update[]) {
      if (typeof update.update_id !== 'number') continue;
      offset = Math.max(offset ?? 0, update.update_id + 1);
      const m = update.message;
      if (!m || typeof m.text !== 'string' || m.chat?.id === undefined || m.chat.type !== 'private') continue;
      found.push({ id: `tg-${update.update_id}`, telegramChatId: String(m.chat.id), text: m.text.slice(0, 2000), at: (m.date ?? 0) * 1000 || deps.clock.now(), via: 'telegram' });
    }
    return found;
  }

  return {
    label: LABEL,
    idempotent: false,
    allRoutes: ['telegram'],
    routes: (message) => (message.recipient.telegramChatId ? ['telegram'] : []),
    send,
    test,
    inbound,
    botUsername: () => username,
  };
}
