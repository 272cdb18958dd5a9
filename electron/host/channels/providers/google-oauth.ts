/**
 * Google's OAuth 2.0 for service accounts: a JWT (RS256, signed with the service account's private key; iss = the
 * account's email, scope, aud = its token_uri, iat/exp one hour apart) exchanged at token_uri with
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer for an access token, kept until shortly before it expires.
 */
import { createPrivateKey, createSign } from 'node:crypto';
import { httpRequest } from './http.ts';
import type { ProviderDeps } from './provider-client.ts';

export interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri: string;
  project_id?: string;
}

export type ParsedAccount = { ok: true; account: ServiceAccount } | { ok: false; problem: string };

/** Checks a pasted service-account JSON key file; the problem names what is wrong, never the key. */
export function parseServiceAccount(text: string): ParsedAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'it is not JSON: paste the whole key file downloaded from the Firebase console' };
  }
  const o = json as Record<string, unknown>;
  if (o.type !== 'service_account') return { ok: false, problem: 'it is not a service-account key ("type" is not "service_account")' };
  if (typeof o.client_email !== 'string' || !o.client_email.includes('@')) return { ok: false, problem: '"client_email" is missing' };
  if (typeof o.private_key !== 'string' || !o.private_key.includes('PRIVATE KEY')) return { ok: false, problem: '"private_key" is missing' };
  try {
    createPrivateKey(o.private_key);
  } catch {
    return { ok: false, problem: '"private_key" is not a readable private key' };
  }
  const tokenUri = typeof o.token_uri === 'string' && /^https?:\/\//.test(o.token_uri) ? o.token_uri : 'https://oauth2.googleapis.com/token';
  return {
    ok: true,
    account: {
      client_email: o.client_email, private_key: o.private_key, token_uri: tokenUri,
      ...(typeof o.private_key_id === 'string' ? { private_key_id: o.private_key_id } : {}),
      ...(typeof o.project_id === 'string' ? { project_id: o.project_id } : {}),
    },
  };
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function signedAssertion(account: ServiceAccount, scope: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) };
  const claims = { iss: account.client_email, scope, aud: account.token_uri, iat, exp: iat + 3600 };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(account.private_key);
  return `${unsigned}.${b64url(signature)}`;
}

export type TokenResult = { ok: true; token: string } | { ok: false; transient: boolean; detail: string };

export class GoogleTokenSource {
  readonly #account: ServiceAccount;
  readonly #scope: string;
  readonly #deps: ProviderDeps;
  #cached: { token: string; until: number } | undefined;
  /** How many tokens were fetched (tests check the caching). */
  fetched = 0;

  constructor(account: ServiceAccount, scope: string, deps: ProviderDeps) {
    this.#account = account;
    this.#scope = scope;
    this.#deps = deps;
  }

  invalidate(): void {
    this.#cached = undefined;
  }

  async token(signal?: AbortSignal): Promise<TokenResult> {
    const now = this.#deps.clock.now();
    if (this.#cached && now < this.#cached.until) return { ok: true, token: this.#cached.token };
    const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signedAssertion(this.#account, this.#scope, now) });
    const result = await httpRequest({ method: 'POST', url: this.#account.token_uri, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() }, signal);
    if (!result.ok) return { ok: false, transient: true, detail: result.reason };
    const json = result.answer.json as { access_token?: string; expires_in?: number; error?: string; error_description?: string } | undefined;
    if (result.answer.status !== 200 || !json?.access_token) {
      const transient = result.answer.status >= 500 || result.answer.status === 429;
      return { ok: false, transient, detail: `${json?.error ?? `HTTP ${result.answer.status}`}${json?.error_description ? `: ${json.error_description}` : ''}` };
    }
    this.fetched++;
    // Renewed a minute early, so a token never expires between the check and its use.
    this.#cached = { token: json.access_token, until: now + Math.max(60, (json.expires_in ?? 3600) - 60) * 1000 };
    return { ok: true, token: json.access_token };
  }
}
