/**
 * An endpoint that confirms writes it does not keep (a broken proxy or gateway in front of CouchDB): every PUT is
 * answered 201 with a made-up revision and never reaches the server. Two desks of one location run their dispatch
 * leases through it with real clients against a real CouchDB-compatible server: neither may count itself the
 * dispatcher (both would send), each says why, and once the proxy passes writes on again exactly one takes the lease.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth } from '../../../../electron/host/sync/couch-client.ts';
import { DispatchLease } from '../../../../electron/host/sync/dispatch-lease.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../../../electron/host/system-clock.ts';
import { databaseName } from '../../../../shared/sync/sync-config.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { waitUntil } from '../engine/integration/support/salon.ts';

const PREFIX = 'fd-lying';
const TTL_MS = 1_200;
let server: CouchTestServer;
let proxy: http.Server;
let proxyUrl: string;
let dropWrites = true;
let dropped = 0;

function startProxy(): Promise<void> {
  proxy = http.createServer((req, res) => {
    if (dropWrites && req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      req.on('end', () => {
        dropped++;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, id: 'lease', rev: `1-${dropped.toString(16).padStart(32, '0')}` }));
      });
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => {
      proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
      resolve();
    }),
  );
}

function desk(id: string, abort: AbortController, log: string[]): DispatchLease {
  const health = new EndpointHealth({ clock: systemClock, baseBackoffMs: 50, maxBackoffMs: 200 });
  const client = new CouchClient({ endpoint: proxyUrl, auth: { username: id, password: `pw-${id}` }, health, signal: abort.signal, timeoutMs: 2_000 });
  return new DispatchLease({ client, database: databaseName(PREFIX, 'dispatch'), deskId: id, deskName: id, clock: systemClock, timers: systemTimers, ttlMs: TTL_MS, log: (line) => log.push(line), onChange: () => undefined });
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-desk-a' }, { username: 'desk-b', password: 'pw-desk-b' }] });
  await startProxy();
}, 30_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
});

describe('an endpoint that confirms writes it does not keep', () => {
  it('gives no desk the dispatch lease and tells why; once it keeps writes again, exactly one desk holds it', { timeout: 30_000 }, async () => {
    const abort = new AbortController();
    const log: string[] = [];
    const leases = [desk('desk-a', abort, log), desk('desk-b', abort, log)];
    let everHeld = 0;
    let mostHolders = 0;
    const sampler = setInterval(() => {
      const holders = leases.filter((lease) => lease.holding).length;
      everHeld += holders;
      mostHolders = Math.max(mostHolders, holders);
    }, 5);
    try {
      for (const lease of leases) lease.start();
      // Several ttls of lying: each desk tries again and again.
      await waitUntil(async () => (dropped >= 8 && leases.every((lease) => lease.view().problem) ? true : undefined), 15_000, () => `dropped=${dropped} ${JSON.stringify(leases.map((l) => l.view()))}`);
      await new Promise((resolve) => setTimeout(resolve, 2 * TTL_MS));
      expect(everHeld, 'a desk counted itself the dispatcher on an endpoint that keeps nothing').toBe(0);
      for (const lease of leases) expect(lease.view().problem?.code).toBe('sync.leaseUnconfirmed');
      expect(log.some((line) => line.includes('does not send'))).toBe(true);

      dropWrites = false;
      await waitUntil(async () => (leases.some((lease) => lease.holding) ? true : undefined), 15_000, () => JSON.stringify(leases.map((l) => l.view())));
      await new Promise((resolve) => setTimeout(resolve, 2 * TTL_MS));
      expect(mostHolders).toBe(1);
      expect(leases.filter((lease) => lease.holding)).toHaveLength(1);
      for (const lease of leases) expect(lease.view().problem).toBeUndefined();
    } finally {
      clearInterval(sampler);
      await Promise.all(leases.map((lease) => lease.stop(false)));
      abort.abort();
    }
  });
});
