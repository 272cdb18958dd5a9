/**
 * Compiled validators of the collections' schemas, shared by every database opened in the process (as RxDB's own
 * wrapper shares them) and by the sync's incoming check.
 */
import type { RxJsonSchema } from 'rxdb';
import { getAjv } from 'rxdb/plugins/validate-ajv';

/** Compiled validators by schema (as JSON): every database opened in the process shares them, as RxDB's wrapper does. */
const VALIDATORS = new Map<string, (document: unknown) => unknown[]>();

/**
 * RxDB's validator (its ajv instance: the same keywords, formats and errors), compiled without checking the schema
 * against JSON Schema's meta-schema first. That check compiled the meta-schema itself at the first validated write in
 * the process — about 320 ms of a 480 ms compile, in the middle of whatever command came first (a settings save then
 * re-planned a book 0.3 s later). The collections' schemas are this build's own and do not change at run time: the
 * meta-schema check runs in the tests instead (open-database.test.ts).
 */
function compileValidator(schema: RxJsonSchema<unknown>, key: string): (document: unknown) => unknown[] {
  const ajv = getAjv();
  ajv.addSchema(schema, key, false, false);
  const validate = ajv.getSchema(key)!;
  return (document) => (validate(document) ? [] : (validate.errors ?? []));
}

/** How many validators the process has compiled (a test sees a compile happen or not). */
export function compiledValidatorCount(): number {
  return VALIDATORS.size;
}

export function validatorOf(schema: RxJsonSchema<unknown>): (document: unknown) => unknown[] {
  const key = JSON.stringify(schema);
  let validator = VALIDATORS.get(key);
  if (!validator) VALIDATORS.set(key, (validator = compileValidator(schema, `frontdesk-validator-${VALIDATORS.size}`)));
  return validator;
}

