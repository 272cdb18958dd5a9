/**
 * Sets a CouchDB server up for one location, as its administrator: the location's databases, one user per desk, and
 * each database's `_security` so that only those desk users (and server admins) can read or write it. Used by
 * `npm run sync:provision` and by the tests, so the tests run against exactly the set-up the README describes.
 * Idempotent: existing databases are kept, existing users get the given password.
 */
import { locationDatabases } from '../../../shared/sync/sync-config.ts';
import { CouchClient, EndpointHealth, type CouchAuth } from './couch-client.ts';
import { systemClock } from '../system-clock.ts';

export interface ProvisionRequest {
  /** Server root, ending in "/". */
  endpoint: string;
  admin: CouchAuth;
  databasePrefix: string;
  desks: CouchAuth[];
}

export interface ProvisionResult {
  databases: string[];
  users: string[];
}

export async function provisionLocation(request: ProvisionRequest): Promise<ProvisionResult> {
  const abort = new AbortController();
  const client = new CouchClient({ endpoint: request.endpoint, auth: request.admin, health: new EndpointHealth({ clock: systemClock }), signal: abort.signal });
  const databases = locationDatabases(request.databasePrefix);
  try {
    for (const database of databases) await client.request(encodeURIComponent(database), { method: 'PUT', expect: [412], backoff: false });
    // CouchDB 3 creates _users on cluster set-up; a single node set up by hand may lack it.
    await client.request('_users', { method: 'PUT', expect: [412], backoff: false });
    for (const desk of request.desks) {
      const path = `_users/${encodeURIComponent(`org.couchdb.user:${desk.username}`)}`;
      const existing = await client.request(path, { expect: [404], backoff: false });
      const rev = existing.status === 404 ? undefined : (existing.body as { _rev?: string })._rev;
      await client.request(path, {
        method: 'PUT',
        body: { _id: `org.couchdb.user:${desk.username}`, ...(rev ? { _rev: rev } : {}), name: desk.username, password: desk.password, roles: [], type: 'user' },
        backoff: false,
      });
    }
    const security = { admins: { names: [], roles: [] }, members: { names: request.desks.map((d) => d.username), roles: [] } };
    for (const database of databases) await client.request(`${encodeURIComponent(database)}/_security`, { method: 'PUT', body: security, backoff: false });
    return { databases, users: request.desks.map((d) => d.username) };
  } finally {
    abort.abort();
  }
}
