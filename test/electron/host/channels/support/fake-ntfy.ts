/**
 * A loopback ntfy server: JSON publish to the root (`POST /` {"topic","title","message","priority","tags","click"}),
 * `GET /v1/health`, `GET /v1/account`. Protected topics need `Authorization: Bearer <token>`; errors in ntfy's shape
 * {"code","http","error","link"}: 40101 unauthorized, 40301 forbidden, 42901 too many requests (+ Retry-After here).
 */
import { startLoopback, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-http.ts';

export interface FakeNtfy {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly token: string;
  readonly published: { id: string; topic: string; title?: string; message: string; priority?: number; click?: string }[];
  /** Topics that need the token. */
  protectedTopics: Set<string>;
  rejectNext: Reply[];
  close(): Promise<void>;
}

const ntfyError = (code: number, http: number, error: string, link = 'https://ntfy.sh/docs/publish/#authentication', headers?: Record<string, string>): Reply => ({ status: http, json: { code, http, error, link }, ...(headers ? { headers } : {}) });

export async function startFakeNtfy(options: { token?: string } = {}): Promise<FakeNtfy> {
  const token = options.token ?? 'tk_lumiereloopbacktoken0000000';
  let counter = 0;
  const fake = { token, published: [] as FakeNtfy['published'], protectedTopics: new Set<string>(), rejectNext: [] as Reply[] };

  function handle(request: RecordedRequest): Reply {
    const bearer = request.headers.authorization;
    if (bearer !== undefined && bearer !== `Bearer ${token}`) return ntfyError(40101, 401, 'unauthorized');
    if (request.method === 'GET' && request.path === '/v1/health') return { status: 200, json: { healthy: true } };
    if (request.method === 'GET' && request.path === '/v1/account') return bearer ? { status: 200, json: { username: 'frontdesk', role: 'user' } } : ntfyError(40101, 401, 'unauthorized');
    if (request.method === 'POST' && request.path === '/') {
      const rejected = fake.rejectNext.shift();
      if (rejected) return rejected;
      let body: { topic?: unknown; title?: string; message?: string; priority?: number; click?: string };
      try {
        body = JSON.parse(request.body) as typeof body;
      } catch {
        return ntfyError(40024, 400, 'invalid request: request body must be message JSON', 'https://ntfy.sh/docs/publish/#publish-as-json');
      }
      if (typeof body.topic !== 'string' || !/^[-_A-Za-z0-9]{1,64}$/.test(body.topic)) return ntfyError(40009, 400, 'invalid request: topic invalid', 'https://ntfy.sh/docs/publish/#publish-as-json');
      if (fake.protectedTopics.has(body.topic) && !bearer) return ntfyError(40301, 403, 'forbidden');
      const id = `msg${(++counter).toString(36).padStart(9, '0')}`;
      const time = Math.floor(Date.now() / 1000);
      fake.published.push({ id, topic: body.topic, ...(body.title ? { title: body.title } : {}), message: body.message ?? '', ...(body.priority ? { priority: body.priority } : {}), ...(body.click ? { click: body.click } : {}) });
      return { status: 200, json: { id, time, expires: time + 43_200, event: 'message', topic: body.topic, title: body.title, message: body.message, priority: body.priority } };
    }
    return ntfyError(40401, 404, 'page not found', '');
  }

  const server = await startLoopback(handle);
  return Object.assign(fake, { server, url: server.url, close: () => server.close() });
}

export { ntfyError };
