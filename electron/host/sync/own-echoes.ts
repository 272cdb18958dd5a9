/**
 * The feed brings every push of this desk back (its echo). RxDB writes a pulled version over the desk's copy when the
 * copy equals what the desk last pushed, so an echo written after a later push of the same document put the older
 * state back on this desk (a job it cancelled read `planned`, a client edited twice showed the first edit) until the
 * feed brought the later push too; an engine reading meanwhile planned from the older state. The fetch wrapper drops
 * an echo that arrives after that push (replication-fetch.ts), but RxDB may write one it was handed earlier only after
 * the push: the echo waits behind earlier writes while the push goes out and is recorded.
 *
 * So the echo is judged again where it is written. The desk's storage refuses a pulled version (as a conflict, which
 * RxDB leaves alone) when it is one the endpoint handed over at a revision below one this desk has since pushed to the
 * same database: the endpoint's line of revisions already goes past it, and its feed brings that later version. A
 * version that cannot be matched to what the feed handed over is written as before.
 */
import { createHash } from 'node:crypto';
import type { BulkWriteRow, RxStorage, RxStorageWriteErrorConflict } from 'rxdb';
import { SYNCED_COLLECTIONS } from '../../../shared/sync/sync-config.ts';
import { stableJson } from '../../../shared/sync/merge-core.ts';
import { guardCollections, withBulkWrite } from '../db/storage-instance-wrapper.ts';

/** RxDB's context for the writes of a replication's pulled documents. */
const PULLED = 'replication-downstream';
/** Documents remembered per database as pushed; past it the ones pushed longest ago are forgotten. */
const MAX_PUSHED = 20_000;
/**
 * Documents with versions handed over and not known written; past it the oldest are forgotten (their versions are
 * then written as before). RxDB writes what it is handed within a few batches, and most echoes never need a write.
 */
const MAX_HANDED = 1_000;
/** Versions of one document handed over; RxDB writes only the last it holds of a document. */
const MAX_HANDED_PER_DOCUMENT = 4;

/** How many edits a CouchDB revision ("3-9f…") stands for; undefined for anything else. */
export function revisionHeight(rev: unknown): number | undefined {
  if (typeof rev !== 'string') return undefined;
  const height = Number.parseInt(rev, 10);
  return Number.isSafeInteger(height) && height > 0 ? height : undefined;
}

/** A document's own fields (no `_rev`, `_meta`, …), the same for its CouchDB form (`_id`) and the desk's (`id`). */
function contentOf(doc: Record<string, unknown>): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) fields[key] = value;
  fields.id = doc._id ?? doc.id;
  return createHash('sha1').update(stableJson(fields)).digest('base64');
}

/**
 * A version handed over: the pulled document itself until this desk pushes the document again, then only its
 * content's hash (every echo of a push is handed over, and hashing them all cost 8 µs a document; only one that a
 * later push overtook can be refused).
 */
interface Handed {
  height: number;
  doc?: Record<string, unknown>;
  content?: string;
}

function contentOfHanded(version: Handed): string {
  version.content ??= contentOf(version.doc!);
  delete version.doc;
  return version.content;
}

/** The pushes and pulled versions of one collection's database on the endpoint. */
export class EchoTracker {
  /** The highest revision the endpoint answered to this desk's push, by document id (oldest push first). */
  readonly #pushed = new Map<string, number>();
  /** Versions of documents this desk pushed that were handed to RxDB (oldest first). */
  readonly #handed = new Map<string, Handed[]>();

  /** The endpoint took this desk's push of `id` at revision `rev`. */
  pushed(id: string, rev: unknown): void {
    const height = revisionHeight(rev);
    if (height === undefined) return;
    const before = this.#pushed.get(id) ?? 0;
    this.#pushed.delete(id);
    this.#pushed.set(id, Math.max(before, height));
    for (const version of this.#handed.get(id) ?? []) if (version.height < height) contentOfHanded(version);
    if (this.#pushed.size > MAX_PUSHED) {
      const oldest = this.#pushed.keys().next().value!;
      this.#pushed.delete(oldest);
      this.#handed.delete(oldest);
    }
  }

  /** A pulled version (CouchDB's form) goes to RxDB to be written. */
  handed(doc: { _id?: unknown; _rev?: unknown }): void {
    if (typeof doc._id !== 'string' || !this.#pushed.has(doc._id)) return;
    const height = revisionHeight(doc._rev);
    if (height === undefined) return;
    const versions = this.#handed.get(doc._id) ?? [];
    this.#handed.delete(doc._id);
    versions.push({ height, doc: doc as Record<string, unknown> });
    this.#handed.set(doc._id, versions.slice(-MAX_HANDED_PER_DOCUMENT));
    if (this.#handed.size > MAX_HANDED) this.#handed.delete(this.#handed.keys().next().value!);
  }

  /** Whether RxDB is writing (the desk's form) a version handed over below this desk's latest push of it. */
  outdated(doc: Record<string, unknown>): boolean {
    const id = doc.id;
    if (typeof id !== 'string') return false;
    const mine = this.#pushed.get(id);
    const versions = this.#handed.get(id);
    if (mine === undefined || versions === undefined) return false;
    const content = contentOf(doc);
    const heights = versions.filter((version) => contentOfHanded(version) === content).map((version) => version.height);
    if (heights.length === 0) return false;
    // The same content handed at several revisions (edited back and forth): the latest decides.
    const height = Math.max(...heights);
    const later = versions.filter((version) => version.height > height);
    if (later.length > 0) this.#handed.set(id, later);
    else this.#handed.delete(id);
    return height < mine;
  }
}

/** Every running replication's tracker, for the storage guard to ask. */
export class OwnEchoes {
  readonly #trackers = new Map<string, Set<EchoTracker>>();

  /** A tracker for one replication of `collection`; `release` when the replication stops. */
  track(collection: string): { tracker: EchoTracker; release: () => void } {
    const tracker = new EchoTracker();
    let trackers = this.#trackers.get(collection);
    if (!trackers) this.#trackers.set(collection, (trackers = new Set()));
    trackers.add(tracker);
    return { tracker, release: () => trackers.delete(tracker) };
  }

  outdated(collection: string, doc: Record<string, unknown>): boolean {
    const trackers = this.#trackers.get(collection);
    if (!trackers) return false;
    let outdated = false;
    // Every tracker is asked: each forgets what it handed up to this version.
    for (const tracker of trackers) if (tracker.outdated(doc)) outdated = true;
    return outdated;
  }
}

function conflict(row: BulkWriteRow<unknown>, context: string, id: string): RxStorageWriteErrorConflict<unknown> {
  return { status: 409, isError: true, documentId: id, writeRow: row, documentInDb: row.previous!, context } as RxStorageWriteErrorConflict<unknown>;
}

/** `storage` whose synced collections refuse a pulled version older than this desk's own later push. */
export function ownEchoStorage<Internals, Options>(storage: RxStorage<Internals, Options>, echoes: OwnEchoes): RxStorage<Internals, Options> {
  return guardCollections(storage, SYNCED_COLLECTIONS, (instance) =>
    withBulkWrite(instance, async (rows, context) => {
      if (!context.startsWith(PULLED)) return instance.bulkWrite(rows, context);
      const refused: RxStorageWriteErrorConflict<unknown>[] = [];
      const written: BulkWriteRow<unknown>[] = [];
      for (const row of rows) {
        const doc = row.document as Record<string, unknown>;
        if (row.previous && echoes.outdated(instance.collectionName, doc)) refused.push(conflict(row, context, doc.id as string));
        else written.push(row);
      }
      if (refused.length === 0) return instance.bulkWrite(rows, context);
      const result = written.length > 0 ? await instance.bulkWrite(written, context) : { error: [] };
      return { error: [...result.error, ...refused] };
    }),
  );
}
