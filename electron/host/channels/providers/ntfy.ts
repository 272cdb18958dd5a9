/**
 * Staff pushes through ntfy (public ntfy.sh or a self-hosted server): publish as JSON to the server's root —
 * {"topic","title","message","priority","tags","click"} — with an access token as a Bearer header when the topic is
 * protected. Answers: 200 with the message ({"id","time","event":"message",…}); errors as
 * {"code","http","error","link"}: 401/403 (40101/40301) credentials or topic access, 429 (42901) too many requests,
 * 5xx. The staff member subscribes to their topic in the ntfy app. ntfy reports no delivery.
 */
import type { OutgoingMessage, SendOutcome } from '../../../../shared/engine/provider.ts';
import { hostOf, httpRequest, redact, retryAfterMs } from './http.ts';
import { answerLost, coded, noAnswer, limiterFor, rateLimited, type ProviderClient, type ProviderDeps, type TestResult } from './provider-client.ts';

export interface NtfyConfig {
  /** https://ntfy.sh or the salon's own server. */
  serverUrl: string;
  accessToken?: string;
  /** Used for staff without a topic of their own. */
  defaultTopic?: string;
  /** 1 (min) … 5 (max); default 4 (high). */
  priority?: number;
  /** A link opened when the notification is tapped, with {{appointmentId}}. */
  clickUrl?: string;
  ratePerSecond?: number;
}

const LABEL = 'ntfy';

export function createNtfyClient(config: NtfyConfig, deps: ProviderDeps): ProviderClient {
  const limiter = limiterFor(config.ratePerSecond, deps);
  const root = config.serverUrl.replace(/\/+$/, '');
  const auth: Record<string, string> = config.accessToken ? { authorization: `Bearer ${config.accessToken}` } : {};
  const words = (text: string) => redact(text, [config.accessToken]);

  async function send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const topic = message.recipient.ntfyTopic ?? config.defaultTopic;
    if (!topic) return { status: 'notTried', route, ...coded('push.noTopic') };
    const click = config.clickUrl && message.clickTarget ? config.clickUrl.replace('{{appointmentId}}', encodeURIComponent(message.clickTarget.appointmentId)) : undefined;
    const payload = { topic, title: message.subject ?? 'FrontDesk', message: message.body, priority: config.priority ?? 4, tags: ['calendar'], ...(click ? { click } : {}) };
    return rateLimited(limiter, LABEL, deps.clock, async () => {
      const result = await httpRequest({ method: 'POST', url: `${root}/`, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(payload) }, signal);
      if (!result.ok) return noAnswer(LABEL, result, route, false);
      const { answer } = result;
      const body = answer.json as { id?: string; error?: string; code?: number } | undefined;
      if (answer.status === 200 && body?.id) return { status: 'delivered', route, providerMessageId: body.id, providerStatus: 'published', detail: `Published to ${hostOf(root)}/${topic}` };
      if (answer.status >= 200 && answer.status <= 299) return answerLost(LABEL, answer, route, 'delivered');
      const status = String(body?.code ?? answer.status);
      if (answer.status === 401 || answer.status === 403) return { status: 'failed', permanent: true, route, providerStatus: status, ...coded('provider.auth', { provider: LABEL, field: 'the access token and the topic’s access rights' }) };
      if (answer.status === 429) {
        const wait = retryAfterMs(answer.headers, deps.clock.now());
        return { status: 'failed', permanent: false, route, providerStatus: '429', ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...coded('provider.rateLimited', { provider: LABEL }) };
      }
      const detail = words(body?.error ?? `HTTP ${answer.status}`);
      if (answer.status >= 500) return { status: 'failed', permanent: false, route, providerStatus: status, ...coded('provider.unavailable', { provider: LABEL, detail }) };
      return { status: 'failed', permanent: true, route, providerStatus: status, ...coded('provider.rejected', { provider: LABEL, detail }) };
    });
  }

  async function test(signal?: AbortSignal): Promise<TestResult> {
    const health = await httpRequest({ method: 'GET', url: `${root}/v1/health` }, signal);
    if (!health.ok) return { ok: false, ...coded('provider.error', { detail: health.reason }) };
    if (health.answer.status !== 200 || (health.answer.json as { healthy?: boolean } | undefined)?.healthy !== true) {
      return { ok: false, ...coded('provider.unavailable', { provider: LABEL, detail: `health check answered HTTP ${health.answer.status}` }) };
    }
    if (!config.accessToken) return { ok: true, detail: `${hostOf(root)} is up (no access token: topics must be open).` };
    const account = await httpRequest({ method: 'GET', url: `${root}/v1/account`, headers: auth }, signal);
    if (!account.ok) return { ok: false, ...coded('provider.error', { detail: account.reason }) };
    if (account.answer.status === 401 || account.answer.status === 403) return { ok: false, ...coded('provider.auth', { provider: LABEL, field: 'the access token' }) };
    const user = (account.answer.json as { username?: string } | undefined)?.username;
    return { ok: true, detail: `${hostOf(root)} is up; signed in as ${user ?? 'the token’s user'}.` };
  }

  return { label: LABEL, idempotent: false, allRoutes: ['push'], routes: () => ['push'], send, test };
}
