/** The web mode's WebSocket message shapes (the renderer's transport speaks the same). */
import { z } from 'zod';
import type { HostEvent } from './contract.ts';
import { MAX_REQUEST_BYTES, tooLarge, type JsonProblem } from './json-limits.ts';
import { fail, type ApiErrorCode, type ApiResult, type ErrorParams } from './result.ts';

export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_FORBIDDEN_ORIGIN = 4403;

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const clientMessageSchema = z.object({ id: requestId, channel: z.string().max(200), payload: z.unknown() }).strict();
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** What a frame from a client turned out to be: a call, or a refusal to send (to the call's id when it could be read). */
export type ParsedFrame = { message: ClientMessage } | { refusal: JsonProblem; id?: number };

/**
 * Reads one text frame the transport already found within MAX_REQUEST_BYTES (see `frameRefusal` for the others):
 * non-JSON is refused, and so is any shape other than a call, to the call's id when one can be read. The payload
 * itself is checked by the router (size, depth, plain JSON, no prototype keys) and then by the channel's schema.
 */
export function parseClientMessage(text: string): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return withId({ code: 'invalid_request', message: 'Malformed API message: not JSON.' }, peekRequestId(text.slice(0, 64)));
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) {
    const id = requestId.safeParse((json as { id?: unknown } | null)?.id);
    return withId({ code: 'invalid_request', message: 'Malformed API message: expected {id: number, channel: string, payload}.' }, id.success ? id.data : undefined);
  }
  return { message: parsed.data };
}

/**
 * A frame that is not read at all: larger than MAX_REQUEST_BYTES, or binary. `head` is its first bytes, where the
 * renderer's transport writes the id, so the refusal can still answer that call.
 */
export function frameRefusal(size: number, isBinary: boolean, head: string): ParsedFrame | undefined {
  if (size > MAX_REQUEST_BYTES) return withId(tooLarge(MAX_REQUEST_BYTES, size), peekRequestId(head));
  if (isBinary) return withId({ code: 'invalid_request', message: 'Malformed API message: binary frames are not part of the API protocol.' }, peekRequestId(head));
  return undefined;
}

function withId(refusal: JsonProblem, id: number | undefined): ParsedFrame {
  return id === undefined ? { refusal } : { refusal, id };
}

/** `{"id":12,…` — the renderer's transport always writes the id first. */
export function peekRequestId(head: string): number | undefined {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(head);
  return match ? Number(match[1]) : undefined;
}

export const serverMessage = {
  ready: () => JSON.stringify({ type: 'ready' }),
  result: (id: number, result: ApiResult<unknown>) => JSON.stringify({ type: 'result', id, result }),
  event: (event: HostEvent) => JSON.stringify({ type: 'event', event }),
  /** `reason` (a key the renderer translates, `error.<reason>`) and `params` say why a socket is refused in the desk's language. */
  error: (code: ApiErrorCode, message: string, why?: { reason: string; params?: ErrorParams }) => JSON.stringify({ type: 'error', error: { code, message, ...why } }),
  /** The answer to a frame that is not a call: to its id when it had one, else a protocol error. */
  refusal: (frame: { refusal: JsonProblem; id?: number }) =>
    frame.id === undefined ? serverMessage.error(frame.refusal.code, frame.refusal.message) : serverMessage.result(frame.id, fail(frame.refusal.code, frame.refusal.message)),
};

/** What the host sends; the renderer's transport parses these. */
export type ServerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'event'; event: HostEvent }
  | { type: 'error'; error: { code: ApiErrorCode; message: string; reason?: string; params?: ErrorParams } };
