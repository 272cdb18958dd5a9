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
  'too_large',
  'handler_failed',
  'transport_failed',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Values an error text is filled with: names, times, counts. Never documents or secrets. */
export type ErrorParams = Record<string, string | number>;

/**
 * One thing to fix. `code` is a stable dotted key the renderer translates (e.g. `appointment.endBeforeStart`,
 * `client.phone.invalid`), filled with `params`; `field` is the request path a form attaches it to (never shown to
 * people); `message` is the English fallback for logs and for codes a renderer does not know yet.
 */
export interface ErrorIssue {
  code: string;
  message: string;
  field?: string;
  params?: ErrorParams;
}

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** A stable dotted key for the whole error (like an issue's code), when there is one. */
  reason?: string;
  params?: ErrorParams;
  /** Field-level problems; a refused command lists every one it found, so a form can show them all at once. */
  issues?: ErrorIssue[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

export interface ApiErrorDetails {
  reason?: string;
  params?: ErrorParams;
  issues?: ErrorIssue[];
}

/** Thrown by handlers (and by the client) to answer with a specific code instead of `handler_failed`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly reason: string | undefined;
  readonly params: ErrorParams | undefined;
  readonly issues: ErrorIssue[] | undefined;
  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = details.reason;
    this.params = details.params;
    this.issues = details.issues;
  }

  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.params !== undefined ? { params: this.params } : {}),
      ...(this.issues !== undefined ? { issues: this.issues } : {}),
    };
  }
}

export function ok<T>(value: T): ApiResult<T> {
  return { ok: true, value };
}

export function fail(code: ApiErrorCode, message: string, details: ApiErrorDetails = {}): ApiResult<never> {
  return { ok: false, error: new ApiError(code, message, details).toBody() };
}
