/**
 * The same expression as ajv-formats' "email" (full mode), which the database validator applies: an address the UI
 * accepts is never refused by the database, and the reverse.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export type EmailResult = { ok: true; email: string } | { ok: false; error: string };

/** Trims and lower-cases the domain (the local part is case-sensitive by the RFC, so it is kept). */
export function normalizeEmail(input: string): EmailResult {
  const value = input.trim();
  if (value === '') return { ok: false, error: 'email address is empty' };
  const at = value.lastIndexOf('@');
  if (at <= 0) return { ok: false, error: `email address "${value}" needs a name before "@" and a domain after it` };
  const normalized = value.slice(0, at) + '@' + value.slice(at + 1).toLowerCase();
  if (!isValidEmail(normalized)) {
    return { ok: false, error: `email address "${value}" is not valid (expected like name@example.com)` };
  }
  return { ok: true, email: normalized };
}
