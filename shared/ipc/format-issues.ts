import type { z } from 'zod';

/** Turns schema issues into one sentence that names each offending field, e.g. `echo: expected string`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
