/**
 * A loopback SMS gateway of the kind local aggregators run, speaking a plain JSON API:
 *   POST /api/sms        Authorization: Bearer <key>, Idempotency-Key: <key>, body {"to","text","from"}
 *                        → 200 {"id","status":"queued"}; 401 {"error":{"message"}}; 422 invalid destination;
 *                          429 + Retry-After past its rate limit; 503 for injected transient errors.
 *   GET  /api/sms/:id    → {"id","status"} walking queued → sent → delivered (or a scripted failure)
 *   GET  /api/inbound    → {"messages":[{"id","from","text"}]}
 *   GET  /api/balance    → {"balance"} (the connection test)
 * It deduplicates by Idempotency-Key (a repeat answers the first id) and counts what a handset would receive, so a
 * test or the bench can prove "exactly once" and "the rate was respected".
 */
import { startLoopback, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-http.ts';

export interface GatewayOptions {
  apiKey?: string;
  /** Requests per rolling second before 429 (0 = no limit). */
  limitPerSecond?: number;
  /** Share of create requests answered 503 before anything is accepted (seeded, so runs repeat). */
  transientRate?: number;
  seed?: number;
}

export interface GatewayMessage {
  id: string;
  to: string;
  text: string;
  key?: string;
  status: string;
  upcoming: string[];
  acceptedAt: number;
}

export interface FakeGateway {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly apiKey: string;
  readonly messages: GatewayMessage[];
  readonly counts: { accepted: number; duplicatesDropped: number; rateLimited: number; transient: number; maxPerSecond: number };
  /** Handset deliveries per idempotency key (or per id when no key came). */
  readonly received: Map<string, number>;
  statuses: Map<string, string[]>;
  invalid: Set<string>;
  inbound: { id: string; from: string; text: string }[];
  close(): Promise<void>;
}

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export async function startFakeGateway(options: GatewayOptions = {}): Promise<FakeGateway> {
  const apiKey = options.apiKey ?? 'gw-key-7c1d9e04';
  const random = prng(options.seed ?? 7);
  const window: number[] = [];
  let counter = 0;
  const fake = {
    apiKey,
    messages: [] as GatewayMessage[],
    counts: { accepted: 0, duplicatesDropped: 0, rateLimited: 0, transient: 0, maxPerSecond: 0 },
    received: new Map<string, number>(),
    statuses: new Map<string, string[]>([['*', ['sent', 'delivered']]]),
    invalid: new Set<string>(['+4917699999999']),
    inbound: [] as { id: string; from: string; text: string }[],
  };
  const byKey = new Map<string, GatewayMessage>();
  const error = (status: number, message: string, headers?: Record<string, string>): Reply => ({ status, json: { error: { code: status, message } }, ...(headers ? { headers } : {}) });

  function handle(request: RecordedRequest): Reply {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'invalid API key');
    if (request.method === 'GET' && request.path === '/api/balance') return { status: 200, json: { balance: '12.50', currency: 'EUR' } };
    if (request.method === 'GET' && request.path === '/api/inbound') return { status: 200, json: { messages: fake.inbound } };
    const one = /^\/api\/sms\/([\w-]+)$/.exec(request.path);
    if (request.method === 'GET' && one) {
      const message = fake.messages.find((m) => m.id === one[1]);
      if (!message) return error(404, 'no such message');
      const next = message.upcoming.shift();
      if (next) message.status = next;
      return { status: 200, json: { id: message.id, status: message.status } };
    }
    if (request.method !== 'POST' || request.path !== '/api/sms') return error(404, 'not found');
    const now = Date.now();
    if (options.limitPerSecond) {
      while (window.length > 0 && window[0]! <= now - 1000) window.shift();
      if (window.length >= options.limitPerSecond) {
        fake.counts.rateLimited++;
        return error(429, 'rate limit exceeded', { 'retry-after': '1' });
      }
      window.push(now);
      fake.counts.maxPerSecond = Math.max(fake.counts.maxPerSecond, window.length);
    }
    if (request.headers['content-type'] !== 'application/json') return error(415, 'JSON only');
    let body: { to?: unknown; text?: unknown; from?: unknown };
    try {
      body = JSON.parse(request.body) as typeof body;
    } catch {
      return error(400, 'body is not JSON');
    }
    if (typeof body.to !== 'string' || typeof body.text !== 'string') return error(400, 'to and text are required');
    if (fake.invalid.has(body.to) || !/^\+[1-9]\d{7,14}$/.test(body.to)) return error(422, `invalid destination ${body.to}`);
    if (options.transientRate && random() < options.transientRate) {
      fake.counts.transient++;
      return error(503, 'temporarily unavailable, try again');
    }
    const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
    const known = key ? byKey.get(key) : undefined;
    if (known) {
      fake.counts.duplicatesDropped++;
      return { status: 200, json: { id: known.id, status: known.status, duplicate: true } };
    }
    const message: GatewayMessage = {
      id: `gw-${++counter}`, to: body.to, text: body.text, ...(key ? { key } : {}), status: 'queued',
      upcoming: [...(fake.statuses.get(body.to) ?? fake.statuses.get('*') ?? [])], acceptedAt: now,
    };
    fake.messages.push(message);
    if (key) byKey.set(key, message);
    fake.counts.accepted++;
    const receiver = key ?? message.id;
    fake.received.set(receiver, (fake.received.get(receiver) ?? 0) + 1);
    return { status: 200, json: { id: message.id, status: 'queued' } };
  }

  const server = await startLoopback(handle);
  return Object.assign(fake, { server, url: server.url, close: () => server.close() });
}

/** The HttpSmsConfig that speaks this gateway's API. */
export function gatewayConfig(gateway: FakeGateway, over: Record<string, unknown> = {}) {
  return {
    url: `${gateway.url}/api/sms`,
    method: 'POST' as const,
    headers: 'Authorization: Bearer {{apiKey}}',
    contentType: 'json' as const,
    bodyTemplate: '{"to":"{{to}}","text":"{{text}}","from":"{{from}}"}',
    sender: 'Lumiere',
    apiKey: gateway.apiKey,
    messageIdPath: 'id',
    errorPath: 'error.message',
    statusUrl: `${gateway.url}/api/sms/{{id}}`,
    statusPath: 'status',
    idempotencyHeader: 'Idempotency-Key',
    inboundUrl: `${gateway.url}/api/inbound`,
    inboundListPath: 'messages',
    testUrl: `${gateway.url}/api/balance`,
    ...over,
  };
}
