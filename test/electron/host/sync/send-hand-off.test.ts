/**
 * The hand-off before a provider call (DESIGN §4.6): a desk's `sending` version of a job must be on the endpoint before
 * the message goes out, so a desk that takes the lease over sees it and never sends the message again. Against a
 * CouchDB-compatible server on loopback, with the job database's writes held by the test: a job planned a moment before
 * its send still has its `planned` version on the way when the step goes `sending`, and that push landing must not
 * count as the hand-off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { CouchClient, EndpointHealth } from '../../../../electron/host/sync/couch-client.ts';
import { Quarantine } from '../../../../electron/host/sync/incoming.ts';
import { SetAside } from '../../../../electron/host/sync/set-aside.ts';
import { LocationSync } from '../../../../electron/host/sync/location-sync.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../../../electron/host/system-clock.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import { validDocs } from '../db/fixtures.ts';

const PREFIX = 'fd-handoff';
const JOBS_WRITE = `${PREFIX}-jobs/_bulk_docs`;

let server: CouchTestServer;
let dataDir: string;
let db: FrontDeskDatabase;
let location: LocationSync;
const abort = new AbortController();
/** The job database's writes wait here while `holding` is on; each is let go by the test. */
let holding = false;
const held: (() => void)[] = [];
/** While on, the job database's writes are answered "ok" and never reach the server (a broken proxy). */
let dropping = false;
/** The job database's `_changes` answers wait here while `holdingPulls` is on: the desk's copy lags. */
let holdingPulls = false;
const heldPulls: (() => void)[] = [];

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ADMIN = { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' };

async function endpointJob(id: string): Promise<Job & { _rev?: string }> {
  const response = await fetch(`${server.url}${PREFIX}-jobs/${encodeURIComponent(id)}`, { headers: ADMIN });
  return (await response.json()) as Job;
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }] });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-hand-off-'));
  db = await openFrontDeskDatabase({ storage: getRxStorageMemory(), name: `handoff${Date.now()}`, multiInstance: false });
  const client = new CouchClient({ endpoint: server.url, auth: { username: 'desk-a', password: 'pw-a' }, health: new EndpointHealth({ clock: systemClock }), signal: abort.signal, timeoutMs: 5_000 });
  const request = client.request.bind(client);
  client.request = async (url, init) => {
    if (holding && url.includes(JOBS_WRITE)) await new Promise<void>((resolve) => held.push(resolve));
    if (dropping && url.includes(JOBS_WRITE)) {
      const docs = (init?.body as { docs?: { _id: string; _rev?: string }[] } | undefined)?.docs ?? [];
      return { status: 201, body: docs.map((doc) => ({ ok: true, id: doc._id, rev: `${Number.parseInt(doc._rev ?? '0', 10) + 1}-dropped` })) };
    }
    const answer = await request(url, init);
    if (holdingPulls && url.includes(`${PREFIX}-jobs/_changes`)) await new Promise<void>((resolve) => heldPulls.push(resolve));
    return answer;
  };
  location = new LocationSync({
    db,
    location: { locationId: validDocs.jobs.locationId, databasePrefix: PREFIX },
    client,
    deskId: 'desk-a',
    deskName: 'Desk A',
    clock: systemClock,
    timers: systemTimers,
    quarantine: new Quarantine(dataDir, systemClock, () => undefined),
    setAside: new SetAside({ dataDir, clock: systemClock, onChange: () => undefined }),
    tuning: { leaseTtlMs: 4_000, longpollMs: 1_000, retryMs: 300 },
    dispatch: false,
    log: () => undefined,
    onChange: () => undefined,
    onLeaseChange: () => undefined,
    onConflict: () => undefined,
  });
  location.start();
}, 30_000);

afterAll(async () => {
  holding = false;
  holdingPulls = false;
  for (const release of [...held.splice(0), ...heldPulls.splice(0)]) release();
  await location?.stop(false);
  abort.abort();
  await db?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the hand-off of a send', () => {
  it('is done only once the endpoint has the `sending` version, not when an earlier version of the job lands', { timeout: 30_000 }, async () => {
    holding = true;
    const planned: Job = { ...validDocs.jobs };
    await db.jobs.insert(planned);
    // The `planned` version's push is on its way (held at the endpoint) when the engine takes the job to send it.
    await until(() => held.length === 1, 10_000);
    const at = new Date().toISOString();
    const sending: Job = { ...planned, state: 'sending', attempts: 1, updatedAt: at, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk: 'desk-a', epoch: 1 } }] };
    await db.jobs.upsert(sending);
    const handOff = location.awaitSendPushed(sending, 10_000);
    let handedOff: boolean | undefined;
    void handOff.then((done) => (handedOff = done));

    // The `planned` push lands; the `sending` one is held next.
    held.shift()!();
    await until(() => held.length === 1 || handedOff !== undefined, 10_000);
    expect(handedOff, 'handed off while the endpoint had the job planned').toBeUndefined();
    expect((await endpointJob(planned.id)).state).toBe('planned');

    holding = false;
    held.shift()!();
    expect(await handOff).toBe(true);
    expect((await endpointJob(planned.id)).cascade?.[0]).toMatchObject({ state: 'sending', at, fence: { desk: 'desk-a', epoch: 1 } });
  });

  it('is refused as soon as the merge with a version on the endpoint that knows more replaces the send, not at the timeout', { timeout: 30_000 }, async () => {
    const planned: Job = { ...validDocs.jobs, id: 'reminder|a3|1440|cascade', subjectId: 'a3', idempotencyKey: 'reminder|a3|1440|cascade' };
    await db.jobs.insert(planned);
    let onEndpoint = await endpointJob(planned.id);
    for (const deadline = Date.now() + 10_000; onEndpoint.state !== 'planned' && Date.now() < deadline; onEndpoint = await endpointJob(planned.id)) await new Promise((resolve) => setTimeout(resolve, 50));
    // Another desk delivered the job; this desk's pull lags (its copy stays planned) when it takes the job to send it.
    holdingPulls = true;
    const deliveredAt = new Date().toISOString();
    const { _rev: rev } = onEndpoint;
    const delivered = { ...planned, _id: planned.id, _rev: rev, id: undefined, state: 'delivered', attempts: 1, updatedAt: deliveredAt, cascade: [{ channel: 'email', scenario: 'always', state: 'delivered', at: deliveredAt, fence: { desk: 'desk-b', epoch: 2 } }] };
    expect((await fetch(`${server.url}${PREFIX}-jobs/${encodeURIComponent(planned.id)}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(delivered) })).status).toBe(201);
    const at = new Date().toISOString();
    const sending: Job = { ...planned, state: 'sending', attempts: 1, updatedAt: at, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk: 'desk-a', epoch: 3 } }] };
    await db.jobs.upsert(sending);

    const asked = Date.now();
    expect(await location.awaitSendPushed(sending, 20_000)).toBe(false);
    expect(Date.now() - asked, 'refused only at the timeout').toBeLessThan(10_000);
    expect((await db.jobs.findOne(planned.id).exec())?.state).toBe('delivered');
    holdingPulls = false;
    for (const release of heldPulls.splice(0)) release();
  });

  it('is refused when the endpoint answers the push "ok" but does not keep it', { timeout: 30_000 }, async () => {
    const planned: Job = { ...validDocs.jobs, id: 'reminder|a5|1440|cascade', subjectId: 'a5', idempotencyKey: 'reminder|a5|1440|cascade' };
    await db.jobs.insert(planned);
    let onEndpoint = await endpointJob(planned.id);
    for (const deadline = Date.now() + 10_000; onEndpoint.state !== 'planned' && Date.now() < deadline; onEndpoint = await endpointJob(planned.id)) await new Promise((resolve) => setTimeout(resolve, 50));
    dropping = true;
    try {
      const at = new Date().toISOString();
      const sending: Job = { ...planned, state: 'sending', attempts: 1, updatedAt: at, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk: 'desk-a', epoch: 1 } }] };
      await db.jobs.upsert(sending);
      expect(await location.awaitSendPushed(sending, 5_000)).toBe(false);
      expect((await endpointJob(planned.id)).state).toBe('planned');
    } finally {
      dropping = false;
    }
  });

  it('is never done while the endpoint keeps a version of the job this desk cannot read (a newer desk\'s step state)', { timeout: 30_000 }, async () => {
    const planned: Job = { ...validDocs.jobs, id: 'reminder|a4|1440|cascade', subjectId: 'a4', idempotencyKey: 'reminder|a4|1440|cascade' };
    await db.jobs.insert(planned);
    let onEndpoint = await endpointJob(planned.id);
    for (const deadline = Date.now() + 10_000; onEndpoint.state !== 'planned' && Date.now() < deadline; onEndpoint = await endpointJob(planned.id)) await new Promise((resolve) => setTimeout(resolve, 50));
    // A desk on a newer version takes the send back in a step state this one does not know: its incoming check refuses
    // that version (quarantined), so the pull leaves this desk's copy planned.
    const stamp = new Date().toISOString();
    const newer = { ...planned, _id: planned.id, _rev: onEndpoint._rev, id: undefined, state: 'withdrawn', attempts: 1, updatedAt: stamp, cascade: [{ channel: 'email', scenario: 'always', state: 'withdrawn', at: stamp, fence: { desk: 'desk-b', epoch: 4 } }] };
    expect((await fetch(`${server.url}${PREFIX}-jobs/${encodeURIComponent(planned.id)}`, { method: 'PUT', headers: ADMIN, body: JSON.stringify(newer) })).status).toBe(201);
    const at = new Date().toISOString();
    const sending: Job = { ...planned, state: 'sending', attempts: 1, updatedAt: at, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at, fence: { desk: 'desk-a', epoch: 5 } }] };
    await db.jobs.upsert(sending);

    // The push meets the unreadable version: it is not done (the endpoint does not have this send), so no hand-off.
    expect(await location.awaitSendPushed(sending, 4_000), 'handed off while the endpoint kept another desk\'s version').toBe(false);
    expect((await endpointJob(planned.id)).state).toBe('withdrawn');
    // Nothing is lost: the desk's own version stays, waiting to be pushed once the endpoint's copy can be read.
    expect((await db.jobs.findOne(planned.id).exec())?.state).toBe('sending');
  });

});
