/**
 * This desk's documents the endpoint refused — one appointment too large for a proxy's body limit, one document the
 * server's validation forbids. Pushed with the rest of their batch, they failed it, and RxDB sent that batch again and
 * again: every later change of the collection waited behind them for as long as the refusal lasted. The push now
 * goes on without them; each is kept here (in the data folder, so a restart does not forget that the endpoint never
 * took it), shown in the status, and sent again when it changes or after a growing wait. The book keeps the desk's
 * version throughout: nothing is lost, and the endpoint's older version is not applied over it.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CollectionName } from '../../../shared/domain/collections.ts';
import type { SetAsideCode, SetAsideDocument } from '../../../shared/sync/sync-status.ts';
import type { Clock } from '../../../shared/time/clock.ts';

/** CouchDB's form of a document as this desk sent it: `_rev` is the endpoint's revision it was written over. */
export type CouchDoc = { _id: string; _rev?: string } & Record<string, unknown>;

export interface PushRefusal {
  code: SetAsideCode;
  reason: string;
  params?: Record<string, string | number>;
}

interface Entry {
  database: string;
  collection: string;
  doc: CouchDoc;
  description: string;
  refusal: PushRefusal;
  since: number;
  retryAt: number;
  failures: number;
}

export interface SetAsideOptions {
  /** The data folder; undefined keeps the list in memory only (tests of one component). */
  dataDir: string | undefined;
  clock: Clock;
  onChange: () => void;
  /** The first wait before a refused document is sent again; doubles per refusal up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

const SHOWN = 20;
/**
 * At most this many documents of one database are set aside. An endpoint that refuses every document (rules that
 * forbid this desk's writes altogether) is not one bad document: past this its pushes fail as before, and the
 * status names the refusal, instead of every document being copied here and reported written.
 */
export const MAX_SET_ASIDE_PER_DATABASE = 50;

export class SetAside {
  readonly #o: SetAsideOptions;
  readonly #entries = new Map<string, Entry>();
  #writes: Promise<void> = Promise.resolve();
  #writeQueued = false;

  constructor(options: SetAsideOptions) {
    this.#o = options;
  }

  get #file(): string | undefined {
    return this.#o.dataDir === undefined ? undefined : path.join(this.#o.dataDir, 'sync-set-aside.json');
  }

  /** Reads what an earlier run set aside; a missing or unreadable file is an empty list. */
  async load(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    const entries = await readFile(file, 'utf8').then(
      (text) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return [];
        }
      },
      () => [],
    );
    if (!Array.isArray(entries)) return;
    for (const entry of entries as Entry[]) {
      if (typeof entry?.database !== 'string' || typeof entry.collection !== 'string' || typeof entry.doc?._id !== 'string' || typeof entry.refusal?.code !== 'string' || typeof entry.refusal.reason !== 'string') continue;
      if (typeof entry.description !== 'string' || !Number.isFinite(entry.since) || !Number.isFinite(entry.failures)) continue;
      // Due at once: the wait of the run that refused it is over.
      this.#entries.set(key(entry.database, entry.doc._id), { ...entry, retryAt: 0 });
    }
  }

  get(database: string, id: string): Entry | undefined {
    return this.#entries.get(key(database, id));
  }

  has(database: string, id: unknown): boolean {
    return typeof id === 'string' && this.#entries.has(key(database, id));
  }

  /** The endpoint refused `doc` (again, or a newer version of it): kept, and tried again after a longer wait. */
  refused(database: string, collection: CollectionName, doc: CouchDoc, refusal: PushRefusal, description: string): void {
    const previous = this.get(database, doc._id);
    const failures = (previous?.failures ?? 0) + 1;
    const now = this.#o.clock.now();
    const wait = Math.min(this.#o.maxRetryMs ?? 30 * 60_000, (this.#o.retryMs ?? 60_000) * 2 ** Math.min(failures - 1, 16));
    this.#entries.set(key(database, doc._id), { database, collection, doc, description, refusal, since: previous?.since ?? now, retryAt: now + wait, failures });
    this.#changed();
  }

  /** The endpoint took a version of the document: nothing is set aside for it any more. */
  accepted(database: string, id: string): void {
    if (this.#entries.delete(key(database, id))) this.#changed();
  }

  /** The status's words for the document, found after it was set aside. */
  described(database: string, id: string, description: string): void {
    const entry = this.get(database, id);
    if (!entry || entry.description === description) return;
    entry.description = description;
    this.#changed();
  }

  /** A try that met no answer (offline, a timeout): the same wait again, the reason unchanged. */
  postpone(database: string, id: string): void {
    const entry = this.get(database, id);
    if (!entry) return;
    entry.retryAt = this.#o.clock.now() + (this.#o.retryMs ?? 60_000);
  }

  /** The documents of `database` whose wait is over. */
  due(database: string): Entry[] {
    const now = this.#o.clock.now();
    return [...this.#entries.values()].filter((entry) => entry.database === database && entry.retryAt <= now);
  }

  /** How many of the documents of these databases wait (one location's). */
  countIn(databases: ReadonlySet<string>): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (databases.has(entry.database)) count++;
    return count;
  }

  /** How long until the next document of `database` is due; undefined when none waits. */
  nextWaitMs(database: string): number | undefined {
    let next: number | undefined;
    for (const entry of this.#entries.values()) if (entry.database === database && (next === undefined || entry.retryAt < next)) next = entry.retryAt;
    return next === undefined ? undefined : Math.max(0, next - this.#o.clock.now());
  }

  get count(): number {
    return this.#entries.size;
  }

  /** What waits for the databases given (the locations synced now), oldest first. */
  list(databases: ReadonlySet<string>): SetAsideDocument[] {
    return [...this.#entries.values()]
      .filter((entry) => databases.has(entry.database))
      .sort((a, b) => a.since - b.since)
      .slice(0, SHOWN)
      .map((entry) => ({
        collection: entry.collection,
        id: entry.doc._id.slice(0, 128),
        description: entry.description.slice(0, 200),
        code: entry.refusal.code,
        reason: entry.refusal.reason.slice(0, 300),
        ...(entry.refusal.params ? { params: entry.refusal.params } : {}),
        since: new Date(entry.since).toISOString(),
        retryAt: new Date(entry.retryAt).toISOString(),
      }));
  }

  flush(): Promise<void> {
    return this.#writes;
  }

  #changed(): void {
    this.#o.onChange();
    const file = this.#file;
    // One write queued at a time: it takes the list as it is when it runs, so changes meanwhile need no write of their own.
    if (!file || this.#writeQueued) return;
    this.#writeQueued = true;
    this.#writes = this.#writes
      .then(async () => {
        this.#writeQueued = false;
        // Written whole and renamed into place: a crash mid-write leaves the previous list, never half of one.
        const temporary = `${file}.tmp`;
        await writeFile(temporary, JSON.stringify([...this.#entries.values()]), { mode: 0o600 });
        await rename(temporary, file);
      })
      .catch(() => undefined);
  }
}

function key(database: string, id: string): string {
  return `${database}|${id}`;
}

/** Why the endpoint refused one document of a `_bulk_docs` write (CouchDB's per-document `error`). */
export function pushRefusal(error: unknown, reason: unknown): PushRefusal {
  const said = typeof reason === 'string' ? reason.slice(0, 200) : '';
  const kind = typeof error === 'string' ? error.slice(0, 60) : 'unknown';
  if (kind === 'too_large') return { code: 'sync.setAside.tooLarge', reason: 'too large for the sync server (or a proxy in front of it)' };
  if (kind === 'forbidden' || kind === 'unauthorized') return { code: 'sync.setAside.forbidden', reason: `the sync server's rules refuse it${said ? `: ${said}` : ''}`, params: { detail: said } };
  if (kind === 'bad_request' || kind === 'doc_validation') return { code: 'sync.setAside.invalid', reason: `the sync server finds it invalid${said ? `: ${said}` : ''}`, params: { detail: said } };
  return { code: 'sync.setAside.refused', reason: `the sync server refused it (${kind}${said ? `: ${said}` : ''})`, params: { error: kind, detail: said } };
}
