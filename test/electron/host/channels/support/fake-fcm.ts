/**
 * A loopback Google OAuth token endpoint and FCM HTTP v1 in one server, as documented:
 *   POST /token  form grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>. The JWT must be RS256,
 *                signed by the service account's key, iss = client_email, aud = this token URL, scope containing
 *                firebase.messaging, exp - iat ≤ 3600 → {"access_token","expires_in":3599,"token_type":"Bearer"};
 *                else 400 {"error":"invalid_grant","error_description"}.
 *   POST /v1/projects/<project>/messages:send  Authorization: Bearer <token> → {"name":"projects/<p>/messages/<id>"};
 *                errors in FCM's shape with an FcmError detail: UNREGISTERED 404, INVALID_ARGUMENT 400,
 *                QUOTA_EXCEEDED 429 (+ Retry-After), UNAVAILABLE 503, UNAUTHENTICATED 401, PERMISSION_DENIED 403.
 * `serviceAccount` is a real key file (fresh RSA key) pointing its token_uri here.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { startLoopback, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-http.ts';

export interface FakeFcm {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly projectId: string;
  readonly serviceAccountJson: string;
  readonly sent: { token: string; title: string; body: string; data: Record<string, string> }[];
  readonly issuedTokens: string[];
  unregistered: Set<string>;
  /** Answered to the next send instead of sending. */
  rejectNext: Reply[];
  /** Tokens issued before this are refused (as if expired or revoked). */
  revokeIssued(): void;
  close(): Promise<void>;
}

const fcmError = (code: number, status: string, message: string, errorCode?: string, headers?: Record<string, string>): Reply => ({
  status: code,
  json: { error: { code, message, status, ...(errorCode ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] } : {}) } },
  ...(headers ? { headers } : {}),
});

export async function startFakeFcm(options: { projectId?: string } = {}): Promise<FakeFcm> {
  const projectId = options.projectId ?? 'lumiere-branded-app';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = `frontdesk-push@${projectId}.iam.gserviceaccount.com`;
  const valid = new Set<string>();
  let counter = 0;
  const fake = {
    projectId,
    serviceAccountJson: '',
    sent: [] as FakeFcm['sent'],
    issuedTokens: [] as string[],
    unregistered: new Set<string>(),
    rejectNext: [] as Reply[],
    revokeIssued: () => valid.clear(),
  };
  let tokenUrl = '';

  function verifyAssertion(jwt: string): string | undefined {
    const [h, c, s] = jwt.split('.');
    if (!h || !c || !s) return 'malformed JWT';
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string; typ?: string };
    if (header.alg !== 'RS256') return 'alg must be RS256';
    const ok = createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(s, 'base64url'));
    if (!ok) return 'Invalid JWT Signature.';
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as { iss?: string; aud?: string; scope?: string; iat?: number; exp?: number };
    if (claims.iss !== clientEmail) return 'Invalid issuer';
    if (claims.aud !== tokenUrl) return 'Invalid JWT: aud';
    if (!claims.scope?.split(' ').includes('https://www.googleapis.com/auth/firebase.messaging')) return 'Invalid scope';
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > 3600 || claims.exp * 1000 < Date.now()) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    return undefined;
  }

  function handle(request: RecordedRequest): Reply {
    if (request.method === 'POST' && request.path === '/token') {
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' } };
      const problem = verifyAssertion(form.get('assertion') ?? '');
      if (problem) return { status: 400, json: { error: 'invalid_grant', error_description: problem } };
      const token = `ya29.fake-${++counter}-${Math.random().toString(36).slice(2)}`;
      valid.add(token);
      fake.issuedTokens.push(token);
      return { status: 200, json: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    }
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(request.path);
    if (request.method === 'POST' && send) {
      const bearer = request.headers.authorization?.startsWith('Bearer ') ? request.headers.authorization.slice(7) : '';
      if (!valid.has(bearer)) return fcmError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
      if (send[1] !== projectId) return fcmError(403, 'PERMISSION_DENIED', `Permission 'cloudmessaging.messages.create' denied on resource '//cloudresourcemanager.googleapis.com/projects/${send[1]}'`);
      const rejected = fake.rejectNext.shift();
      if (rejected) return rejected;
      const body = JSON.parse(request.body) as { validate_only?: boolean; message?: { token?: string; topic?: string; notification?: { title?: string; body?: string }; data?: Record<string, unknown> } };
      const message = body.message;
      if (!message || (!message.token && !message.topic)) return fcmError(400, 'INVALID_ARGUMENT', 'Recipient of the message is not set.', 'INVALID_ARGUMENT');
      for (const [key, value] of Object.entries(message.data ?? {})) {
        if (typeof value !== 'string') return fcmError(400, 'INVALID_ARGUMENT', `Invalid value at 'message.data[${key}].value' (TYPE_STRING)`);
      }
      if (message.token !== undefined) {
        if (!/^[\w:-]{8,}$/.test(message.token)) return fcmError(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', 'INVALID_ARGUMENT');
        if (fake.unregistered.has(message.token)) return fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
      }
      const name = `projects/${projectId}/messages/0:${Date.now()}%${(++counter).toString(16)}`;
      if (!body.validate_only && message.token) fake.sent.push({ token: message.token, title: message.notification?.title ?? '', body: message.notification?.body ?? '', data: (message.data ?? {}) as Record<string, string> });
      return { status: 200, json: { name } };
    }
    return fcmError(404, 'NOT_FOUND', 'Not found');
  }

  const server = await startLoopback(handle);
  tokenUrl = `${server.url}/token`;
  fake.serviceAccountJson = JSON.stringify({
    type: 'service_account', project_id: projectId, private_key_id: 'k1', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail, client_id: '1234567890', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: tokenUrl,
  });
  return Object.assign(fake, { server, url: server.url, close: () => server.close() });
}

export { fcmError };
