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
import type { QuarantinedDocument } from '../../../shared/sync/sync-status.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { settingsIssues } from '../commands/settings-commands.ts';
import { validatorOf } from '../db/schema-validators.ts';

/** Far above any document FrontDesk writes (an appointment with 500 history entries is ~100 kB). */
const MAX_DOC_BYTES = 512 * 1024;
const ALLOWED_COUCH_FIELDS = new Set(['_id', '_rev', '_deleted']);

export type Verdict = { ok: true } | { ok: false; reason: string };
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
function domainCheck(collection: CollectionName, doc: Record<string, unknown>): string | undefined {
  if (collection === 'appointments') {
    const a = doc as unknown as Appointment;
    if (Date.parse(a.start) !== a.startMs) return 'startMs does not match start';
    if (Date.parse(a.end) <= a.startMs) return 'the appointment ends before it starts';
  }
  if (collection === 'jobs') {
    const job = doc as unknown as Job;
    if (job.id !== jobId(job)) return 'the job id does not match its type, subject, occasion and channel';
  }
  if (collection === 'locations') return locationCheck(doc as unknown as Location);
  if (collection === 'notification_settings') return settingsCheck(doc as unknown as NotificationSettings);
  if ((collection === 'delivery_log' || collection === 'team_events') && Date.parse(doc.at as string) !== doc.atMs) return 'atMs does not match at';
  return undefined;
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
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'not a JSON object' };
    const couch = raw as Record<string, unknown>;
    if (typeof couch._id !== 'string' || couch._id.length === 0) return { ok: false, reason: 'no _id' };
    if (couch._id.startsWith('_design/')) return { ok: false, reason: 'a design document in a FrontDesk database' };
    if (couch._deleted === true) return { ok: false, reason: 'deleted on the endpoint; FrontDesk keeps its copy' };
    const size = JSON.stringify(raw).length;
    if (size > MAX_DOC_BYTES) return { ok: false, reason: `too large (${size} bytes)` };
    const doc: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(couch)) {
      if (key.startsWith('_')) {
        if (!ALLOWED_COUCH_FIELDS.has(key)) return { ok: false, reason: `unexpected field ${key.slice(0, 40)}` };
        continue;
      }
      doc[key] = value;
    }
    if ('id' in doc) return { ok: false, reason: 'carries its own id field besides _id' };
    doc.id = couch._id;
    const errors = validate(doc);
    if (errors.length > 0) return { ok: false, reason: describeErrors(errors) };
    const ownLocation = collection === 'locations' ? doc.id : doc.locationId;
    if (ownLocation !== locationId) return { ok: false, reason: `belongs to location ${String(ownLocation).slice(0, 60)}, not ${locationId}` };
    const domain = domainCheck(collection, doc);
    return domain ? { ok: false, reason: domain } : { ok: true };
  };
}

const KEEP_IN_MEMORY = 20;
const FILE_CAP_BYTES = 5 * 1024 * 1024;

/** Refused documents: the last few in memory for the status, all (up to 5 MB) in `sync-quarantine.jsonl`. */
export class Quarantine {
  readonly #file: string;
  readonly #clock: Clock;
  readonly #onChange: () => void;
  readonly #recent: QuarantinedDocument[] = [];
  readonly #seen = new Set<string>();
  #writes: Promise<void> = Promise.resolve();
  count = 0;

  constructor(dataDir: string, clock: Clock, onChange: () => void) {
    this.#file = path.join(dataDir, 'sync-quarantine.jsonl');
    this.#clock = clock;
    this.#onChange = onChange;
  }

  recent(): QuarantinedDocument[] {
    return [...this.#recent];
  }

  add(collection: string, raw: unknown, reason: string): void {
    const id = typeof (raw as { _id?: unknown })?._id === 'string' ? ((raw as { _id: string })._id).slice(0, 128) : '(no id)';
    const rev = typeof (raw as { _rev?: unknown })?._rev === 'string' ? (raw as { _rev: string })._rev.slice(0, 80) : '';
    // The same revision comes again on every re-read of the feed: report it once.
    const key = `${collection}|${id}|${rev}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.count++;
    const entry: QuarantinedDocument = { collection, id, reason: reason.slice(0, 300), at: new Date(this.#clock.now()).toISOString() };
    this.#recent.unshift(entry);
    this.#recent.length = Math.min(this.#recent.length, KEEP_IN_MEMORY);
    const line = `${JSON.stringify({ ...entry, rev, document: truncate(raw) })}\n`;
    this.#writes = this.#writes.then(async () => {
      const size = await stat(this.#file).then((s) => s.size, () => 0);
      if (size + line.length <= FILE_CAP_BYTES) await appendFile(this.#file, line, { mode: 0o600 });
    }).catch(() => undefined);
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
