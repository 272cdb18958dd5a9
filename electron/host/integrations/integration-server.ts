/**
 * The integration endpoint: plain HTTP on loopback, one path (`POST /v1/events`), a bearer token per integration, a
 * small JSON body (shared/integrations/wire.ts). Every refusal is a JSON answer with a code and a sentence saying
 * what to fix — a missing or wrong token 401, a big body 413 (not read past the limit), a body that is not JSON 400 —
 * and nothing a sender does can throw out of a request handler: the host keeps running whatever arrives.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http } from '../node-http.ts';
import type { AddressInfo } from 'node:net';
import { checkJsonValue } from '../../../shared/ipc/json-limits.ts';
import { ENDPOINT_ERRORS, INTEGRATION_EVENTS_PATH, MAX_EVENT_BODY_BYTES, integrationEvent, type EndpointErrorCode, type IntegrationEvent, type IntegrationView } from '../../../shared/integrations/wire.ts';

/** A refusal the endpoint answers with its status and JSON body. */
export class EndpointError extends Error {
  readonly code: EndpointErrorCode | 'endpoint.failed';
  readonly issues: { path: string; message: string }[] | undefined;
  constructor(code: EndpointErrorCode | 'endpoint.failed', message: string, issues?: { path: string; message: string }[]) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  get status(): number {
    return this.code === 'endpoint.failed' ? 500 : ENDPOINT_ERRORS[this.code];
  }
}

export interface EndpointAnswer {
  eventId: string;
  duplicate: boolean;
  appointmentId?: string;
  clientId?: string;
}

export interface IntegrationServerOptions {
  /** The integration a bearer token belongs to, or undefined. */
  verify(token: string): IntegrationView | undefined;
  /** `test`: the request said `X-FrontDesk-Test: 1` (Settings' "Send a test event"): shown, but nothing is paid. */
  handle(integration: IntegrationView, event: IntegrationEvent, meta: { test: boolean }): Promise<EndpointAnswer>;
  log: (line: string) => void;
  /** Default 127.0.0.1: only programs on this computer can reach it. */
  bindAddress?: string;
}

export type EndpointStatus = { listening: true; port: number; url: string } | { listening: false; problem?: string };

const REQUEST_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 5_000;
const MAX_CONNECTIONS = 32;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function refuse(res: ServerResponse, error: EndpointError, headers: Record<string, string> = {}): void {
  send(res, error.status, { error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } }, headers);
}

/** Reads at most `limit` bytes; past it, stops reading and answers undefined (the caller says 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(header);
  return match?.[1];
}

/** Parses and checks a body: JSON, bounded, and one of the documented events. */
export function parseEvent(body: Buffer): IntegrationEvent {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new EndpointError('body.invalidJson', `The body is not valid JSON (${(error as Error).message.slice(0, 120)}). Send one JSON object such as {"type":"incomingCall","phone":"+49 170 1234567"}.`);
  }
  const problem = checkJsonValue(value, { maxBytes: MAX_EVENT_BODY_BYTES, maxDepth: 8 });
  if (problem) throw new EndpointError('body.invalid', `The body is refused: ${problem.message}.`);
  const parsed = integrationEvent.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
    const text = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    throw new EndpointError('body.invalid', `The event is not one FrontDesk understands: ${text}. See the README (Integrations) for the fields of "incomingCall" and "qrPayment".`, issues);
  }
  return parsed.data;
}

export class IntegrationServer {
  #o: IntegrationServerOptions;
  #server: Server | undefined;
  #status: EndpointStatus = { listening: false };

  constructor(options: IntegrationServerOptions) {
    this.#o = options;
  }

  get status(): EndpointStatus {
    return this.#status;
  }

  /** Listens on `port` (0: any free one). A port in use is not a crash: the status says so and the host runs on. */
  async start(port: number): Promise<EndpointStatus> {
    await this.stop();
    const server = http.createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS, maxHeaderSize: 8 * 1024 }, (req, res) => {
      this.#serve(req, res).catch((error: unknown) => {
        this.#o.log(`integrations: a request failed: ${error instanceof Error ? error.message : String(error)}`);
        refuse(res, new EndpointError('endpoint.failed', 'FrontDesk could not take this event; it was not recorded. Try again.'));
      });
    });
    server.maxConnections = MAX_CONNECTIONS;
    server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"code":"request.malformed","message":"The HTTP request could not be read."}}');
      else socket.destroy();
    });
    const host = this.#o.bindAddress ?? '127.0.0.1';
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === 'EADDRINUSE' ? `port ${port} is in use by another program; choose another port` : `cannot listen on ${host}:${port}: ${(error as Error).message}`;
      this.#o.log(`integrations: the endpoint is off: ${problem}`);
      this.#status = { listening: false, problem };
      return this.#status;
    }
    server.on('error', (error) => this.#o.log(`integrations: endpoint error: ${error.message}`));
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.#status = { listening: true, port: address.port, url: `http://${host}:${address.port}${INTEGRATION_EVENTS_PATH}` };
    this.#o.log(`integrations: listening on ${this.#status.url}`);
    return this.#status;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#status = { listening: false };
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const path = (req.url ?? '').split('?')[0];
    // Anything that is refused before its body is read closes the connection: the unread body is not drained.
    const close = { connection: 'close' };
    if (path !== INTEGRATION_EVENTS_PATH) return refuse(res, new EndpointError('path.unknown', `Nothing here. Events are POSTed to ${INTEGRATION_EVENTS_PATH}.`), close);
    if (req.method !== 'POST') return refuse(res, new EndpointError('method.notAllowed', `Use POST ${INTEGRATION_EVENTS_PATH} with a JSON body.`), { ...close, allow: 'POST' });
    const token = bearer(req);
    const challenge = { ...close, 'www-authenticate': 'Bearer realm="FrontDesk integrations"' };
    if (token === undefined) return refuse(res, new EndpointError('token.missing', 'Send the integration\'s token as "Authorization: Bearer <token>" (Settings → Integrations shows it once when the integration is added).'), challenge);
    const integration = this.#o.verify(token);
    if (!integration) return refuse(res, new EndpointError('token.invalid', 'This token is not valid here: it is mistyped, or its integration was removed. Add the integration again in Settings → Integrations and use the new token.'), challenge);
    const declared = Number(req.headers['content-length'] ?? 0);
    const tooLarge = new EndpointError('body.tooLarge', `The body is larger than ${MAX_EVENT_BODY_BYTES / 1024} KiB; an event is a small JSON object.`);
    if (Number.isFinite(declared) && declared > MAX_EVENT_BODY_BYTES) return refuse(res, tooLarge, close);
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(type)) return refuse(res, new EndpointError('body.notJson', 'Send the event as JSON with "Content-Type: application/json".'), close);
    const body = await readBody(req, MAX_EVENT_BODY_BYTES);
    if (body === undefined) return refuse(res, tooLarge, close);
    let answer: EndpointAnswer;
    try {
      answer = await this.#o.handle(integration, parseEvent(body), { test: req.headers['x-frontdesk-test'] === '1' });
    } catch (error) {
      if (error instanceof EndpointError) return refuse(res, error);
      throw error;
    }
    send(res, answer.duplicate ? 200 : 202, { ok: true, ...answer });
  }
}
