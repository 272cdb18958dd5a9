/**
 * Documents from the endpoint are input like any other (DESIGN §5): each is checked against its collection's schema
 * and a few domain invariants before RxDB may write it. RxDB's replication writes pulled documents to the storage
 * underneath the validating wrapper, so this check is the only one they get. A document that fails is quarantined —
 * kept aside in the data folder and reported in the sync status — and never reaches the book, the engine or a client.
 */
import { appendFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import { collections, type CollectionName } from '../../../shared/domain/collections.ts';
import { jobId, type Job } from '../../../shared/domain/job.ts';
import type { Location } from '../../../shared/domain/location.ts';
import { audienceOf, notificationSettingsId, type NotificationSettings } from '../../../shared/domain/notification-settings.ts';
import { isCurrency, isTimeZone, isWebLink } from '../../../shared/domain/location-input.ts';
import type { QuarantineCode, QuarantinedDocument } from '../../../shared/sync/sync-status.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { settingsIssues } from '../commands/settings-commands.ts';
import { validatorOf } from '../db/schema-validators.ts';

/** Far above any document FrontDesk writes (an appointment with 500 history entries is ~100 kB). */
const MAX_DOC_BYTES = 512 * 1024;
const ALLOWED_COUCH_FIELDS = new Set(['_id', '_rev', '_deleted']);

/** Why a document was refused: a code and parameters the desk translates, and the English sentence for the log. */
export interface Refusal {
  code: QuarantineCode;
  reason: string;
  params?: Record<string, string | number>;
}
export type Verdict = { ok: true } | ({ ok: false } & Refusal);

function refuse(code: QuarantineCode, reason: string, params?: Record<string, string | number>): Verdict {
  return { ok: false, code, reason, ...(params ? { params } : {}) };
}

/** A deletion from the endpoint: refused in the feed and in the check alike. */
export const DELETED: Refusal = { code: 'sync.refused.deleted', reason: 'deleted on the endpoint; FrontDesk keeps its copy' };
export type IncomingCheck = (doc: unknown) => Verdict;

const validators = new Map<CollectionName, (doc: unknown) => unknown[]>();

function schemaValidator(collection: CollectionName): (doc: unknown) => unknown[] {
  let validator = validators.get(collection);
  if (!validator) {
    const schema = collections[collection].schema as unknown as { properties: Record<string, unknown> };
    // Compiled as the database's own validators are, without the meta-schema check (first check 76-99 -> 42-60 ms).
    validator = validatorOf({ ...schema, properties: { ...schema.properties, _deleted: { type: 'boolean' } } } as never);
    validators.set(collection, validator);
  }
  return validator;
}

function describeErrors(errors: unknown[]): string {
  return errors
    .slice(0, 3)
    .map((e) => {
      const error = e as { instancePath?: string; message?: string };
      return `${error.instancePath || '(document)'} ${error.message ?? 'is invalid'}`;
    })
    .join('; ');
}

/** Invariants the schema cannot state. */
function domainCheck(collection: CollectionName, doc: Record<string, unknown>): Verdict {
  const inconsistent = (details: string) => refuse('sync.refused.inconsistent', details, { details });
  if (collection === 'appointments') {
    const a = doc as unknown as Appointment;
    if (Date.parse(a.start) !== a.startMs) return inconsistent('startMs does not match start');
    if (Date.parse(a.end) <= a.startMs) return inconsistent('the appointment ends before it starts');
  }
  if (collection === 'jobs') {
    const job = doc as unknown as Job;
    if (job.id !== jobId(job)) return inconsistent('the job id does not match its type, subject, occasion and channel');
    // Planning keys every job by its id; providers that drop duplicates (and an email's Message-ID) go by the key, so a
    // peer's other key would let a send resumed after a crash reach the recipient twice.
    if (job.idempotencyKey !== job.id) return inconsistent('the job idempotency key is not its id');
  }
  if (collection === 'locations') {
    const details = locationCheck(doc as unknown as Location);
    if (details) return refuse('sync.refused.location', details, { details });
  }
  if (collection === 'notification_settings') {
    const details = settingsCheck(doc as unknown as NotificationSettings);
    if (details) return refuse('sync.refused.settings', details, { details });
  }
  if ((collection === 'delivery_log' || collection === 'team_events') && Date.parse(doc.at as string) !== doc.atMs) return inconsistent('atMs does not match at');
  return { ok: true };
}

/**
 * What the location form refuses and every message of the location depends on: a time zone or locale Intl does not
 * know made the engine fail on every booking and every send of the location (a peer's `Mars/Olympus` stopped all its
 * messages), and a link that is not http(s) would go out in review requests.
 */
function locationCheck(location: Location): string | undefined {
  if (!isTimeZone(location.timeZone)) return `unknown time zone ${location.timeZone.slice(0, 64)}`;
  if (!isCurrency(location.currency)) return `unknown currency ${location.currency}`;
  if (!isLocale(location.locale)) return `unknown locale ${location.locale.slice(0, 35)}`;
  for (const field of ['bookingUrl', 'reviewUrl'] as const) {
    const link = location[field];
    if (link !== undefined && !isWebLink(link)) return `${field} is not an http(s) web address`;
  }
  return undefined;
}

/**
 * The settings screen's own rules (settings.save): a peer's template with an unknown placeholder or a broken brace
 * went out to clients as written ("Hi {{evil}}"), and a document filed under another type's id shadowed that type.
 */
function settingsCheck(settings: NotificationSettings): string | undefined {
  if (settings.id !== notificationSettingsId(settings.locationId, settings.type)) return `filed as ${settings.id.slice(0, 80)}, not as the ${settings.type} settings of its location`;
  if (settings.audience !== audienceOf(settings.type)) return `audience ${settings.audience} for ${settings.type}`;
  const issues = settingsIssues(settings as unknown as Parameters<typeof settingsIssues>[0]);
  return issues.length > 0 ? issues.slice(0, 3).map((issue) => issue.message.slice(0, 200)).join('; ') : undefined;
}

function isLocale(locale: string): boolean {
  try {
    new Intl.DateTimeFormat(locale);
    new Intl.NumberFormat(locale);
    return true;
  } catch {
    return false;
  }
}

/**
 * The check for one collection of one location, on CouchDB's form of a document (`_id`, `_rev`). Deletions are
 * refused too: FrontDesk never deletes these documents, so a deletion from the endpoint would only lose data.
 */
export function incomingCheck(collection: CollectionName, locationId: string): IncomingCheck {
  const validate = schemaValidator(collection);
  return (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('sync.refused.notObject', 'not a JSON object');
    const couch = raw as Record<string, unknown>;
    if (typeof couch._id !== 'string' || couch._id.length === 0) return refuse('sync.refused.noId', 'no _id');
    if (couch._id.startsWith('_design/')) return refuse('sync.refused.design', 'a design document in a FrontDesk database');
    if (couch._deleted === true) return { ok: false, ...DELETED };
    const size = JSON.stringify(raw).length;
    if (size > MAX_DOC_BYTES) return refuse('sync.refused.tooLarge', `too large (${size} bytes)`, { bytes: size, max: MAX_DOC_BYTES });
    const doc: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(couch)) {
      if (key.startsWith('_')) {
        if (!ALLOWED_COUCH_FIELDS.has(key)) return refuse('sync.refused.field', `unexpected field ${key.slice(0, 40)}`, { field: key.slice(0, 40) });
        continue;
      }
      doc[key] = value;
    }
    if ('id' in doc) return refuse('sync.refused.ownId', 'carries its own id field besides _id');
    doc.id = couch._id;
    const errors = validate(doc);
    if (errors.length > 0) return refuse('sync.refused.invalid', describeErrors(errors), { details: describeErrors(errors) });
    const ownLocation = collection === 'locations' ? doc.id : doc.locationId;
    if (ownLocation !== locationId) return refuse('sync.refused.otherLocation', `belongs to location ${String(ownLocation).slice(0, 60)}, not ${locationId}`, { location: String(ownLocation).slice(0, 60) });
    return domainCheck(collection, doc);
  };
}

const KEEP_IN_MEMORY = 20;
const FILE_CAP_BYTES = 5 * 1024 * 1024;
/** Revisions remembered as reported; past it the oldest are forgotten (a flood of refusals must not fill memory). */
const SEEN_CAP = 50_000;

/** Refused documents: the last few in memory for the status, all (up to 5 MB) in `sync-quarantine.jsonl`. */
export class Quarantine {
  readonly #file: string;
  readonly #clock: Clock;
  readonly #onChange: () => void;
  readonly #recent: QuarantinedDocument[] = [];
  readonly #seen = new Set<string>();
  #writes: Promise<void> = Promise.resolve();
  #fileFull = false;
  count = 0;

  constructor(dataDir: string, clock: Clock, onChange: () => void) {
    this.#file = path.join(dataDir, 'sync-quarantine.jsonl');
    this.#clock = clock;
    this.#onChange = onChange;
  }

  recent(): QuarantinedDocument[] {
    return [...this.#recent];
  }

  add(collection: string, raw: unknown, refusal: Refusal): void {
    const id = typeof (raw as { _id?: unknown })?._id === 'string' ? ((raw as { _id: string })._id).slice(0, 128) : '(no id)';
    const rev = typeof (raw as { _rev?: unknown })?._rev === 'string' ? (raw as { _rev: string })._rev.slice(0, 80) : '';
    // The same revision comes again on every re-read of the feed: report it once.
    const key = `${collection}|${id}|${rev}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    if (this.#seen.size > SEEN_CAP) this.#seen.delete(this.#seen.values().next().value!);
    this.count++;
    const params = refusal.params ? Object.fromEntries(Object.entries(refusal.params).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 300) : v])) : undefined;
    const entry: QuarantinedDocument = { collection, id, code: refusal.code, reason: refusal.reason.slice(0, 300), ...(params ? { params } : {}), at: new Date(this.#clock.now()).toISOString() };
    this.#recent.unshift(entry);
    this.#recent.length = Math.min(this.#recent.length, KEEP_IN_MEMORY);
    // Once the file is full, nothing more is written (nor kept waiting for it): the count and the status go on.
    if (!this.#fileFull) {
      const line = `${JSON.stringify({ ...entry, rev, document: truncate(raw) })}\n`;
      this.#writes = this.#writes.then(async () => {
        if (this.#fileFull) return;
        const size = await stat(this.#file).then((s) => s.size, () => 0);
        if (size + line.length <= FILE_CAP_BYTES) await appendFile(this.#file, line, { mode: 0o600 });
        else this.#fileFull = true;
      }).catch(() => undefined);
    }
    this.#onChange();
  }

  flush(): Promise<void> {
    return this.#writes;
  }
}

function truncate(raw: unknown): unknown {
  const text = JSON.stringify(raw) ?? 'undefined';
  return text.length <= 8192 ? raw : `${text.slice(0, 8192)}…`;
}
