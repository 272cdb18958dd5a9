/**
 * "Test connection" in the sync settings: step by step, each with a clear verdict — the address is acceptable, the
 * server answers, it is CouchDB, the desk's user name and password work, and every database of each synced location
 * exists and is open to this user. Nothing is written.
 */
import { databaseName, SYNCED_COLLECTIONS, type SyncConfig } from '../../../shared/sync/sync-config.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import { CouchClient, EndpointHealth, SyncError } from './couch-client.ts';
import { checkEndpoint } from './endpoint-check.ts';

export interface ConnectionCheck {
  /** `sync.check.<step>` when it passed, or the problem's code (`sync.unauthorized`, …). */
  code: string;
  ok: boolean;
  message: string;
  params?: Record<string, string | number>;
}

export interface ConnectionTestResult {
  ok: boolean;
  insecure: boolean;
  checks: ConnectionCheck[];
}

export async function testConnection(config: Pick<SyncConfig, 'endpoint' | 'username' | 'allowInsecureHttp' | 'locations'>, password: string, clock: Clock, timeoutMs = 10_000): Promise<ConnectionTestResult> {
  const checks: ConnectionCheck[] = [];
  const endpoint = checkEndpoint(config.endpoint, config.allowInsecureHttp);
  if (!endpoint.ok) return { ok: false, insecure: false, checks: [{ code: endpoint.code, ok: false, message: endpoint.message }] };
  const abort = new AbortController();
  const health = new EndpointHealth({ clock });
  const anonymous = new CouchClient({ endpoint: endpoint.url, health, signal: abort.signal, timeoutMs });
  const client = new CouchClient({ endpoint: endpoint.url, auth: { username: config.username, password }, health, signal: abort.signal, timeoutMs });
  const fail = (error: unknown): ConnectionTestResult => {
    const e = error instanceof SyncError ? error : new SyncError('sync.badResponse', String(error));
    checks.push({ code: e.code, ok: false, message: e.message, ...(e.status ? { params: { status: e.status } } : {}) });
    return { ok: false, insecure: endpoint.insecure, checks };
  };
  try {
    const host = new URL(endpoint.url).host;
    const notCouchDb = () => new SyncError('sync.notCouchDb', `${host} answers, but it is not CouchDB. Check the address (and the port, usually 6984 for https).`);
    let root;
    try {
      root = await anonymous.request('', { backoff: false, expect: [401] });
    } catch (error) {
      // Something answered, but not with CouchDB's JSON welcome (a web page, a router, a proxy's error page).
      return fail(error instanceof SyncError && error.code === 'sync.badResponse' ? notCouchDb() : error);
    }
    checks.push({ code: 'sync.check.reachable', ok: true, message: `${host} answers.`, params: { host } });
    const welcome = root.body as { couchdb?: unknown; 'express-pouchdb'?: unknown; version?: unknown } | undefined;
    // A server that requires login even for its welcome (require_valid_user) answers 401 here: judged at login.
    if (root.status !== 401 && welcome?.couchdb === undefined && welcome?.['express-pouchdb'] === undefined) {
      return fail(notCouchDb());
    }
    if (root.status !== 401) checks.push({ code: 'sync.check.couchdb', ok: true, message: `CouchDB ${String(welcome?.version ?? '')}`.trim(), params: { version: String(welcome?.version ?? '') } });
    try {
      const session = await client.request('_session', { backoff: false });
      const name = (session.body as { userCtx?: { name?: unknown } } | undefined)?.userCtx?.name;
      if (name !== config.username) return fail(new SyncError('sync.unauthorized', 'The sync server did not accept the desk’s user name and password. Check them (or ask whoever runs the server to reset the desk user).', 401));
    } catch (error) {
      return fail(error);
    }
    checks.push({ code: 'sync.check.login', ok: true, message: `Signed in as ${config.username}.`, params: { user: config.username } });
    for (const location of config.locations) {
      for (const name of [...SYNCED_COLLECTIONS, 'dispatch' as const]) {
        const database = databaseName(location.databasePrefix, name);
        try {
          await client.request(encodeURIComponent(database), { backoff: false });
        } catch (error) {
          return fail(error);
        }
      }
      checks.push({ code: 'sync.check.databases', ok: true, message: `The ${SYNCED_COLLECTIONS.length + 1} databases of ${location.locationId} are there and open to this desk.`, params: { location: location.locationId } });
    }
    return { ok: true, insecure: endpoint.insecure, checks };
  } finally {
    abort.abort();
  }
}
