/**
 * What domain rules answer when they refuse something: every problem found, each with a stable dotted code the UI
 * translates, the request field it belongs to and the values its text needs. The same shape travels in API errors
 * (`ErrorIssue` in shared/ipc/result.ts), so a host command passes these on unchanged.
 */
import type { ErrorIssue, ErrorParams } from '../ipc/result.ts';

export type Issue = ErrorIssue;

/** An issue; `message` is the English fallback for logs and for a UI that does not know the code yet. */
export function issue(code: string, field: string | undefined, message: string, params?: ErrorParams): Issue {
  return { code, message, ...(field !== undefined ? { field } : {}), ...(params !== undefined ? { params } : {}) };
}

/** Prefixes issue fields, so a rule written for `firstName` reports `client.firstName` inside a bigger request. */
export function underField(prefix: string, issues: readonly Issue[]): Issue[] {
  if (prefix === '') return [...issues];
  return issues.map((i) => ({ ...i, field: i.field === undefined || i.field === '' ? prefix : `${prefix}.${i.field}` }));
}
