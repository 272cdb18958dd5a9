/**
 * Push through Firebase Cloud Messaging HTTP v1: POST /v1/projects/<project>/messages:send with an OAuth bearer
 * token from the service account (scope firebase.messaging), one request per device token.
 *
 * Errors (FCM's body `{"error":{"code","message","status","details":[{"@type":…FcmError,"errorCode"}]}}`):
 * UNREGISTERED (404) and SENDER_ID_MISMATCH (403) mean the token is gone for this app — dropped from the recipient;
 * INVALID_ARGUMENT (400) on the token likewise; QUOTA_EXCEEDED (429), UNAVAILABLE (503), INTERNAL (500) are retried
 * (Retry-After honoured); UNAUTHENTICATED (401) renews the access token once; THIRD_PARTY_AUTH_ERROR (401) and
 * PERMISSION_DENIED (403) are the salon's configuration. FCM reports no delivery: an accepted message is delivered.
 */
import type { OutgoingMessage, SendOutcome } from '../../../../shared/engine/provider.ts';
import { GoogleTokenSource, type ServiceAccount } from './google-oauth.ts';
import { hostOf, httpRequest, redact, retryAfterMs, type HttpAnswer } from './http.ts';
import { coded, noAnswer, limiterFor, rateLimited, type ProviderClient, type ProviderDeps, type TestResult } from './provider-client.ts';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export interface FcmConfig {
  account: ServiceAccount;
  projectId: string;
  /** https://fcm.googleapis.com unless a test server stands in. */
  baseUrl: string;
  ratePerSecond?: number;
  /** Shown in reasons: "Firebase (branded app)". */
  label?: string;
}

interface FcmError {
  error?: { code?: number; message?: string; status?: string; details?: { '@type'?: string; errorCode?: string }[] };
}

function fcmCode(answer: HttpAnswer): string {
  const error = (answer.json as FcmError | undefined)?.error;
  const detail = error?.details?.find((d) => typeof d.errorCode === 'string')?.errorCode;
  return detail ?? error?.status ?? String(answer.status);
}

type TokenVerdict = { kind: 'sent'; name: string } | { kind: 'stale'; code: string } | { kind: 'fail'; outcome: SendOutcome };

export function createFcmClient(config: FcmConfig, deps: ProviderDeps): ProviderClient {
  const label = config.label ?? 'Firebase';
  const limiter = limiterFor(config.ratePerSecond, deps);
  const tokens = new GoogleTokenSource(config.account, FCM_SCOPE, deps);
  const url = `${config.baseUrl.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(config.projectId)}/messages:send`;
  const words = (text: string) => redact(text, [config.account.private_key]);

  async function post(payload: unknown, signal?: AbortSignal, renewed = false): Promise<{ answer?: HttpAnswer; outcome?: SendOutcome }> {
    const access = await tokens.token(signal);
    if (!access.ok) {
      const outcome: SendOutcome = access.transient
        ? { status: 'failed', permanent: false, route: 'push', ...coded('provider.unavailable', { provider: label, detail: words(access.detail) }) }
        : { status: 'failed', permanent: true, route: 'push', providerStatus: 'invalid_grant', ...coded('provider.auth', { provider: label, field: 'the service-account key' }) };
      return { outcome };
    }
    const result = await httpRequest({ method: 'POST', url, headers: { authorization: `Bearer ${access.token}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) }, signal);
    if (!result.ok) return { outcome: noAnswer(label, result, 'push', false) };
    if (result.answer.status === 401 && fcmCode(result.answer) === 'UNAUTHENTICATED' && !renewed) {
      tokens.invalidate();
      return post(payload, signal, true);
    }
    return { answer: result.answer };
  }

  function classify(answer: HttpAnswer): TokenVerdict {
    const code = fcmCode(answer);
    if (answer.status === 200) return { kind: 'sent', name: String((answer.json as { name?: string } | undefined)?.name ?? '') };
    const message = words((answer.json as FcmError | undefined)?.error?.message ?? `HTTP ${answer.status}`);
    if (code === 'UNREGISTERED' || code === 'SENDER_ID_MISMATCH' || (code === 'INVALID_ARGUMENT' && /registration token/i.test(message))) return { kind: 'stale', code };
    if (answer.status === 429 || answer.status >= 500) {
      const wait = retryAfterMs(answer.headers, deps.clock.now());
      const code429 = answer.status === 429 ? '429' : code;
      return { kind: 'fail', outcome: { status: 'failed', permanent: false, route: 'push', providerStatus: code429, ...(wait !== undefined ? { retryAfterMs: wait } : {}), ...coded(answer.status === 429 ? 'provider.rateLimited' : 'provider.unavailable', { provider: label, detail: message }) } };
    }
    if (answer.status === 401 || answer.status === 403) return { kind: 'fail', outcome: { status: 'failed', permanent: true, route: 'push', providerStatus: code, ...coded('provider.auth', { provider: label, field: 'the service-account key and project id' }) } };
    return { kind: 'fail', outcome: { status: 'failed', permanent: true, route: 'push', providerStatus: code, ...coded('provider.rejected', { provider: label, detail: message }) } };
  }

  function payloadFor(message: OutgoingMessage, token: string) {
    return {
      message: {
        token,
        notification: { title: message.subject ?? '', body: message.body.slice(0, 2000) },
        // FCM data values must be strings.
        data: { jobId: message.jobId, ...(message.clickTarget ? { appointmentId: message.clickTarget.appointmentId } : {}) },
        android: { priority: 'high' },
      },
    };
  }

  async function send(message: OutgoingMessage, route: string, signal?: AbortSignal): Promise<SendOutcome> {
    const devices = [...new Set(message.recipient.pushTokens ?? [])];
    if (devices.length === 0) return { status: 'notTried', route, ...coded('push.noDevice') };
    const names: string[] = [];
    const stale: string[] = [];
    let failure: SendOutcome | undefined;
    for (const device of devices) {
      const outcome = await rateLimited(limiter, label, deps.clock, async (): Promise<SendOutcome> => {
        const { answer, outcome: early } = await post(payloadFor(message, device), signal);
        if (early) return early;
        const verdict = classify(answer!);
        if (verdict.kind === 'sent') return { status: 'delivered', route, providerMessageId: verdict.name };
        if (verdict.kind === 'stale') return { status: 'notTried', route, providerStatus: verdict.code, staleTokens: [device], ...coded('push.unregistered') };
        return verdict.outcome;
      });
      if (outcome.status === 'delivered') names.push(outcome.providerMessageId ?? '');
      else if (outcome.status === 'notTried') stale.push(...(outcome.staleTokens ?? []));
      else failure ??= outcome;
      // A configuration error is the same for every device: stop at the first one.
      if (outcome.status === 'failed' && outcome.permanent) break;
    }
    const staleTokens = stale.length > 0 ? { staleTokens: stale } : {};
    if (names.length > 0) {
      // Some device took it: delivered (a retry could reach another device twice).
      return { status: 'delivered', route, providerMessageId: names[0]!, providerStatus: 'accepted', detail: `Accepted by ${hostOf(config.baseUrl)} for ${names.length} of ${devices.length} device(s); FCM gives no delivery report`, ...staleTokens };
    }
    if (failure) return { ...failure, ...staleTokens } as SendOutcome;
    return { status: 'notTried', route, providerStatus: 'UNREGISTERED', ...coded('push.unregistered'), ...staleTokens };
  }

  async function test(signal?: AbortSignal): Promise<TestResult> {
    // A dry run to a topic: proves the key, the project and the permission without reaching any device.
    const { answer, outcome } = await post({ validate_only: true, message: { topic: 'frontdesk-connection-test', notification: { title: 'FrontDesk', body: 'Connection test' } } }, signal);
    if (outcome && (outcome.status === 'failed' || outcome.status === 'uncertain')) return { ok: false, reason: outcome.reason, reasonCode: outcome.reasonCode ?? 'provider.rejected', ...(outcome.reasonParams ? { reasonParams: outcome.reasonParams } : {}) };
    const verdict = classify(answer!);
    if (verdict.kind === 'sent') return { ok: true, detail: `Connected to ${hostOf(config.baseUrl)} for project "${config.projectId}" as ${config.account.client_email}.` };
    if (verdict.kind === 'fail' && verdict.outcome.status === 'failed') return { ok: false, reason: verdict.outcome.reason, reasonCode: verdict.outcome.reasonCode ?? 'provider.rejected', ...(verdict.outcome.reasonParams ? { reasonParams: verdict.outcome.reasonParams } : {}) };
    return { ok: false, ...coded('provider.rejected', { provider: label, detail: 'the dry run was refused' }) };
  }

  return { label, idempotent: false, allRoutes: ['push'], routes: () => ['push'], send, test, close: () => tokens.invalidate() };
}
