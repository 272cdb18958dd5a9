/**
 * The `fetch` RxDB's CouchDB replication plugin uses for one collection. It goes through the guarded client (timeouts,
 * backoff, abort at stop, error codes) and hands RxDB only well-formed answers: a status other than 2xx becomes a
 * thrown `SyncError` (which RxDB reports and retries), never a JSON body the plugin would misread — an error body in
 * its live long-poll loop would otherwise end as an unhandled rejection, which ends the process. Documents in
 * `_changes` and `_all_docs` answers pass the incoming check; refused ones are quarantined and left out.
 *
 * A `_changes` answer can be older than this desk's own push of a document: the endpoint wrote it before the push
 * landed, and it reached the desk after. RxDB would take it as the endpoint's newest version and write it over the
 * desk's newer one (a delivered job back to `planned`, sent again) until the feed brings the push back. Such a row
 * is left out: its revision is below one this desk pushed, and the push follows later in the same feed. A push still
 * under way when such an answer arrives is waited for first, so its revision is known before the answer is judged.
 * One handed to RxDB before the push and written after it is judged where it is written (own-echoes.ts).
 */
import type { CollectionName } from '../../../shared/domain/collections.ts';
import type { CouchClient } from './couch-client.ts';
import { LongPollIdle, SyncError } from './couch-client.ts';
import { DELETED, type IncomingCheck, type Quarantine } from './incoming.ts';
import { revisionHeight, type EchoTracker } from './own-echoes.ts';
import { RefusedPushes } from './refused-pushes.ts';
import type { SetAside } from './set-aside.ts';

export interface ReplicationFetchOptions {
  client: CouchClient;
  collection: CollectionName;
  /** The collection's database on the endpoint (its name, not encoded). */
  database: string;
  /** Where documents the endpoint refuses wait (see set-aside.ts), and how the status names one. */
  setAside: SetAside;
  describe: (doc: Record<string, unknown>) => Promise<string>;
  check: IncomingCheck;
  quarantine: Quarantine;
  /** How long a live long-poll waits on the server for a change before it answers "nothing new". */
  longpollMs: number;
  /** How much longer than `longpollMs` a long-poll may take before it counts as ended (default 15 s). */
  longpollGraceMs?: number;
  /** Called with every pulled batch size (first-sync progress). */
  onPulled?: (count: number) => void;
  /** This collection's own backoff after consecutive failures (default 1 s doubling up to 30 s). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told of this desk's pushes and of the pulled versions handed to RxDB, for the storage to judge them (own-echoes.ts). */
  echoes?: EchoTracker;
}

type RxFetch = (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<Response>;

function badShape(what: string): SyncError {
  return new SyncError('sync.badResponse', `The sync endpoint sent a malformed ${what} answer; FrontDesk ignored it and retries.`);
}

export function replicationFetch(options: ReplicationFetchOptions): RxFetch {
  const { client, check, quarantine, collection } = options;

  const pushed = new PushedRevisions();
  const stream = new StreamStart();
  const onPushed = (id: string, rev: unknown): void => {
    pushed.add(id, rev);
    options.echoes?.pushed(id, rev);
  };
  const refused = new RefusedPushes({ client, collection, database: options.database, store: options.setAside, describe: options.describe, check, onPushed });
  // By kind of request: a push reads the endpoint's versions (`_all_docs`) before it writes, and that read's success
  // must not start a refused write's backoff over.
  const backoffs = new Map<string, RequestBackoff>();
  const backoffFor = (kind: string): RequestBackoff => {
    let backoff = backoffs.get(kind);
    if (!backoff) backoffs.set(kind, (backoff = new RequestBackoff(options.baseBackoffMs ?? 1_000, options.maxBackoffMs ?? 30_000)));
    return backoff;
  };

  const keepDoc = (doc: unknown): boolean => {
    const verdict = check(doc);
    if (!verdict.ok) quarantine.add(collection, doc, verdict);
    return verdict.ok;
  };

  return async (url, init = {}) => {
    const parsed = new URL(url);
    const route = parsed.pathname.split('/').filter(Boolean).at(-1) ?? '';
    const method = init.method ?? 'GET';
    refused.retryDue();
    if (route === '_changes' && parsed.searchParams.get('feed') === 'longpoll') return Response.json(await longPoll(parsed));
    const body = init.body === undefined ? undefined : (JSON.parse(init.body) as unknown);
    const backoff = backoffFor(`${method} ${route}`);
    const answered = (async () => {
      await client.pause(backoff.waitMs());
      try {
        const answer = route === '_bulk_docs' && method === 'POST' ? await refused.write(parsed.toString(), body) : await client.request(parsed.toString(), { method, ...(body !== undefined ? { body } : {}) });
        if (route === '_changes') await pushed.landed(answer.body);
        if (route === '_all_docs' && method === 'POST') await refused.prepareStandIns(answer.body);
        const result = { raw: answer.body, sanitized: judged(() => sanitize(route, method, answer.body, body, pageSize(parsed))) };
        backoff.succeeded();
        return result;
      } catch (error) {
        if (error instanceof SyncError && error.code !== 'sync.stopped') backoff.failed();
        throw error;
      }
    })();
    // Settles once the push's revisions are recorded (sanitize), or when it failed.
    if (route === '_bulk_docs') pushed.sending(body, answered);
    if (route === '_changes') stream.pulling(answered.then(({ raw }) => raw as { results: unknown[]; last_seq: string | number }), Number(parsed.searchParams.get('limit') ?? Number.POSITIVE_INFINITY));
    return Response.json((await answered).sanitized);
  };

  /**
   * An answer refused here counts against the endpoint as a failed request does: the status names it and the next
   * requests back off (RxDB asks again at once otherwise, and the desk showed "up to date" while a collection never
   * pulled).
   */
  function judged<T>(sanitized: () => T): T {
    try {
      return sanitized();
    } catch (error) {
      if (error instanceof SyncError) client.health.failure(error);
      throw error;
    }
  }

  async function longPoll(url: URL): Promise<unknown> {
    // The plugin asks for a heartbeat (a connection held open forever); a bounded wait answers "nothing new" instead,
    // so a silently dead connection is noticed and the request timeout can stay short.
    url.searchParams.delete('heartbeat');
    url.searchParams.set('timeout', String(options.longpollMs));
    // The plugin's first long-poll starts at "now": pinned to the database's sequence, so that a poll asked again
    // (after a failure or with nothing new) resumes exactly there instead of skipping what changed in between.
    if (url.searchParams.get('since') === 'now') url.searchParams.set('since', await stream.start(() => currentSequence(url)));
    try {
      const answer = await client.request(url.toString(), { timeoutMs: options.longpollMs + (options.longpollGraceMs ?? 15_000), longpoll: true });
      await pushed.landed(answer.body);
      return judged(() => sanitize('_changes', 'GET', answer.body, undefined, pageSize(url)));
    } catch (error) {
      if (error instanceof LongPollIdle) return { results: [], last_seq: url.searchParams.get('since') };
      throw error;
    }
  }

  async function currentSequence(changesUrl: URL): Promise<string> {
    const database = new URL(changesUrl);
    database.pathname = database.pathname.replace(/\/_changes$/, '/');
    database.search = '';
    const info = (await client.request(database.toString())).body as { update_seq?: unknown } | undefined;
    const seq = info?.update_seq;
    return typeof seq === 'string' || typeof seq === 'number' ? String(seq) : 'now';
  }

  function sanitize(route: string, method: string, answer: unknown, request: unknown, limit = Number.POSITIVE_INFINITY): unknown {
    if (route === '_changes') {
      const changes = answer as { results?: unknown; last_seq?: unknown };
      if (typeof changes !== 'object' || changes === null || !Array.isArray(changes.results) || (typeof changes.last_seq !== 'string' && typeof changes.last_seq !== 'number')) throw badShape('_changes');
      // CouchDB answers at most `limit` rows. A server that ignores it sent 100,000 in one answer, and checking and
      // writing them at once held the host for seconds (the window froze) with 1 GB in use: refused, like any answer
      // that is not CouchDB's.
      if (changes.results.length > limit) {
        throw new SyncError('sync.badResponse', `The sync endpoint sent ${changes.results.length} changes where FrontDesk asked for at most ${limit}; it does not page its answers as CouchDB does. FrontDesk retries.`);
      }
      const results = changes.results.filter((row: unknown) => {
        const doc = (row as { doc?: unknown })?.doc;
        if (typeof doc !== 'object' || doc === null) {
          // A deletion, or a row without its document: nothing FrontDesk can apply.
          if ((row as { deleted?: unknown })?.deleted === true) quarantine.add(collection, { _id: (row as { id?: unknown }).id, _deleted: true }, DELETED);
          return false;
        }
        // A document this desk's refused version waits for: the endpoint's version is the one that version was written
        // over (or a peer's later edit, which the next try merges); applied, it would replace the desk's own.
        if (options.setAside.has(options.database, (doc as { _id?: unknown })._id)) return false;
        return !pushed.outdates(doc as { _id?: unknown; _rev?: unknown }) && keepDoc(doc);
      });
      for (const row of results) options.echoes?.handed((row as { doc: { _id?: unknown; _rev?: unknown } }).doc);
      options.onPulled?.(results.length);
      return { results, last_seq: changes.last_seq };
    }
    if (route === '_all_docs') {
      const all = answer as { rows?: unknown };
      if (typeof all !== 'object' || all === null || !Array.isArray(all.rows)) throw badShape('_all_docs');
      const asked = new Set<unknown>(method === 'POST' ? ((request as { keys?: unknown[] })?.keys ?? []) : []);
      const rows = all.rows
        .filter((row: unknown) => typeof row === 'object' && row !== null && (asked.size === 0 || asked.has((row as { key?: unknown }).key)))
        .map((row: Record<string, unknown>) => {
          if (row.doc === undefined || row.doc === null) return row;
          // A refused document is treated as absent: the local version stays, the endpoint's is reported.
          if (!keepDoc(row.doc)) return { ...row, doc: undefined };
          return method === 'POST' ? refused.standIn(row) : row;
        });
      if (method === 'GET') {
        // The plugin's re-read of documents its push met in conflict (a version on the endpoint it did not know).
        // Every row must come back as a conflict: a row left out counts as pushed, although the endpoint kept its
        // own version — a job's send then counted as handed off while the endpoint had another desk's step (sent
        // twice), and any other document's change was taken as the endpoint's and lost at the next pull. A version
        // this desk cannot read (quarantined above) fails the push instead; the change stays here and is pushed again.
        const unreadable = rows.find((row: Record<string, unknown>) => typeof row.doc !== 'object' || row.doc === null);
        if (unreadable?.error === 'not_found') throw new SyncError('sync.badResponse', `The sync endpoint refused this desk's change to ${collection} ${String(unreadable.key).slice(0, 80)} as a conflict but holds no version of it (a proxy or the server misbehaves); the change stays here and is sent again.`);
        if (unreadable) throw new SyncError('sync.badResponse', `The sync endpoint keeps a version of ${collection} ${String(unreadable.key).slice(0, 80)} that FrontDesk cannot read (see the quarantine); this desk's change to it stays here and is sent again once that version is fixed.`);
      }
      return { ...all, rows };
    }
    if (route === '_bulk_docs') {
      if (!Array.isArray(answer) || answer.some((row) => typeof row !== 'object' || row === null || typeof (row as { id?: unknown }).id !== 'string')) throw badShape('_bulk_docs');
      for (const row of answer as { id: string; ok?: unknown; rev?: unknown }[]) if (row.ok === true) onPushed(row.id, row.rev);
      return answer;
    }
    return answer;
  }
}

/**
 * Consecutive failures of one kind of request of one collection wait longer each time. The endpoint's shared backoff
 * starts over at any other request's success, so a failure only these requests meet — every push refused with 413, a
 * conflict on every document — was retried every `retryMs` for as long as it lasted (279 requests in 10 s from one
 * desk whose pushes a proxy refused, with the tests' 300 ms).
 */
class RequestBackoff {
  #failures = 0;
  #lastFailureAt = 0;
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  waitMs(): number {
    if (this.#failures === 0) return 0;
    const backoff = Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.#failures - 1, 16));
    // Measured on the monotonic clock: a wall clock set back after a failure does not hold the collection's sync.
    return Math.max(0, this.#lastFailureAt + backoff - performance.now());
  }

  failed(): void {
    this.#failures++;
    this.#lastFailureAt = performance.now();
  }

  succeeded(): void {
    this.#failures = 0;
  }
}

/** The page size a `_changes` request asks for (`limit`), or no bound when it names none. */
function pageSize(url: URL): number {
  const limit = Number(url.searchParams.get('limit') ?? Number.NaN);
  return Number.isSafeInteger(limit) && limit > 0 ? limit : Number.POSITIVE_INFINITY;
}

/**
 * The sequence the plugin's live feed starts at ("now"), fixed once. RxDB pulls up to its checkpoint (`feed=normal`,
 * page after page until a short one) apart from the live feed; what the endpoint wrote after that pull's end must
 * come by the feed, so the feed may not start past it. The endpoint's sequence, asked while the pull runs, can be
 * (a busy endpoint answers the two in any order), and the plugin asks "now" again after a failed poll, later still:
 * what was written in between came down by neither (a desk whose first sync met a busy endpoint never got the salon's
 * clients). Once a pull has ended, its end is the start; before, the endpoint's sequence is (the pull's end is then
 * computed after it). What both cover is applied once.
 */
class StreamStart {
  #fixed: string | undefined;
  #pullEnd: string | undefined;
  readonly #underWay = new Set<Promise<unknown>>();

  /** A checkpoint pull was asked; `limit` is its page size. */
  pulling(request: Promise<{ results: unknown[]; last_seq: string | number } | undefined>, limit: number): void {
    const settled: Promise<unknown> = request.then(
      (answer) => {
        this.#underWay.delete(settled);
        if (answer && answer.results.length < limit) this.#pullEnd = String(answer.last_seq);
      },
      () => this.#underWay.delete(settled),
    );
    this.#underWay.add(settled);
  }

  async start(currentSequence: () => Promise<string>): Promise<string> {
    if (this.#fixed !== undefined) return this.#fixed;
    const asked = await currentSequence().then(
      (sequence) => ({ sequence }),
      (error: unknown) => ({ error }),
    );
    // A pull under way may be the last page, computed before the sequence was.
    await Promise.all([...this.#underWay]);
    if (this.#pullEnd !== undefined) return (this.#fixed = this.#pullEnd);
    if ('error' in asked) throw asked.error;
    if (asked.sequence !== 'now') this.#fixed = asked.sequence;
    return asked.sequence;
  }
}

/**
 * The endpoint's revision of each document this desk pushed, until the `_changes` feed has caught up with it. A
 * document's history on the endpoint is one line (the plugin always writes on top of the revision it read), so a
 * lower height is an older version. Entries leave when the feed shows the push or a later edit; the oldest go first
 * past a bound, in case the feed never does (a document later refused, say).
 */
class PushedRevisions {
  static readonly MAX_ENTRIES = 20_000;
  readonly #height = new Map<string, number>();
  /** Pushes sent and not answered yet, by document id. */
  readonly #underWay = new Map<string, Promise<unknown>>();

  /** A `_bulk_docs` request is on its way: its documents' revisions become known when it is answered. */
  sending(body: unknown, request: Promise<unknown>): void {
    const docs = (body as { docs?: unknown } | undefined)?.docs;
    if (!Array.isArray(docs)) return;
    const ids = docs.map((doc) => (doc as { _id?: unknown } | null)?._id).filter((id): id is string => typeof id === 'string');
    const settled: Promise<unknown> = request.then(
      () => this.#answered(ids, settled),
      () => this.#answered(ids, settled),
    );
    for (const id of ids) this.#underWay.set(id, settled);
  }

  #answered(ids: readonly string[], push: Promise<unknown>): void {
    // A later push of the same document keeps its own entry.
    for (const id of ids) if (this.#underWay.get(id) === push) this.#underWay.delete(id);
  }

  /** Resolves once every push of a document in this `_changes` answer has been answered (and recorded). */
  async landed(changes: unknown): Promise<void> {
    const results = (changes as { results?: unknown } | undefined)?.results;
    if (!Array.isArray(results) || this.#underWay.size === 0) return;
    const waits = new Set<Promise<unknown>>();
    for (const row of results) {
      const wait = this.#underWay.get((row as { id?: unknown } | null)?.id as string);
      if (wait) waits.add(wait);
    }
    if (waits.size > 0) await Promise.all(waits);
  }

  add(id: string, rev: unknown): void {
    const height = revisionHeight(rev);
    if (height === undefined) return;
    this.#height.delete(id);
    this.#height.set(id, height);
    if (this.#height.size > PushedRevisions.MAX_ENTRIES) this.#height.delete(this.#height.keys().next().value!);
  }

  /** True for a version older than one this desk pushed (it must not be applied); forgets the push once caught up. */
  outdates(doc: { _id?: unknown; _rev?: unknown }): boolean {
    if (typeof doc._id !== 'string') return false;
    const mine = this.#height.get(doc._id);
    const height = revisionHeight(doc._rev);
    if (mine === undefined || height === undefined) return false;
    if (height < mine) return true;
    this.#height.delete(doc._id);
    return false;
  }
}
