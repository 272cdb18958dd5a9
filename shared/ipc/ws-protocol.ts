/** The web mode's WebSocket message shapes (the renderer's transport speaks the same). */
import { z } from 'zod';
import type { HostEvent } from './contract.ts';
import type { ApiErrorCode, ApiResult } from './result.ts';

export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_FORBIDDEN_ORIGIN = 4403;

const clientMessageSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  payload: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export function parseClientMessage(text: string): { message: ClientMessage } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (!parsed.success) return { error: 'expected {id: number, channel: string, payload}' };
  return { message: parsed.data };
}

export const serverMessage = {
  ready: () => JSON.stringify({ type: 'ready' }),
  result: (id: number, result: ApiResult<unknown>) => JSON.stringify({ type: 'result', id, result }),
  event: (event: HostEvent) => JSON.stringify({ type: 'event', event }),
  error: (code: ApiErrorCode, message: string) => JSON.stringify({ type: 'error', error: { code, message } }),
};

/** What the host sends; the renderer's transport parses these. */
export type ServerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: ApiResult<unknown> }
  | { type: 'event'; event: HostEvent }
  | { type: 'error'; error: { code: ApiErrorCode; message: string } };
