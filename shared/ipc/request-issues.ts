/**
 * A request the schema refused, as issues a form can show next to its inputs: the field path, a stable code
 * (`request.tooLong`, `request.required`, …) with the bound it broke, and the schema's English text as fallback.
 */
import type { z } from 'zod';
import type { ErrorIssue, ErrorParams } from './result.ts';

/** A refused request lists at most this many issues: enough for any form, small for any payload. */
export const MAX_REQUEST_ISSUES = 20;

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}

export function requestIssues(issues: readonly z.core.$ZodIssue[]): ErrorIssue[] {
  return issues.slice(0, MAX_REQUEST_ISSUES).map((i) => {
    const field = fieldPath(i.path);
    const message = `${field || '(request)'}: ${i.message}`.slice(0, 300);
    const params: ErrorParams = {};
    let code = 'request.invalid';
    if (i.code === 'too_big') {
      code = i.origin === 'string' ? 'request.tooLong' : i.origin === 'array' ? 'request.tooMany' : 'request.tooBig';
      params.max = Number(i.maximum);
    } else if (i.code === 'too_small') {
      code = i.origin === 'string' && Number(i.minimum) === 1 ? 'request.required' : i.origin === 'string' ? 'request.tooShort' : i.origin === 'array' ? 'request.tooFew' : 'request.tooSmall';
      params.min = Number(i.minimum);
    } else if (i.code === 'invalid_format') {
      code = 'request.format';
    }
    return { code, field, message, params };
  });
}
