/**
 * The engine's bulk planning reads and writes (cold start, settings and location changes), straight on the
 * collections' storage instances. Planning a whole book through RxDB's document layer cost an RxDocument per job, a
 * cached RxQuery per subject and, for upserts of existing jobs, one write per job; here the book streams by in
 * pages, the jobs of a page come from one query and go back in one bulkWrite. Writes still pass RxDB's storage
 * wrapper (revisions, timestamps), schema validation and change streams, so every listener sees them as before.
 */
import { getProperty, getQueryMatcher, normalizeMangoQuery, prepareQuery } from 'rxdb';
import type { MangoQuery, MangoQuerySelector, RxCollection, RxDocumentData, RxStorageWriteError } from 'rxdb';
import { holdWriteGroup, primaryKeysInRange, REDERIVABLE_WRITE_CONTEXT } from '../storage/index.ts';
import type { HeldWriteGroup } from '../storage/index.ts';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { ClientPerk } from '../../../shared/domain/client-perk.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { Job } from '../../../shared/domain/job.ts';

/**
 * The pages of a query in index order, `size` documents at a time, each page starting right after the last document
 * of the one before (keyset paging on the index: no skip, no re-reading).
 * `index` is a schema index without the `_deleted` prefix RxDB adds; `selector` fixes its leading fields.
 */
async function* keysetPages<T>(
  collection: RxCollection<T>,
  index: readonly string[],
  selector: MangoQuerySelector<T>,
  size: number,
): AsyncGenerator<RxDocumentData<T>[]> {
  const instance = collection.storageInstance;
  const schema = instance.schema;
  const primary = collection.schema.primaryPath as string;
  // The primary key ends every order (RxDB's indexes end with it too); an index on the primary key alone is its own.
  const order = index.at(-1) === primary ? [...index] : [...index, primary];
  const mango = {
    selector: { ...selector, _deleted: { $eq: false } },
    sort: order.map((field) => ({ [field]: 'asc' as const })),
    index: ['_deleted', ...index],
    limit: size,
  } as unknown as MangoQuery<T>;
  let after: RxDocumentData<T> | undefined;
  for (;;) {
    const query = prepareQuery<T>(schema, normalizeMangoQuery<T>(schema, mango));
    if (after) {
      // Strictly after the last document of the previous page on [_deleted, ...order].
      const last = after;
      query.queryPlan.startKeys = [false, ...order.map((field) => getProperty(last, field))] as never;
      query.queryPlan.inclusiveStart = false;
    }
    const { documents } = await instance.query(query);
    if (documents.length > 0) yield documents;
    if (documents.length < size) return;
    after = documents[documents.length - 1];
  }
}

/**
 * How a whole-book plan walks the book. By id: the jobs of a subject have ids that begin with the subject's, so a page
 * of subjects in id order reads its jobs from one stretch of the outbox and rewrites them (and writes their log
 * entries) side by side; in start order a page's appointments have ids from all over the book, and each of its
 * transactions dirtied a page of the outbox's and the log's primary-key and subject indexes per job, all written to the
 * WAL at its commit. A settings re-plan by id (bench:engine settings_replan_reminder_offsets, main against by id, load
 * 10-19): 10k visits ~5-14 % less CPU; 100k visits 18.8 / 18.7 s against 12.5 / 13.0 s CPU, 90 / 39 s against 33 / 16 s,
 * the process's peak resident set 416 / 410 against 428 / 429 MiB (the ids). The ids are listed first, `breathe` awaited
 * between steps. In index order: no listing (see BookPlanner.plan for when that is better).
 */
export type PageOrder = { byId: true; breathe: () => Promise<unknown> } | { byId: false };

/**
 * The documents of `selector` on `index`, `size` at a time, in `order` where the storage lists the ids of an index
 * range (node:sqlite: storage/key-order.ts), else in index order (keysetPages). A document changed after the ids were
 * listed is read as it is now, and left out if it no longer matches (it is planned from its change event, as before).
 */
async function* pagesInOrder<T>(
  collection: RxCollection<T>,
  index: readonly string[],
  selector: MangoQuerySelector<T>,
  size: number,
  order: PageOrder,
): AsyncGenerator<RxDocumentData<T>[]> {
  const instance = collection.storageInstance;
  const schema = instance.schema;
  const query = normalizeMangoQuery<T>(schema, { selector: { ...selector, _deleted: { $eq: false } }, index: ['_deleted', ...index] } as unknown as MangoQuery<T>);
  const ids = order.byId ? await primaryKeysInRange(instance, prepareQuery<T>(schema, query), order.breathe) : undefined;
  if (!ids) {
    yield* keysetPages(collection, index, selector, size);
    return;
  }
  const matches = getQueryMatcher<T>(schema, query);
  for (let from = 0; from < ids.length; from += size) {
    const documents = (await instance.findDocumentsById(ids.slice(from, from + size), false)).filter((doc) => matches(doc));
    if (documents.length > 0) yield documents;
  }
}

/** A planned job to write, over the revision it was read at (none: a new job). */
export interface PlannedWrite {
  job: Job;
  previous?: Job;
}

export class PlanningStore {
  readonly #db: FrontDeskDatabase;

  constructor(db: FrontDeskDatabase) {
    this.#db = db;
  }

  /** A location's appointments starting at or after `fromMs`, in `order` (by start time in index order). */
  appointmentPages(locationId: string, fromMs: number, size: number, order: PageOrder): AsyncGenerator<Appointment[]> {
    return pagesInOrder(this.#db.appointments, ['locationId', 'startMs'], { locationId, startMs: { $gte: fromMs } }, size, order);
  }

  /** Whether the outbox holds no job at all (a first plan: nothing to read back, everything to write). */
  async outboxEmpty(): Promise<boolean> {
    return (await this.#db.jobs.count().exec()) === 0;
  }

  clientPages(locationId: string, size: number, order: PageOrder): AsyncGenerator<Client[]> {
    return pagesInOrder(this.#db.clients, ['locationId', 'lastName'], { locationId }, size, order);
  }

  perkPages(locationId: string, size: number, order: PageOrder): AsyncGenerator<ClientPerk[]> {
    return pagesInOrder(this.#db.client_perks, ['locationId', 'createdAtMs'], { locationId }, size, order);
  }

  /** The completed visits of the given clients at the location, grouped by client: one query (repeat-visit rule). */
  async completedVisitsOfClients(locationId: string, clientIds: readonly string[]): Promise<Map<string, Appointment[]>> {
    const grouped = new Map<string, Appointment[]>();
    if (clientIds.length === 0) return grouped;
    const instance = this.#db.appointments.storageInstance;
    const mango: MangoQuery<RxDocumentData<Appointment>> = {
      selector: { clientId: { $in: [...new Set(clientIds)] }, status: { $eq: 'completed' }, locationId: { $eq: locationId }, _deleted: { $eq: false } },
      sort: [{ clientId: 'asc' }, { startMs: 'asc' }, { id: 'asc' }],
      index: ['_deleted', 'clientId', 'startMs'],
    };
    const { documents } = await instance.query(prepareQuery(instance.schema, normalizeMangoQuery(instance.schema, mango)));
    for (const visit of documents) {
      const list = grouped.get(visit.clientId);
      if (list) list.push(visit);
      else grouped.set(visit.clientId, [visit]);
    }
    return grouped;
  }

  /** Every job of the given subjects, grouped by subject: one query, one index range per subject. */
  async jobsOfSubjects(subjectIds: readonly string[]): Promise<Map<string, Job[]>> {
    const grouped = new Map<string, Job[]>();
    if (subjectIds.length === 0) return grouped;
    const instance = this.#db.jobs.storageInstance;
    const mango: MangoQuery<RxDocumentData<Job>> = {
      selector: { subjectId: { $in: [...subjectIds] }, _deleted: { $eq: false } },
      sort: [{ subjectId: 'asc' }, { dueAt: 'asc' }, { id: 'asc' }],
      index: ['_deleted', 'subjectId', 'dueAt'],
    };
    const { documents } = await instance.query(prepareQuery(instance.schema, normalizeMangoQuery(instance.schema, mango)));
    for (const job of documents) {
      const list = grouped.get(job.subjectId);
      if (list) list.push(job);
      else grouped.set(job.subjectId, [job]);
    }
    return grouped;
  }

  /**
   * A transaction of the database file held open across several writes — planned jobs and the delivery-log entries
   * that go with them — (storage/write-group.ts), committed without an fsync of its own like the planned jobs alone.
   */
  holdWriteGroup(): Promise<HeldWriteGroup> {
    return holdWriteGroup(this.#db.jobs.storageInstance, { rederivable: true });
  }

  /**
   * Writes planned jobs in one bulkWrite (one transaction), in id order: a job's id begins with its type and subject,
   * so in that order the rows of one transaction meet the primary-key and subject indexes page by page instead of all
   * over them (200k jobs in transactions of 5,000: about 10 % less CPU in SQLite). An update is only written over the revision it
   * was read at. Planned jobs are derived from the book and re-derived at every start, so they are written without
   * an fsync of their own (REDERIVABLE_WRITE_CONTEXT): the next fsynced commit — the dispatcher's `sending` mark before
   * any provider call, at the latest — makes them durable.
   * Answers the ids of jobs that changed since they were read (written by someone else meanwhile).
   */
  async writePlannedJobs(writes: readonly PlannedWrite[]): Promise<Set<string>> {
    const conflicts = new Set<string>();
    if (writes.length === 0) return conflicts;
    const rows = writes
      .map(({ job, previous: read }) => {
        const previous = read as RxDocumentData<Job> | undefined;
        // RxDB's storage wrapper sets the revision and write time of every row.
        const document = { ...job, _deleted: false, _attachments: {}, _rev: previous?._rev ?? '', _meta: previous?._meta ?? { lwt: 0 } } as RxDocumentData<Job>;
        return previous ? { previous, document } : { document };
      })
      .sort((a, b) => (a.document.id < b.document.id ? -1 : a.document.id > b.document.id ? 1 : 0));
    const result = await this.#db.jobs.storageInstance.bulkWrite(rows, REDERIVABLE_WRITE_CONTEXT);
    const failed: RxStorageWriteError<Job>[] = [];
    for (const error of result.error) {
      if (error.status === 409) conflicts.add(error.documentId);
      else failed.push(error);
    }
    if (failed.length > 0) throw new Error(`Could not save ${failed.length} outbox job(s): ${JSON.stringify(failed[0]).slice(0, 300)}`);
    return conflicts;
  }
}
