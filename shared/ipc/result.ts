/** Every API call answers with one of these; errors carry a stable code and a message a person can act on. */
export const API_ERROR_CODES = [
  'unknown_channel',
  'invalid_request',
  'invalid_response',
  'forbidden',
  'unauthorized',
  'not_found',
  'conflict',
  'unavailable',
  'handler_failed',
  'transport_failed',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Thrown by handlers (and by the client) to answer with a specific code instead of `handler_failed`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export function ok<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

export function fail(code: ApiErrorCode, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}
