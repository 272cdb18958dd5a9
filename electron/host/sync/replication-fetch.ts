/**
 * The `fetch` RxDB's CouchDB replication plugin uses for one collection. It goes through the guarded client (timeouts,
 * backoff, abort at stop, error codes) and hands RxDB only well-formed answers: a status other than 2xx becomes a
 * thrown `SyncError` (which RxDB reports and retries), never a JSON body the plugin would misread — an error body in
 * its live long-poll loop would otherwise end as an unhandled rejection, which ends the process. Documents in
 * `_changes` and `_all_docs` answers pass the incoming check; refused ones are quarantined and left out.
 */
import type { CouchClient } from './couch-client.ts';
import { LongPollIdle, SyncError } from './couch-client.ts';
import type { IncomingCheck, Quarantine } from './incoming.ts';

export interface ReplicationFetchOptions {
  client: CouchClient;
  collection: string;
  check: IncomingCheck;
  quarantine: Quarantine;
  /** How long a live long-poll waits on the server for a change before it answers "nothing new". */
  longpollMs: number;
  /** How much longer than `longpollMs` a long-poll may take before it counts as ended (default 15 s). */
  longpollGraceMs?: number;
  /** Called with every pulled batch size (first-sync progress). */
  onPulled?: (count: number) => void;
}

type RxFetch = (url: string, init?: { method?: string; body?: string; headers?: Record<string, string> }) => Promise<Response>;

function badShape(what: string): SyncError {
  return new SyncError('sync.badResponse', `The sync endpoint sent a malformed ${what} answer; FrontDesk ignored it and retries.`);
}

export function replicationFetch(options: ReplicationFetchOptions): RxFetch {
  const { client, check, quarantine, collection } = options;

  const keepDoc = (doc: unknown): boolean => {
    const verdict = check(doc);
    if (!verdict.ok) quarantine.add(collection, doc, verdict.reason);
    return verdict.ok;
  };

  return async (url, init = {}) => {
    const parsed = new URL(url);
    const route = parsed.pathname.split('/').filter(Boolean).at(-1) ?? '';
    const method = init.method ?? 'GET';
    if (route === '_changes' && parsed.searchParams.get('feed') === 'longpoll') return Response.json(await longPoll(parsed));
    const body = init.body === undefined ? undefined : (JSON.parse(init.body) as unknown);
    const answer = await client.request(parsed.toString(), { method, ...(body !== undefined ? { body } : {}) });
    return Response.json(sanitize(route, method, answer.body, body));
  };

  async function longPoll(url: URL): Promise<unknown> {
    // The plugin asks for a heartbeat (a connection held open forever); a bounded wait answers "nothing new" instead,
    // so a silently dead connection is noticed and the request timeout can stay short.
    url.searchParams.delete('heartbeat');
    url.searchParams.set('timeout', String(options.longpollMs));
    // The plugin's first long-poll starts at "now": pinned to the database's sequence, so that a poll asked again
    // (after a failure or with nothing new) resumes exactly there instead of skipping what changed in between.
    if (url.searchParams.get('since') === 'now') url.searchParams.set('since', await currentSequence(url));
    try {
      const answer = await client.request(url.toString(), { timeoutMs: options.longpollMs + (options.longpollGraceMs ?? 15_000), longpoll: true });
      return sanitize('_changes', 'GET', answer.body, undefined);
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

  function sanitize(route: string, method: string, answer: unknown, request: unknown): unknown {
    if (route === '_changes') {
      const changes = answer as { results?: unknown; last_seq?: unknown };
      if (typeof changes !== 'object' || changes === null || !Array.isArray(changes.results) || (typeof changes.last_seq !== 'string' && typeof changes.last_seq !== 'number')) throw badShape('_changes');
      const results = changes.results.filter((row: unknown) => {
        const doc = (row as { doc?: unknown })?.doc;
        if (typeof doc !== 'object' || doc === null) {
          // A deletion, or a row without its document: nothing FrontDesk can apply.
          if ((row as { deleted?: unknown })?.deleted === true) quarantine.add(collection, { _id: (row as { id?: unknown }).id, _deleted: true }, 'deleted on the endpoint; FrontDesk keeps its copy');
          return false;
        }
        return keepDoc(doc);
      });
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
          return row;
        })
        // The plugin reads `row.doc` of every row of the conflict re-read: rows without one are left out there.
        .filter((row: Record<string, unknown>) => method === 'POST' || (typeof row.doc === 'object' && row.doc !== null));
      return { ...all, rows };
    }
    if (route === '_bulk_docs') {
      if (!Array.isArray(answer) || answer.some((row) => typeof row !== 'object' || row === null || typeof (row as { id?: unknown }).id !== 'string')) throw badShape('_bulk_docs');
      return answer;
    }
    return answer;
  }
}
