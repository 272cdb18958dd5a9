/**
 * RxDB remote-storage messages from a peer, checked completely before anything acts on them: the message is bounded
 * plain JSON (json-limits.ts), the envelope has exactly RxDB's fields, the method is one the hub serves, and the
 * params have the shape RxDB sends for it, with bounded sizes. Anything else becomes a refusal that names the problem.
 *
 * Methods the hub serves: `create` (open one of the host's collections, exact schema), the reads `query`, `count`,
 * `findDocumentsById`, `getChangedDocumentsSince`, and `close`. Change events flow host → peer only. The channel is
 * read-only: `bulkWrite`, `remove` and `cleanup` are refused (the renderer changes data through the host's commands),
 * and so are `getAttachmentData` and `custom`.
 */
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { z } from 'zod';
import { checkJsonValue, REQUEST_LIMITS, type JsonProblem } from '../../../shared/ipc/json-limits.ts';
import { formatIssues } from '../../../shared/ipc/format-issues.ts';

export const MAX_IDS_PER_REQUEST = 10_000;
export const MAX_CHANGES_PER_REQUEST = 10_000;

/** Why a message was refused; `forbidden` for methods a peer may never call, the rest for malformed input. */
export type RefusalCode = JsonProblem['code'] | 'forbidden';

export interface Envelope {
  connectionId: string;
  requestId: string;
  method: string;
}

export interface CreateParams {
  databaseName: string;
  collectionName: string;
  schema: Record<string, unknown>;
}

export type StorageRequest =
  | { method: 'create'; params: CreateParams }
  | { method: 'query' | 'count'; query: unknown }
  | { method: 'findDocumentsById'; ids: string[]; withDeleted: boolean }
  | { method: 'getChangedDocumentsSince'; limit: number; checkpoint: { id: string; lwt: number } | undefined }
  | { method: 'close' };

export type ParsedStorageMessage =
  | { ok: true; envelope: Envelope; request: StorageRequest }
  /** `envelope` is absent when the message has no usable connection and request id to answer to. */
  | { ok: false; envelope: Envelope | undefined; code: RefusalCode; message: string };

const shortId = z.string().min(1).max(200);
const envelopeSchema = z.object({ connectionId: shortId, requestId: shortId, method: z.string().max(40), version: z.string().max(40), params: z.unknown() }).strict();
const plainObject = z.record(z.string(), z.unknown());

const paramsSchemas = {
  create: z
    .object({
      databaseInstanceToken: z.string().max(200).optional(),
      databaseName: z.string().max(200),
      collectionName: z.string().max(200),
      schema: plainObject,
      options: z.object({}).strict().optional(),
      multiInstance: z.boolean().optional(),
      devMode: z.boolean().optional(),
      // Encrypted storage is not offered; IPC keeps RxDB's `password: undefined`, JSON drops it.
      password: z.undefined().optional(),
    })
    .strict(),
  // RxDB sends a PreparedQuery; its plan is ignored (the host plans the query itself, see query-check.ts).
  query: z.tuple([z.object({ query: z.unknown(), queryPlan: z.unknown() }).strict()]),
  findDocumentsById: z.tuple([z.array(z.string().max(500)).max(MAX_IDS_PER_REQUEST), z.boolean()]),
  // JSON turns a missing checkpoint (`undefined` in the array) into null.
  getChangedDocumentsSince: z.tuple([
    z.number().int().min(1).max(MAX_CHANGES_PER_REQUEST),
    z.object({ id: z.string().max(500), lwt: z.number().min(0) }).strict().nullable().optional(),
  ]),
  close: z.tuple([]),
};

const REFUSED: Record<string, string> = {
  bulkWrite: 'The storage channel is read-only: the app changes data through the host\'s commands.',
  remove: 'Removing a collection through the storage channel is not allowed; the host owns the database.',
  cleanup: 'Cleaning up deleted documents through the storage channel is not allowed; the host owns the database.',
  getAttachmentData: 'FrontDesk documents have no attachments.',
  custom: 'Custom requests are not part of the storage channel.',
  changeStream: 'Change events flow from the host to the page; they cannot be sent to the host.',
};

export function parseStorageMessage(raw: unknown): ParsedStorageMessage {
  const envelope = answerableEnvelope(raw);
  const refuse = (code: RefusalCode, message: string): ParsedStorageMessage => ({ ok: false, envelope, code, message: clip(message) });

  const problem = checkJsonValue(raw, REQUEST_LIMITS);
  if (problem) return refuse(problem.code, `Storage message refused: ${problem.message}.`);
  const parsedEnvelope = envelopeSchema.safeParse(raw);
  if (!parsedEnvelope.success) {
    return refuse('invalid_request', `Malformed storage message: expected {connectionId, requestId, method, version, params} (${formatIssues(parsedEnvelope.error.issues)}).`);
  }
  const { method, version, params } = parsedEnvelope.data;
  if (Object.hasOwn(REFUSED, method)) return refuse('forbidden', REFUSED[method]!);
  if (version !== RXDB_VERSION) {
    return refuse('invalid_request', `This page speaks RxDB ${version.slice(0, 40)} but the host runs ${RXDB_VERSION}: reload the page.`);
  }
  const schemaKey = method === 'count' ? 'query' : method;
  if (!Object.hasOwn(paramsSchemas, schemaKey)) {
    return refuse('invalid_request', `Unknown storage method "${method.slice(0, 40)}".`);
  }
  const parsed = paramsSchemas[schemaKey as keyof typeof paramsSchemas].safeParse(params);
  if (!parsed.success) return refuse('invalid_request', `Invalid params for ${method}: ${formatIssues(parsed.error.issues)}.`);
  const ok = (request: StorageRequest): ParsedStorageMessage => ({ ok: true, envelope: envelope!, request });

  switch (method) {
    case 'create': {
      const p = parsed.data as z.infer<typeof paramsSchemas.create>;
      return ok({ method, params: { databaseName: p.databaseName, collectionName: p.collectionName, schema: p.schema } });
    }
    case 'query':
    case 'count':
      return ok({ method, query: (parsed.data as z.infer<typeof paramsSchemas.query>)[0].query });
    case 'findDocumentsById': {
      const [ids, withDeleted] = parsed.data as z.infer<typeof paramsSchemas.findDocumentsById>;
      return ok({ method, ids, withDeleted });
    }
    case 'getChangedDocumentsSince': {
      const [limit, checkpoint] = parsed.data as z.infer<typeof paramsSchemas.getChangedDocumentsSince>;
      return ok({ method, limit, checkpoint: checkpoint ?? undefined });
    }
    default:
      return ok({ method: 'close' });
  }
}

/** Refusals quote what they refuse (unknown keys, values); keep that short whatever arrived. */
function clip(message: string): string {
  return message.length > 600 ? `${message.slice(0, 600)}…` : message;
}

/** The ids to answer to, read without trusting anything else in the message. */
function answerableEnvelope(raw: unknown): Envelope | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { connectionId, requestId, method } = raw as Record<string, unknown>;
  if (!isShortId(connectionId) || !isShortId(requestId)) return undefined;
  return { connectionId, requestId, method: typeof method === 'string' && /^[A-Za-z]{1,40}$/.test(method) ? method : 'unknown' };
}

function isShortId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200;
}

/**
 * A frame too large to read: its ids come from its first bytes (RxDB writes connectionId, requestId and method before
 * the params), so the refusal can still answer the request.
 */
export function peekEnvelope(head: string): Envelope | undefined {
  const read = (key: string) => new RegExp(`"${key}"\\s*:\\s*"([^"\\\\]{1,200})"`).exec(head)?.[1];
  const connectionId = read('connectionId');
  const requestId = read('requestId');
  if (!connectionId || !requestId) return undefined;
  const method = read('method');
  return { connectionId, requestId, method: method && /^[A-Za-z]{1,40}$/.test(method) ? method : 'unknown' };
}
