/**
 * One collection's `_bulk_docs` writes, so that a document the endpoint refuses does not hold back the others (see
 * set-aside.ts). A write refused whole as too large (413) is split in halves until the one document that is too
 * large stands alone; a document refused in the answer (`forbidden`, `bad_request`, …) is set aside. RxDB is told
 * such a document was written, so its push goes on with the next changes; the desk then stands in for the endpoint
 * where RxDB would otherwise act on the endpoint's older version: its pre-read before a push (the desk's refused
 * version stands in for the revision it was written over, so the next version goes on top of it without a false
 * conflict), and the pull (the endpoint's version of a set-aside document is not applied — see replication-fetch).
 */
import type { CollectionName } from '../../../shared/domain/collections.ts';
import { conflictHandlers } from '../../../shared/sync/conflict-handlers.ts';
import { SyncError, type CouchClient } from './couch-client.ts';
import type { IncomingCheck } from './incoming.ts';
import { MAX_SET_ASIDE_PER_DATABASE, pushRefusal, type CouchDoc, type SetAside } from './set-aside.ts';

type WriteRow = { id: string; ok?: unknown; rev?: unknown; error?: unknown; reason?: unknown };

export interface RefusedPushesOptions {
  client: CouchClient;
  collection: CollectionName;
  database: string;
  store: SetAside;
  describe: (doc: Record<string, unknown>) => Promise<string>;
  check: IncomingCheck;
  /** A document's revision on the endpoint after this desk wrote it (the pull's guard against older answers). */
  onPushed: (id: string, rev: unknown) => void;
}

/** CouchDB's per-document errors that refuse the document itself (validate_doc_update, max_document_size, its form). */
const LASTING_REFUSALS = new Set(['forbidden', 'unauthorized', 'too_large', 'bad_request', 'doc_validation', 'invalid']);

/** How often one try merges with a peer's newer version and tries again before it waits. */
const MERGE_ROUNDS = 3;

export class RefusedPushes {
  readonly #o: RefusedPushesOptions;
  readonly #path: string;
  #retrying = false;
  /** By refused version: the merge with the endpoint's newer version that stands in for it (see `standIn`). */
  readonly #standIns = new WeakMap<CouchDoc, CouchDoc>();
  /** When the scheduled wake-up for the next due document fires (an idle feed may ask nothing for a long while). */
  #wakeAt = Number.POSITIVE_INFINITY;

  constructor(options: RefusedPushesOptions) {
    this.#o = options;
    this.#path = `${encodeURIComponent(options.database)}/_bulk_docs`;
  }

  /** RxDB's push: written in parts if need be; refused documents set aside and reported written. */
  async write(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const request = body as { docs?: unknown } & Record<string, unknown>;
    if (!Array.isArray(request?.docs)) return this.#o.client.request(url, { method: 'POST', body });
    const docs = request.docs as CouchDoc[];
    const rows = await this.#writeSplitting(url, request, docs);
    const { store, database } = this.#o;
    const refusedRows = rows.filter((row) => this.#refusedRow(row) && !store.has(database, row.id));
    if (refusedRows.length > 0 && store.countIn(new Set([database])) + refusedRows.length > MAX_SET_ASIDE_PER_DATABASE) {
      const first = refusedRows[0]!;
      const refusal = pushRefusal(first.error, first.reason);
      const error = new SyncError(refusal.code === 'sync.setAside.forbidden' ? 'sync.forbidden' : 'sync.badResponse', `The sync server refuses this desk's documents in ${database} (${refusedRows.length} in one write: ${refusal.reason}); they stay on this desk and are sent again. Ask whoever runs it to check its rules for the desk user.`);
      // Answered, but refused all the same: the status names it and the endpoint's requests back off.
      this.#o.client.health.failure(error);
      throw error;
    }
    const answer = rows.map((row) => {
      if (!this.#refusedRow(row)) {
        if (row?.ok === true) store.accepted(database, row.id);
        return row;
      }
      const doc = docs.find((candidate) => candidate?._id === row.id);
      if (!doc) return row;
      this.#setAside(doc, row);
      // No revision: the pull's guard has nothing to wait for, and the endpoint's version is left out by the set-aside.
      return { id: row.id, ok: true };
    });
    return { status: 201, body: answer };
  }

  /**
   * A row of a `_bulk_docs` answer that refuses its document for good (its rules, its size, its form). Any other error
   * (a server in trouble) fails the push as before, and RxDB sends the batch again: set aside, a document would wait
   * its growing delay for a refusal that was never about it.
   */
  #refusedRow(row: WriteRow): boolean {
    return typeof row === 'object' && row !== null && typeof row.id === 'string' && row.ok !== true && typeof row.error === 'string' && LASTING_REFUSALS.has(row.error);
  }

  /**
   * The pre-read of a push: a set-aside document's refused version stands in for the revision it was written over.
   * When another desk has written the document since, its version merged with the refused one stands in: RxDB merges
   * the desk's next version against what it counts as pushed (the refused one), and with the peer's version as such,
   * the fields the refused version had changed went back to the peer's older values.
   */
  standIn(row: Record<string, unknown>): Record<string, unknown> {
    const entry = this.#o.store.get(this.#o.database, String(row.key));
    const doc = row.doc as CouchDoc | undefined;
    if (!entry || !doc) return row;
    if (doc._rev === entry.doc._rev) return { ...row, doc: { ...entry.doc, _rev: doc._rev } };
    const merged = this.#standIns.get(entry.doc);
    return merged?._rev === doc._rev ? { ...row, doc: merged } : row;
  }

  /** Before `standIn`: merges the peer's versions in a pre-read's answer with this desk's refused ones (once each). */
  async prepareStandIns(answer: unknown): Promise<void> {
    const rows = (answer as { rows?: unknown } | undefined)?.rows;
    if (!Array.isArray(rows)) return;
    for (const row of rows as { key?: unknown; doc?: CouchDoc }[]) {
      const entry = this.#o.store.get(this.#o.database, String(row?.key));
      const remote = row?.doc;
      if (!entry || !remote || typeof remote._rev !== 'string' || remote._rev === entry.doc._rev || !this.#o.check(remote).ok) continue;
      if (this.#standIns.get(entry.doc)?._rev === remote._rev) continue;
      const merged = await this.#mergeWith(entry.doc, remote).catch(() => undefined);
      if (merged) this.#standIns.set(entry.doc, merged);
    }
  }

  /** Sends again, one at a time, the set-aside documents whose wait is over (called on every request of the feed). */
  retryDue(): void {
    if (this.#retrying) return;
    const due = this.#o.store.due(this.#o.database);
    if (due.length === 0) return;
    this.#retrying = true;
    void (async () => {
      for (const entry of due) await this.#retry(entry.doc);
    })().finally(() => {
      this.#retrying = false;
      this.#scheduleWake();
    });
  }

  /** Wakes when the next set-aside document is due; sync's stop ends the wait (the client's pause). */
  #scheduleWake(): void {
    // A retry under way schedules the next wake-up when it is done.
    if (this.#retrying) return;
    const wait = this.#o.store.nextWaitMs(this.#o.database);
    if (wait === undefined) return;
    // Only compared with the wake-up already set: the monotonic clock, which a clock set by hand does not move.
    const at = performance.now() + wait;
    if (at >= this.#wakeAt) return;
    this.#wakeAt = at;
    this.#o.client.pause(wait).then(
      () => {
        if (this.#wakeAt !== at) return;
        this.#wakeAt = Number.POSITIVE_INFINITY;
        this.retryDue();
        this.#scheduleWake();
      },
      () => undefined,
    );
  }

  async #retry(initial: CouchDoc): Promise<void> {
    let doc = initial;
    for (let round = 0; round < MERGE_ROUNDS; round++) {
      // A newer version pushed by RxDB meanwhile decides instead.
      if (this.#o.store.get(this.#o.database, doc._id)?.doc !== doc) return;
      const row = await this.#writeSplitting(this.#path, { docs: [doc] }, [doc]).then(
        (rows) => rows.find((r) => r?.id === doc._id),
        (error: unknown) => {
          if (!(error instanceof SyncError) || error.code !== 'sync.stopped') this.#postpone(doc._id);
          return undefined;
        },
      );
      if (!row) return;
      if (row.ok === true) {
        this.#o.onPushed(doc._id, row.rev);
        this.#o.store.accepted(this.#o.database, doc._id);
        return;
      }
      if (this.#o.store.get(this.#o.database, doc._id)?.doc !== doc) return;
      if (row.error !== 'conflict') return this.#setAside(doc, row);
      // A peer wrote the document since the endpoint refused this desk's version: both are merged as a push
      // conflict is, and the merge is what goes.
      const merged = await this.#mergeWithEndpoint(doc);
      if (!merged) return this.#postpone(doc._id);
      doc = merged;
      this.#setAside(doc, row, false);
    }
  }

  #postpone(id: string): void {
    this.#o.store.postpone(this.#o.database, id);
    this.#scheduleWake();
  }

  async #mergeWithEndpoint(doc: CouchDoc): Promise<CouchDoc | undefined> {
    const remote = await this.#read(doc._id, '');
    return remote ? this.#mergeWith(doc, remote) : undefined;
  }

  async #read(id: string, query: string): Promise<CouchDoc | undefined> {
    const answer = await this.#o.client.request(`${encodeURIComponent(this.#o.database)}/${encodeURIComponent(id)}${query}`, { expect: [404] }).catch(() => undefined);
    const found = answer?.status === 200 ? (answer.body as CouchDoc) : undefined;
    return found && typeof found._rev === 'string' && this.#o.check(found).ok ? found : undefined;
  }

  /** This desk's refused version merged with the endpoint's newer one, as a push conflict is; on the latter's revision. */
  async #mergeWith(doc: CouchDoc, remote: CouchDoc): Promise<CouchDoc> {
    // The revision this desk's version was written over is the merge's base, while the endpoint still keeps its body
    // (until compaction): without it, the newer edit would win every field both versions differ in, and the other
    // desk's change or this one's would be lost where they did not overlap.
    const base = typeof doc._rev === 'string' ? await this.#read(doc._id, `?rev=${encodeURIComponent(doc._rev)}`) : undefined;
    const toRx = ({ _id, _rev: _unused, ...rest }: CouchDoc) => ({ ...rest, id: _id, _deleted: false });
    const input = { newDocumentState: toRx(doc), realMasterState: toRx(remote), ...(base ? { assumedMasterState: toRx(base) } : {}) };
    const resolved = (await conflictHandlers[this.#o.collection].resolve(input, 'set-aside-merge')) as Record<string, unknown>;
    const { id: _id, _deleted: _unused, ...fields } = resolved;
    return { ...fields, _id: doc._id, _rev: remote._rev! };
  }

  #setAside(doc: CouchDoc, row: WriteRow, describe = true): void {
    const { store, database, collection } = this.#o;
    const refusal = row.error === 'conflict' ? store.get(database, doc._id)?.refusal ?? pushRefusal(row.error, row.reason) : pushRefusal(row.error, row.reason);
    const previous = store.get(database, doc._id)?.description ?? doc._id;
    store.refused(database, collection, doc, refusal, previous);
    this.#scheduleWake();
    if (!describe) return;
    void this.#o
      .describe(doc)
      .then((description) => store.described(database, doc._id, description))
      .catch(() => undefined);
  }

  async #writeSplitting(url: string, request: Record<string, unknown>, docs: CouchDoc[]): Promise<WriteRow[]> {
    try {
      const answer = await this.#o.client.request(url, { method: 'POST', body: { ...request, docs } });
      if (!Array.isArray(answer.body)) throw new SyncError('sync.badResponse', 'The sync endpoint sent a malformed _bulk_docs answer; FrontDesk ignored it and retries.');
      return answer.body as WriteRow[];
    } catch (error) {
      if (!(error instanceof SyncError) || error.code !== 'sync.tooLarge') throw error;
      if (docs.length === 1) return [{ id: docs[0]!._id, error: 'too_large', reason: '' }];
      const half = Math.ceil(docs.length / 2);
      return [...(await this.#writeSplitting(url, request, docs.slice(0, half))), ...(await this.#writeSplitting(url, request, docs.slice(half)))];
    }
  }
}
