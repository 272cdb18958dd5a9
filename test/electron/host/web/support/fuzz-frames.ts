/**
 * Seeded generators of malformed frames for the two web-mode sockets (fuzz.test.ts): wrong types, missing and extra
 * fields, huge and deeply nested values, prototype keys, unknown channels and methods, non-JSON, binary and oversized
 * frames — mixed with valid reads, so the host is busy with real work while the junk arrives.
 *
 * Nothing generated may change a document: a call to a channel that writes always carries one violation its schema
 * refuses (an extra key, or a value of the wrong type), and the storage channel is read-only — its write attempts
 * include writes exactly as RxDB would send them for real documents.
 */
import { CHANNEL_NAMES } from '../../../../../shared/ipc/channels.ts';
import { MAX_REQUEST_BYTES } from '../../../../../shared/ipc/json-limits.ts';

export type Rng = () => number;

/** mulberry32: replay a failing run with FRONTDESK_FUZZ_SEED. */
export function prng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FuzzFrame {
  kind: string;
  data: string | Buffer;
  binary?: boolean;
  /** The id (API) or requestId (storage) the answer must carry, when the frame keeps one readable. */
  id?: number | string;
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Sets an own property even for `__proto__`, the way JSON.parse does, so JSON.stringify writes it out. */
function own(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const KEYS = [
  'id', 'channel', 'payload', 'locationId', 'ids', 'by', 'echo', 'settings', 'limit', 'skip', 'selector', 'sort', 'query', 'queryPlan',
  'connectionId', 'requestId', 'method', 'version', 'params', 'schema', 'document', 'previous', '_deleted', '_rev', '_meta',
  '$regex', '$where', '$gt', '$in', '$expr', 'toString', 'hasOwnProperty', 'valueOf', '', 'ключ', '\u0000', ...PROTO_KEYS,
];

function scalar(rng: Rng): unknown {
  switch (int(rng, 0, 16)) {
    case 0: return 0;
    case 1: return -1;
    case 2: return 1.5;
    case 3: return pick(rng, [1e308, -1e308, 2 ** 53 + 1, -0, 5e-324]);
    case 4: return '';
    case 5: return 'x';
    case 6: return rng() < 0.3 ? 'a'.repeat(int(rng, 1000, 60_000)) : 'a'.repeat(int(rng, 10, 300));
    case 7: return pick(rng, ['Анна', '🙂'.repeat(50), '\u0000\u0001', '"quoted"', '\\', '</script>', '2026-02-30T25:61:00Z']);
    case 8: return true;
    case 9: return false;
    case 10: return null;
    case 11: return pick(rng, PROTO_KEYS);
    case 12: return pick(rng, ['$regex', '$where', 'asc', 'desc', 'loc-lumiere', 'appt-0001', 'client-0001']);
    case 13: return int(rng, -1_000_000, 1_000_000);
    case 14: return pick(rng, [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 4294967296]);
    case 15: return [];
    default: return {};
  }
}

/** A random JSON value of bounded depth. */
export function junk(rng: Rng, depth = 0): unknown {
  const r = rng();
  if (depth >= 4 || r < 0.45) return scalar(rng);
  if (r < 0.7) return Array.from({ length: int(rng, 0, 6) }, () => junk(rng, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = int(rng, 0, 5); i > 0; i--) own(out, rng() < 0.8 ? pick(rng, KEYS) : `k${int(rng, 0, 99)}`, junk(rng, depth + 1));
  return out;
}

/** JSON text nested `depth` levels (as text: JSON.stringify of such a value would overflow the stack). */
function deepText(rng: Rng, depth: number): string {
  return rng() < 0.5 ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const deepDepth = (rng: Rng) => pick(rng, [65, 100, 1000, 20_000, 60_000]);

function mangleText(rng: Rng, text: string): string {
  switch (int(rng, 0, 5)) {
    case 0: return text.slice(0, int(rng, 0, Math.max(0, text.length - 1)));
    case 1: return text.replace(/"/g, "'");
    case 2: return `${text}}`;
    case 3: return text.replace(':', '');
    case 4: return pick(rng, ['', ' ', 'null', 'undefined', 'NaN', '[]', '{}', '"x"', '1e999', '{"id":', 'Infinity', '\u2028']);
    default: return Array.from({ length: int(rng, 1, 200) }, () => String.fromCharCode(int(rng, 32, 0x7ff))).join('');
  }
}

function randomBytes(rng: Rng, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = int(rng, 0, 255);
  return out;
}

/** A frame just above the request limit that keeps its head (and so its id) intact. */
function oversized(rng: Rng, head: string, tail: string): string {
  const size = MAX_REQUEST_BYTES + int(rng, 1, 512 * 1024);
  return `${head}${'x'.repeat(size - head.length - tail.length)}${tail}`;
}

// ---------------------------------------------------------------- API socket

/** Channels that only read; any other channel (present or future) gets a payload its schema must refuse. */
const READ_CHANNELS: Record<string, (rng: Rng) => unknown> = {
  'app.info': () => ({}),
  'app.ping': (rng) => ({ echo: String(int(rng, 0, 1e6)) }),
  'app.gesture': () => ({}),
  'location.list': () => ({}),
  'log.list': (rng) => ({ limit: int(rng, 1, 20) }),
  'teamEvents.list': (rng) => ({ limit: int(rng, 1, 20), unreadOnly: rng() < 0.5 }),
  'settings.list': () => ({ locationId: 'loc-lumiere' }),
  'jobs.ofAppointment': (rng) => ({ appointmentId: `appt-${String(int(rng, 1, 300)).padStart(4, '0')}` }),
};

function apiPayload(rng: Rng, channel: string): unknown {
  const payload = junk(rng);
  if (Object.hasOwn(READ_CHANNELS, channel)) return payload;
  // A strict schema refuses an unknown key; any non-object is refused by an object schema.
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) return own(payload as Record<string, unknown>, 'fuzzExtraKey', 1);
  return payload ?? { fuzzExtraKey: 1 };
}

export function apiFrame(rng: Rng, id: number): FuzzFrame {
  const channel = pick(rng, CHANNEL_NAMES as readonly string[]);
  const call = (payload: unknown, ch = channel) => JSON.stringify({ id, channel: ch, payload });
  const r = rng();
  if (r < 0.3) return { kind: 'junk payload', data: call(apiPayload(rng, channel)), id };
  if (r < 0.4) {
    const read = pick(rng, Object.keys(READ_CHANNELS));
    return { kind: 'valid read', data: call(READ_CHANNELS[read]!(rng), read), id };
  }
  if (r < 0.5) {
    const unknown = pick(rng, ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app.ping.', 'APP.PING', '', ' app.ping', 'x'.repeat(200), 'settings.delete', 'db.remove']);
    return { kind: 'unknown channel', data: call(junk(rng), unknown), id };
  }
  if (r < 0.62) {
    const envelope: Record<string, unknown> = { id, channel, payload: apiPayload(rng, channel) };
    switch (int(rng, 0, 6)) {
      case 0: envelope.id = pick(rng, ['1', -1, 1.5, null, [], {}, 2 ** 60, true]); break;
      case 1: delete envelope.id; break;
      case 2: envelope.channel = junk(rng); if (typeof envelope.channel === 'string') envelope.channel = 7; break;
      case 3: own(envelope, pick(rng, ['extra', 'type', ...PROTO_KEYS]), junk(rng)); break;
      case 4: delete envelope.channel; break;
      case 5: envelope.channel = 'x'.repeat(201); break;
      default: return { kind: 'not an object', data: JSON.stringify(pick(rng, [[id, channel], 'app.ping', 42, null, true])) };
    }
    return { kind: 'envelope', data: JSON.stringify(envelope) };
  }
  if (r < 0.7) {
    const payload = own({ echo: 'x' }, pick(rng, PROTO_KEYS), rng() < 0.5 ? { polluted: true } : junk(rng));
    return { kind: 'prototype keys', data: call(Object.hasOwn(READ_CHANNELS, channel) ? payload : own(payload, 'fuzzExtraKey', 1)), id };
  }
  if (r < 0.76) return { kind: 'deep', data: `{"id":${id},"channel":"${channel}","payload":{"x":${deepText(rng, deepDepth(rng))}}}`, id };
  if (r < 0.82) {
    const huge = rng() < 0.5 ? { echo: 'e'.repeat(int(rng, 100_000, 250_000)) } : { ids: Array.from({ length: int(rng, 10_000, 40_000) }, (_, i) => i) };
    return { kind: 'huge', data: call(Object.hasOwn(READ_CHANNELS, channel) ? huge : own(huge, 'fuzzExtraKey', 1)), id };
  }
  if (r < 0.9) return { kind: 'not JSON', data: mangleText(rng, call({ echo: 'x' })) };
  if (r < 0.96) {
    return rng() < 0.5
      ? { kind: 'binary', data: randomBytes(rng, int(rng, 0, 2000)), binary: true }
      : { kind: 'binary', data: Buffer.from(call({ echo: 'bin' }, 'app.ping')), binary: true, id };
  }
  return { kind: 'oversized', data: oversized(rng, `{"id":${id},"channel":"${channel}","payload":{"echo":"`, '"}}'), id };
}

// ---------------------------------------------------------------- storage socket

export interface StorageContext {
  version: string;
  /** Open connections of this socket, by collection. */
  connections: Record<string, string>;
  /** The exact schema the host serves, per collection (for creates). */
  schemas: Record<string, Record<string, unknown> & { version: number }>;
  /** Some existing document ids, per collection. */
  docIds: Record<string, string[]>;
  /** Some existing documents as stored, per collection (for writes RxDB itself would send). */
  docs: Record<string, Record<string, unknown>[]>;
}

let storageRequests = 0;

export function storageFrame(rng: Rng, ctx: StorageContext): FuzzFrame {
  const collection = pick(rng, Object.keys(ctx.connections));
  const connectionId = ctx.connections[collection]!;
  const requestId = `fz${++storageRequests}`;
  const message = (method: string, params: unknown, conn = connectionId) => ({ connectionId: conn, requestId, method, version: ctx.version, params });
  const frame = (kind: string, value: unknown, keepsId = true): FuzzFrame => ({ kind, data: JSON.stringify(value), ...(keepsId ? { id: requestId } : {}) });
  const ids = ctx.docIds[collection] ?? [];
  const validParams = (method: string): unknown[] => {
    switch (method) {
      case 'query':
      case 'count':
        return [{ query: { selector: { _deleted: { $eq: false } }, sort: [{ id: 'asc' }], skip: 0, ...(method === 'query' ? { limit: int(rng, 1, 50) } : {}) }, queryPlan: {} }];
      case 'findDocumentsById':
        return [ids.slice(0, int(rng, 0, 5)), rng() < 0.5];
      default:
        return [int(rng, 1, 20), null];
    }
  };
  const readMethod = () => pick(rng, ['query', 'count', 'findDocumentsById', 'getChangedDocumentsSince']);

  const r = rng();
  if (r < 0.1) {
    const method = readMethod();
    return frame('valid read', message(method, validParams(method)));
  }
  if (r < 0.3) {
    const method = pick(rng, ['query', 'count', 'findDocumentsById', 'getChangedDocumentsSince', 'create', 'close']);
    const params = validParams(method);
    switch (int(rng, 0, 4)) {
      case 0: return frame('junk params', message(method, junk(rng)));
      case 1: params[int(rng, 0, params.length - 1)] = junk(rng); break;
      case 2: params.push(junk(rng)); break;
      case 3: params.length = 0; break;
      default: params.unshift(junk(rng));
    }
    // `close` on this socket's own connections would only close them (a valid request): aim it elsewhere.
    return frame('junk params', message(method, params, method === 'close' ? `other-${requestId}` : connectionId));
  }
  if (r < 0.42) {
    const selector = junkSelector(rng, Object.keys(ctx.schemas[collection]?.properties as object ?? {}), 0);
    const query = { selector, sort: rng() < 0.8 ? [{ id: 'asc' }] : junk(rng), ...(rng() < 0.3 ? { limit: junk(rng) } : {}) };
    return frame('junk selector', message(rng() < 0.7 ? 'query' : 'count', [{ query, queryPlan: junk(rng) }]));
  }
  if (r < 0.54) {
    const id = ids.length > 0 ? pick(rng, ids) : 'x';
    switch (int(rng, 0, 6)) {
      // Writes exactly as RxDB sends them for a real document (update, delete, forged insert): the channel is
      // read-only, so each must be refused.
      case 0: {
        const doc = ctx.docs[collection]?.length ? pick(rng, ctx.docs[collection]!) : undefined;
        if (!doc) return frame('write attempt', message('remove', []));
        const rev = Number(String(doc._rev).split('-')[0]) + 1;
        const document = { ...doc, _rev: `${rev}-fuzzfuzzfu`, _meta: { lwt: Date.now() }, ...(rng() < 0.5 ? { _deleted: true } : {}) };
        return frame('write attempt', message('bulkWrite', [[rng() < 0.7 ? { previous: doc, document } : { document: { ...document, id: `forged-${requestId}`, _rev: '1-fuzzfuzzfu' } }], 'fuzz']));
      }
      case 1: return frame('write attempt', message('bulkWrite', [[{ document: { id: `new-${requestId}`, junk: junk(rng) } }], 'fuzz']));
      case 2: return frame('write attempt', message('remove', []));
      case 3: return frame('write attempt', message('cleanup', [pick(rng, [0, -1, 1e308, 'x', null])]));
      case 4: return frame('write attempt', message('getAttachmentData', [id, 'a', 'b']));
      case 5: return frame('write attempt', message('custom', junk(rng)));
      default: return frame('write attempt', message('changeStream', [junk(rng)]));
    }
  }
  if (r < 0.64) {
    const name = pick(rng, Object.keys(ctx.schemas));
    const schema = ctx.schemas[name]!;
    const params: Record<string, unknown> = { databaseInstanceToken: 'fuzz', databaseName: 'frontdesk', collectionName: name, schema, options: {}, multiInstance: false, devMode: false };
    switch (int(rng, 0, 9)) {
      case 0: params.databaseName = pick(rng, ['other', '', '../frontdesk', 'CON', 'x'.repeat(300)]); break;
      case 1: params.collectionName = pick(rng, ['_rxdb_internal', 'CON', 'jobs2', '../x', 'rx-migrating-clients', '', '__proto__', 'x'.repeat(300)]); break;
      case 2: params.schema = { ...schema, version: schema.version + pick(rng, [1, -1, 0.5]) }; break;
      case 3: params.schema = { ...schema, properties: { ...(schema.properties as object), fuzz: { type: 'string' } } }; break;
      case 4: params.schema = { ...schema, primaryKey: 'fuzz' }; break;
      case 5: params.schema = junk(rng) ?? 'schema'; if (typeof params.schema === 'object' && params.schema !== null) (params.schema as Record<string, unknown>).version = 99; break;
      case 6: own(params, pick(rng, ['extra', 'password', ...PROTO_KEYS]), junk(rng) ?? 1); break;
      case 7: delete params[pick(rng, ['databaseName', 'collectionName', 'schema'])]; break;
      case 8: params.options = { fuzz: junk(rng) }; break;
      default: return frame('bad create', message('create', junk(rng) ?? {}, `new-${requestId}`));
    }
    return frame('bad create', message('create', params, `new-${requestId}`));
  }
  if (r < 0.76) {
    const envelope: Record<string, unknown> = message(readMethod(), validParams('query'));
    switch (int(rng, 0, 7)) {
      case 0: envelope.method = pick(rng, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'frobnicate', '', 'QUERY', 'x'.repeat(41)]); return frame('envelope', envelope);
      case 1: envelope.version = pick(rng, ['1.0.0', '', 17, null]); return frame('envelope', envelope);
      case 2: envelope.connectionId = `unknown-${requestId}`; return frame('envelope', envelope);
      case 3: own(envelope, pick(rng, ['extra', 'answerTo', ...PROTO_KEYS]), junk(rng) ?? 1); return frame('envelope', envelope);
      case 4: delete envelope[pick(rng, ['connectionId', 'requestId', 'method', 'version', 'params'])]; return frame('envelope', envelope, false);
      case 5: envelope[pick(rng, ['connectionId', 'requestId'])] = pick(rng, [1, null, [], {}, '', 'x'.repeat(201)]); return frame('envelope', envelope, false);
      case 6: return frame('envelope', pick(rng, [null, 42, 'query', [envelope], true]), false);
      default: envelope.method = junk(rng); return frame('envelope', envelope, false);
    }
  }
  if (r < 0.82) {
    const key = pick(rng, PROTO_KEYS);
    const text = pick(rng, [
      `{"connectionId":"${connectionId}","requestId":"${requestId}","method":"query","version":"${ctx.version}","params":[{"query":{"selector":{"${key}":{"polluted":true}},"sort":[{"id":"asc"}]},"queryPlan":{}}]}`,
      `{"connectionId":"${connectionId}","requestId":"${requestId}","method":"findDocumentsById","version":"${ctx.version}","params":[["a"],false],"${key}":{"method":"remove"}}`,
      `{"connectionId":"${connectionId}","requestId":"${requestId}","method":"create","version":"${ctx.version}","params":{"${key}":{"collectionName":"jobs"},"databaseName":"frontdesk"}}`,
    ]);
    return { kind: 'prototype keys', data: text, id: requestId };
  }
  if (r < 0.86) {
    const head = `{"connectionId":"${connectionId}","requestId":"${requestId}","method":"query","version":"${ctx.version}","params":[{"query":{"selector":{"id":`;
    return { kind: 'deep', data: `${head}${deepText(rng, deepDepth(rng))}},"sort":[{"id":"asc"}]},"queryPlan":{}}]}`, id: requestId };
  }
  if (r < 0.9) {
    const huge = rng() < 0.5 ? [Array.from({ length: int(rng, 10_001, 30_000) }, (_, i) => `id-${i}`), false] : [['x'.repeat(int(rng, 501, 200_000))], false];
    return frame('huge', message('findDocumentsById', huge));
  }
  if (r < 0.95) return { kind: 'not JSON', data: mangleText(rng, JSON.stringify(message('count', validParams('count')))) };
  if (r < 0.98) {
    return rng() < 0.5
      ? { kind: 'binary', data: randomBytes(rng, int(rng, 0, 2000)), binary: true }
      : { kind: 'binary', data: Buffer.from(JSON.stringify(message('count', validParams('count')))), binary: true, id: requestId };
  }
  const head = `{"connectionId":"${connectionId}","requestId":"${requestId}","method":"findDocumentsById","version":"${ctx.version}","params":[["`;
  return { kind: 'oversized', data: oversized(rng, head, '"],false]}'), id: requestId };
}

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$size', '$type', '$mod', '$not', '$elemMatch', '$regex', '$options', '$where', '$expr', '$function', '$text', '$all', '$foo', '__proto__'];

function junkSelector(rng: Rng, fields: string[], depth: number): unknown {
  if (rng() < 0.1) return junk(rng);
  const selector: Record<string, unknown> = {};
  for (let i = int(rng, 1, 4); i > 0; i--) {
    const r = rng();
    if (r < 0.2 && depth < 12) own(selector, pick(rng, ['$and', '$or', '$nor', '$not']), Array.from({ length: int(rng, 0, 3) }, () => junkSelector(rng, fields, depth + 1)));
    else {
      const field = rng() < 0.7 && fields.length > 0 ? pick(rng, fields) : pick(rng, ['nope', 'a.b.c', '$x', '', 'x'.repeat(300), ...PROTO_KEYS]);
      const condition = rng() < 0.3 ? junk(rng) : own({}, pick(rng, OPERATORS), rng() < 0.2 ? '(a+)+$' : junk(rng));
      own(selector, field, condition);
    }
  }
  return selector;
}
