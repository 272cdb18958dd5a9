/**
 * A CouchDB-compatible server on loopback for the sync tests and the bench: express-pouchdb in "fullCouchDB" mode
 * (`_users`, `_security`, revisions, `_changes`, `_bulk_docs`) over in-memory PouchDB, in the calling process — no
 * native code, up in well under a second. `stop()` closes the port and cuts every connection while the data stays in
 * memory, and `resume()` listens on the same port again: from the desks' side the server went away and came back.
 *
 * express-pouchdb crashes its process on a database PUT/DELETE by a non-admin; real CouchDB answers 401/403 there,
 * so a guard in front does that.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

const require = createRequire(import.meta.url);

export interface CouchTestServer {
  /** Server root, ending in "/". */
  url: string;
  port: number;
  admin: { username: string; password: string };
  /** Requests seen (method and path), for tests that assert what a desk asked. */
  requests: number;
  stop(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/** The server admin every test server is created with. */
export const TEST_COUCH_ADMIN = { username: 'admin', password: 'admin-secret' } as const;

type PouchStatic = { plugin(p: unknown): PouchStatic; defaults(o: object): PouchStatic };

export async function startCouchServer(options: { port?: number } = {}): Promise<CouchTestServer> {
  const PouchDB = (require('pouchdb-core') as PouchStatic)
    .plugin(require('pouchdb-adapter-memory'))
    .plugin(require('pouchdb-adapter-http'))
    .plugin(require('pouchdb-mapreduce'))
    .plugin(require('pouchdb-replication'));
  const expressPouchDB = require('express-pouchdb') as (db: PouchStatic, opts: object) => http.RequestListener & { couchConfig: { set(section: string, key: string, value: string, cb: (err?: unknown) => void): void } };
  const app = expressPouchDB(PouchDB.defaults({ adapter: 'memory' }), { mode: 'fullCouchDB', inMemoryConfig: true, logPath: '/dev/null' });
  const admin = { ...TEST_COUCH_ADMIN };
  await new Promise<void>((resolve, reject) => app.couchConfig.set('admins', admin.username, admin.password, (err) => (err ? reject(err) : resolve())));
  const adminHeader = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
  const state = { requests: 0 };
  const sockets = new Set<Socket>();
  const handler: http.RequestListener = (req, res) => {
    state.requests++;
    const path = (req.url ?? '/').split('?')[0]!;
    const isDatabaseRoot = /^\/[^/_][^/]*\/?$/.test(path);
    if (isDatabaseRoot && (req.method === 'PUT' || req.method === 'DELETE') && req.headers.authorization !== adminHeader) {
      res.writeHead(req.headers.authorization ? 403 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized', reason: 'You are not a server admin.' }));
      return;
    }
    app(req, res);
  };
  let server!: http.Server;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server = http.createServer(handler);
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(options.port ?? 0);
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    admin,
    get requests() {
      return state.requests;
    },
    stop,
    resume: async () => {
      await listen(port);
    },
    close: stop,
  };
}
