/**
 * Bad peers: the endpoint answers garbage, 401, 500, a hostile document, or nothing at all. A proxy on loopback in
 * front of the CouchDB-compatible server injects each fault. Every time the status names the problem, local data is
 * untouched, the desk keeps retrying, the host keeps serving — and once the fault is gone, sync recovers by itself.
 * Also "Test connection" through the API: each problem is told apart (unauthorized, database missing, not CouchDB).
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { databaseName } from '../../../../shared/sync/sync-config.ts';
import type { SyncStatus } from '../../../../shared/sync/sync-status.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { LOCATION_ID, MINUTE, appointment, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

type Fault = 'none' | 'garbage' | 'unauthorized' | 'serverError' | 'hang' | 'hostile' | 'dropWrites';

const PREFIX = 'fd-bad';
let server: CouchTestServer;
let proxy: http.Server;
let proxyUrl: string;
let fault: Fault = 'none';
let faulted = 0;
let dataDir: string;
let host: FrontDeskHost;

function startProxy(): Promise<void> {
  proxy = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      faulted++;
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const isChanges = (req.url ?? '').includes('/_changes');
    if (fault === 'garbage') return send(200, '<html>Welcome to our captive portal</html>', 'text/html');
    if (fault === 'unauthorized') return send(401, JSON.stringify({ error: 'unauthorized', reason: 'Name or password is incorrect.' }));
    if (fault === 'serverError') return send(500, JSON.stringify({ error: 'internal_server_error', reason: 'boom' }));
    if (fault === 'dropWrites' && (req.method === 'PUT' || (req.method === 'POST' && req.url!.includes('/_bulk_docs')))) {
      // A broken gateway: every write "succeeds" and none reaches the server.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const docs = (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { docs?: { _id?: string }[] }).docs;
        send(201, JSON.stringify(docs ? docs.map((doc) => ({ ok: true, id: doc._id, rev: '1-dropped' })) : { ok: true, id: 'lease', rev: '1-dropped' }));
      });
      return;
    }
    if (fault === 'hang') {
      faulted++;
      req.on('close', () => res.destroy());
      return;
    }
    if (fault === 'hostile' && isChanges && req.url!.includes(databaseName(PREFIX, 'clients'))) {
      const hostile = { _id: 'c0', _rev: '99-x', locationId: LOCATION_ID, firstName: { $gt: '' }, __proto__: { admin: true }, _attachments: { a: {} } };
      return send(200, JSON.stringify({ results: [{ id: 'c0', seq: 999, changes: [{ rev: '99-x' }], doc: hostile }, { id: 'ghost', seq: 1000, changes: [] }], last_seq: 1000 }));
    }
    const upstream = http.request({ host: '127.0.0.1', port: server.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => {
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/`;
    resolve();
  }));
}

async function status(): Promise<SyncStatus> {
  const result = await host.api.call('sync.status', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as SyncStatus;
}

async function expectProblem(code: string): Promise<void> {
  const before = faulted;
  await waitUntil(async () => ((await status()).locations[0]?.problem?.code === code ? true : undefined), 20_000, async () => JSON.stringify(await status()));
  // Retries go on, and the host keeps answering.
  await waitUntil(async () => (faulted > before + 2 ? true : undefined), 20_000, () => `only ${faulted - before} retries`);
  const ping = await host.api.call('app.ping', { echo: 'still here' });
  expect(ping.ok).toBe(true);
  expect((await host.runtime.db.clients.findOne('c0').exec())?.firstName).toBe('Anna');
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }] });
  await startProxy();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bad-peers-'));
  host = new FrontDeskHost({ dataDir, mode: 'web', version: 'test', storage: getRxStorageMemory() as unknown as RxStorage<unknown, unknown>, syncTuning: { leaseTtlMs: 3_000, longpollMs: 1_000, retryMs: 200, baseBackoffMs: 100, maxBackoffMs: 500, requestTimeoutMs: 1_500 } });
  await host.start();
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c0', now)] });
  const saved = await host.api.call('sync.save', { enabled: true, endpoint: proxyUrl, username: 'desk-a', password: 'pw-a', deskName: 'Desk A', onlyDesk: false, allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }] });
  expect(saved.ok, JSON.stringify(saved)).toBe(true);
  await waitUntil(async () => ((await status()).phase === 'upToDate' ? true : undefined), 20_000, async () => JSON.stringify(await status()));
}, 60_000);

afterAll(async () => {
  await host?.stop();
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('bad peers never crash the desk', () => {
  it('garbage, 401, 500 and silence each show in the status while local data stays and retries go on; then it recovers', { timeout: 120_000 }, async () => {
    const now = Date.now();
    fault = 'garbage';
    await expectProblem('sync.badResponse');
    // Edits go on while the endpoint misbehaves.
    await host.runtime.db.appointments.insert(appointment('bp1', 'c0', now + 6 * 60 * MINUTE, now));
    fault = 'unauthorized';
    await expectProblem('sync.unauthorized');
    fault = 'serverError';
    await expectProblem('sync.serverError');
    fault = 'hang';
    await expectProblem('sync.timeout');
    expect((await status()).phase).toBe('offline');
    fault = 'none';
    await waitUntil(async () => ((await status()).phase === 'upToDate' ? true : undefined), 30_000, async () => JSON.stringify(await status()));
    const remote = await fetch(`${server.url}${databaseName(PREFIX, 'appointments')}/bp1`, { headers: { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}` } });
    expect(remote.status).toBe(200);
  });

  it('an endpoint that confirms writes it does not keep stops this desk dispatching, says why, and recovers', { timeout: 60_000 }, async () => {
    await waitUntil(async () => ((await status()).locations[0]?.dispatcher?.self === true ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    fault = 'dropWrites';
    const untrusted = await waitUntil(async () => {
      const location = (await status()).locations[0];
      return location?.problem?.code === 'sync.leaseUnconfirmed' ? location : undefined;
    }, 20_000, async () => JSON.stringify(await status()));
    expect(untrusted.phase).toBe('error');
    expect(untrusted.notSendingBecause).toBe('untrustedEndpoint');
    expect(untrusted.dispatcher?.self).not.toBe(true);
    expect((await host.api.call('app.ping', { echo: 'still here' })).ok).toBe(true);
    fault = 'none';
    await waitUntil(async () => {
      const location = (await status()).locations[0];
      return location?.dispatcher?.self === true && location.problem === undefined ? true : undefined;
    }, 20_000, async () => JSON.stringify(await status()));
  });

  it('a hostile document in the feed is quarantined and reported, and never reaches the book', { timeout: 60_000 }, async () => {
    // A fresh write on the server makes the desk's live feed ask again, through the hostile proxy.
    fault = 'hostile';
    await fetch(`${server.url}${databaseName(PREFIX, 'clients')}/poke`, {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ locationId: LOCATION_ID }),
    });
    await waitUntil(async () => ((await status()).quarantine.some((q) => q.id === 'c0') ? true : undefined), 20_000, async () => JSON.stringify(await status()));
    const entry = (await status()).quarantine.find((q) => q.id === 'c0')!;
    expect(entry.reason).toMatch(/unexpected field _attachments|firstName/);
    // Coded for the desk's language, through the API as the window gets it.
    expect(entry.code).toMatch(/^sync\.refused\.(field|invalid)$/);
    expect(entry.params).toBeDefined();
    expect((await host.runtime.db.clients.findOne('c0').exec())?.firstName).toBe('Anna');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    fault = 'none';
  });
});

describe('Test connection tells the problems apart', () => {
  const base = { username: 'desk-a', allowInsecureHttp: false, locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }] };
  const codes = async (request: Record<string, unknown>) => {
    const result = await host.api.call('sync.test', { ...base, ...request });
    if (!result.ok) throw new Error(result.error.message);
    return (result.value as { checks: { code: string; ok: boolean }[] }).checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.code}`);
  };

  it('passes every step with the right settings', async () => {
    expect(await codes({ endpoint: server.url, password: 'pw-a' })).toEqual(['✓ sync.check.reachable', '✓ sync.check.couchdb', '✓ sync.check.login', '✓ sync.check.databases']);
  });

  it('names a wrong password, a missing database, a server that is not CouchDB, an unreachable one, and plain http elsewhere', async () => {
    expect((await codes({ endpoint: server.url, password: 'wrong' })).at(-1)).toBe('✗ sync.unauthorized');
    expect((await codes({ endpoint: server.url, password: 'pw-a', locations: [{ locationId: LOCATION_ID, databasePrefix: 'fd-nowhere' }] })).at(-1)).toBe('✗ sync.databaseMissing');
    fault = 'garbage';
    expect((await codes({ endpoint: proxyUrl, password: 'pw-a' })).at(-1)).toBe('✗ sync.notCouchDb');
    fault = 'none';
    expect(await codes({ endpoint: 'http://127.0.0.1:9/', password: 'pw-a' })).toEqual(['✗ sync.unreachable']);
    expect(await codes({ endpoint: 'http://couch.example.com:5984/', password: 'pw-a' })).toEqual(['✗ sync.endpoint.insecure']);
    const refused = await host.api.call('sync.save', { ...base, enabled: true, endpoint: 'http://couch.example.com:5984/', deskName: 'Desk A', onlyDesk: false });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.reason).toBe('sync.endpoint.insecure');
  });
});
