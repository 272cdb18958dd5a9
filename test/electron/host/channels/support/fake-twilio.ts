/**
 * A loopback stand-in for Twilio's Messages API (2010-04-01) as documented: basic auth with the Account SID and Auth
 * Token, form-encoded create (To, From or MessagingServiceSid, Body) answering 201 with the message resource, the
 * message fetched by SID for its status, the account resource, and the message list filtered by To and DateSent>.
 * Errors use Twilio's body `{code, message, more_info, status}`: 20003 authenticate, 20404 not found, 20429 too many
 * requests, 21211 invalid To, 21614 not a mobile number, 21604/21602 missing To/Body.
 *
 * Tests steer it: `statuses` gives the statuses a message walks through on successive fetches, `invalid` and
 * `landline` numbers, `rejectNext` for one-off errors (e.g. a 429 with Retry-After), `receive` for inbound replies.
 */
import { basicAuth, startLoopback, type LoopbackServer, type RecordedRequest, type Reply } from './loopback-http.ts';

export interface TwilioMessageRecord {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  numSegments: number;
  price: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  direction: 'outbound-api' | 'inbound';
  dateCreated: number;
  /** Statuses still to walk through on the next fetches. */
  upcoming: string[];
}

export interface FakeTwilio {
  readonly server: LoopbackServer;
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly messages: TwilioMessageRecord[];
  /** The statuses the next created message walks through (by destination, or '*'), then stays at the last. */
  statuses: Map<string, string[]>;
  /** Error code and message a final `undelivered`/`failed` carries, by destination. */
  deliveryErrors: Map<string, { code: number; message: string }>;
  invalid: Set<string>;
  landline: Set<string>;
  /** Answered to the next create request instead of creating. */
  rejectNext: Reply[];
  receive(from: string, body: string, to?: string): void;
  close(): Promise<void>;
}

const MORE_INFO = 'https://www.twilio.com/docs/errors/';
const twilioError = (status: number, code: number, message: string): Reply => ({ status, json: { code, message, more_info: `${MORE_INFO}${code}`, status } });

function segmentsOf(body: string): number {
  const gsm = /^[\x20-\x7e\n\r]*$/.test(body);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${'0123456789abcdef'.repeat(2)}`;
  const authToken = options.authToken ?? 'twilio-auth-token-5f2a9c';
  let counter = 0;
  const messages: TwilioMessageRecord[] = [];
  const fake: Omit<FakeTwilio, 'server' | 'url' | 'close'> = {
    accountSid,
    authToken,
    messages,
    statuses: new Map([['*', ['sent', 'delivered']]]),
    deliveryErrors: new Map(),
    invalid: new Set(['+15005550001']),
    landline: new Set(['+15005550009']),
    rejectNext: [],
    receive(from, body, to = '+15005550006') {
      messages.push({ sid: `SM${(++counter).toString(16).padStart(32, '0')}`, to, from, body, status: 'received', numSegments: 1, price: '-0.00750', errorCode: null, errorMessage: null, direction: 'inbound', dateCreated: Date.now(), upcoming: [] });
    },
  };

  const resource = (m: TwilioMessageRecord) => ({
    account_sid: accountSid,
    api_version: '2010-04-01',
    sid: m.sid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: m.direction,
    num_segments: String(m.numSegments),
    num_media: '0',
    price: m.price,
    price_unit: 'USD',
    error_code: m.errorCode,
    error_message: m.errorMessage,
    date_created: new Date(m.dateCreated).toUTCString(),
    date_sent: m.status === 'queued' ? null : new Date(m.dateCreated).toUTCString(),
    date_updated: new Date().toUTCString(),
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  });

  const base = `/2010-04-01/Accounts/${accountSid}`;

  function handle(request: RecordedRequest): Reply {
    const auth = basicAuth(request.headers);
    if (!auth || auth.user !== accountSid || auth.pass !== authToken) return twilioError(401, 20003, 'Authenticate');
    if (request.method === 'GET' && request.path === `${base}.json`) {
      return { status: 200, json: { sid: accountSid, friendly_name: 'Lumière test account', status: 'active', type: 'Full' } };
    }
    if (request.method === 'POST' && request.path === `${base}/Messages.json`) {
      const rejected = fake.rejectNext.shift();
      if (rejected) return rejected;
      if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') return twilioError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
      const form = new URLSearchParams(request.body);
      const to = form.get('To');
      const body = form.get('Body');
      const from = form.get('From') ?? (form.get('MessagingServiceSid') ? '+15005550006' : null);
      if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
      if (!body) return twilioError(400, 21602, 'Message body is required.');
      if (!from) return twilioError(400, 21603, "A 'From' phone number is required.");
      const number = to.replace(/^whatsapp:/, '');
      if (fake.invalid.has(number) || !/^\+[1-9]\d{7,14}$/.test(number)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (fake.landline.has(number) && !to.startsWith('whatsapp:')) return twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`);
      const upcoming = [...(fake.statuses.get(to) ?? fake.statuses.get(number) ?? fake.statuses.get('*') ?? ['sent', 'delivered'])];
      const message: TwilioMessageRecord = {
        sid: `SM${(++counter).toString(16).padStart(32, '0')}`, to, from, body, status: 'queued', numSegments: segmentsOf(body), price: null,
        errorCode: null, errorMessage: null, direction: 'outbound-api', dateCreated: Date.now(), upcoming,
      };
      messages.push(message);
      return { status: 201, json: resource(message) };
    }
    const one = /^\/2010-04-01\/Accounts\/[^/]+\/Messages\/([^/]+)\.json$/.exec(request.path);
    if (request.method === 'GET' && one) {
      const message = messages.find((m) => m.sid === one[1]);
      if (!message) return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
      const next = message.upcoming.shift();
      if (next) {
        message.status = next;
        if (next !== 'queued' && next !== 'accepted') message.price = `-${(0.0079 * message.numSegments).toFixed(5)}`;
        if (next === 'undelivered' || next === 'failed') {
          const error = fake.deliveryErrors.get(message.to) ?? fake.deliveryErrors.get(message.to.replace(/^whatsapp:/, '')) ?? { code: 30003, message: 'Unreachable destination handset' };
          message.errorCode = error.code;
          message.errorMessage = error.message;
        }
      }
      return { status: 200, json: resource(message) };
    }
    if (request.method === 'GET' && request.path === `${base}/Messages.json`) {
      const to = request.query.get('To');
      const since = request.query.get('DateSent>');
      const list = messages.filter((m) => (!to || m.to === to) && (!since || m.dateCreated >= Date.parse(`${since}T00:00:00Z`)));
      return { status: 200, json: { messages: list.map(resource), page: 0, page_size: Number(request.query.get('PageSize') ?? 50), first_page_uri: request.path, next_page_uri: null, previous_page_uri: null, start: 0, end: list.length - 1, uri: request.path } };
    }
    return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
  }

  const server = await startLoopback(handle);
  return Object.assign(fake, { server, url: server.url, close: () => server.close() }) as FakeTwilio;
}
