/**
 * Turns RxDB schema-validation failures (VD2 on insert, COL20 on update, a 422 row of a bulk write) into messages
 * that name the field, e.g. `clients.email: must match format email`. Isomorphic: the renderer receives the same
 * errors through the IPC/remote storage and shows them inline.
 */

/** The part of an ajv error object this needs (ajv is what RxDB's validate-ajv plugin uses). */
export interface SchemaValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export interface FieldIssue {
  collection: string;
  /** Dotted path with array indexes, e.g. `history[0].kind`; empty for the document itself. */
  field: string;
  message: string;
}

export class DocumentValidationError extends Error {
  readonly issues: FieldIssue[];
  readonly documentId: string | undefined;
  constructor(issues: FieldIssue[], documentId: string | undefined, options?: { cause?: unknown }) {
    super(issues.map(issueToText).join('; '), options);
    this.name = 'DocumentValidationError';
    this.issues = issues;
    this.documentId = documentId;
  }
}

export function issueToText(issue: FieldIssue): string {
  const where = issue.field === '' ? issue.collection : `${issue.collection}.${issue.field}`;
  return `${where}: ${issue.message}`;
}

function pointerToPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(seg) ? `[${seg}]` : path === '' ? seg : `.${seg}`;
  }
  return path;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function describeIssue(collection: string, e: SchemaValidationIssue): FieldIssue {
  const path = pointerToPath(e.instancePath ?? '');
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return { collection, field: join(path, String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { collection, field: join(path, String(p.additionalProperty)), message: 'is not a known field' };
    case 'format':
      return { collection, field: path, message: `must match format ${String(p.format)}` };
    case 'enum': {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.map(String).join(', ') : '';
      return { collection, field: path, message: `must be one of: ${allowed}` };
    }
    case 'pattern':
      return { collection, field: path, message: `must match pattern ${String(p.pattern)}` };
    default:
      return { collection, field: path, message: e.message ?? `fails schema rule "${e.keyword ?? '?'}"` };
  }
}

interface WriteErrorLike {
  status?: number;
  documentId?: string;
  validationErrors?: SchemaValidationIssue[];
  schema?: { title?: unknown };
}

/**
 * The field issues of a validation failure, or undefined if `err` is not one. Accepts the RxError thrown by
 * `insert` (VD2), by document updates (COL20), and the `{status: 422, validationErrors}` rows `bulkInsert` returns.
 */
export function validationIssuesOf(err: unknown, collectionHint = 'document'): FieldIssue[] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as {
    code?: unknown;
    parameters?: { collection?: unknown; writeError?: WriteErrorLike };
  } & WriteErrorLike;
  let collection = collectionHint;
  let row: WriteErrorLike | undefined;
  // insert() throws VD2 naming the collection; document updates throw COL20 without it, so the schema title (which
  // every FrontDesk schema sets to its collection name) names it instead.
  if (e.parameters?.writeError?.status === 422) {
    row = e.parameters.writeError;
    if (typeof e.parameters.collection === 'string') collection = e.parameters.collection;
    else if (typeof row.schema?.title === 'string') collection = row.schema.title;
  } else if (e.status === 422) {
    row = e;
    if (typeof row.schema?.title === 'string' && collectionHint === 'document') collection = row.schema.title;
  }
  const list = row?.validationErrors;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.map((v) => describeIssue(collection, v));
}

/** "clients.email: must match format email; clients.language: must be one of: en, ru", or undefined. */
export function validationMessage(err: unknown, collectionHint?: string): string | undefined {
  return validationIssuesOf(err, collectionHint)?.map(issueToText).join('; ');
}

/**
 * Rethrow helper: a validation failure becomes a DocumentValidationError with the field named; anything else is
 * returned unchanged.
 */
export function toDocumentValidationError(err: unknown, collectionHint?: string): unknown {
  const issues = validationIssuesOf(err, collectionHint);
  if (issues === undefined) return err;
  const e = err as { parameters?: { id?: unknown; writeError?: { documentId?: string } }; documentId?: string };
  const id = typeof e.parameters?.id === 'string' ? e.parameters.id : (e.parameters?.writeError?.documentId ?? e.documentId);
  return new DocumentValidationError(issues, id, { cause: err });
}
