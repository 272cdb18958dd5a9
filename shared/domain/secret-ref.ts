/**
 * A secret reference names a secret in the host's encrypted store (`smtp:<locationId>`, later `sms:<locationId>`,
 * `sync:<locationId>`). Documents carry only the reference, never the secret. The pattern — a lower-case kind, a
 * colon, a name of safe characters — is checked by the RxDB schemas and by the store itself, so no reference can be
 * `__proto__`, `constructor` or any other key an object inherits.
 */
export const SECRET_REF_PATTERN = '^[a-z][a-z0-9]{0,31}:[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
export const SECRET_REF_MAX_LENGTH = 161;

const SECRET_REF = new RegExp(SECRET_REF_PATTERN);

export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SECRET_REF_MAX_LENGTH && SECRET_REF.test(value);
}

export const secretRefField = { type: 'string', pattern: SECRET_REF_PATTERN, maxLength: SECRET_REF_MAX_LENGTH } as const;
