/**
 * The remote-storage hub in plain Node, on a real host (node:sqlite files, demo salon, frozen clock): what a peer may
 * read, what it can never do, and that every message — however malformed — gets exactly one answer without harming
 * the host.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { buildCatalog, createRemoteStorageHub, databaseSource, MAX_CONNECTIONS_PER_PEER, sameJson, type RemoteStorageHub } from '../../../../electron/host/remote-storage/hub.ts';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { collections, COLLECTION_NAMES } from '../../../../shared/domain/collections.ts';
import { startFrozenHost } from '../support/frozen-host.ts';
import { integrityCheck, snapshotDatabase, type DatabaseSnapshot } from '../support/sqlite-snapshot.ts';
import { connectPeer, errorOf } from './support/hub-peer.ts';

let root: string;
let host: FrontDeskHost;
let hub: RemoteStorageHub;
let dbFile: string;
let before: DatabaseSnapshot;
const hostLog: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-hub-'));
  host = await startFrozenHost(path.join(root, 'data'), path.join(root, 'key'), { demo: true });
  hub = createRemoteStorageHub({ source: () => databaseSource(host.runtime.db), log: (line) => hostLog.push(line) });
  dbFile = path.join(root, 'data', 'frontdesk.sqlite');
  before = snapshotDatabase(dbFile);
});

afterEach(() => {
  expect(unhandled).toEqual([]);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  hub.close();
  await host.stop();
  await rm(root, { recursive: true, force: true });
});

const appointmentQuery = (selector: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  query: { selector: { ...selector, _deleted: { $eq: false } }, sort: [{ id: 'asc' }], skip: 0, ...extra },
  queryPlan: { index: ['_deleted', 'id'], startKeys: [], endKeys: [], inclusiveStart: true, inclusiveEnd: true, sortSatisfiedByIndex: true, selectorSatisfiedByIndex: false },
});

describe('the remote-storage hub', () => {
  it('answers the create messages that used to end the host process with an error', async () => {
    const peer = connectPeer(hub, host);
    for (const params of [{}, null, [], 'appointments', 42, { collectionName: 'appointments' }, { databaseName: 'frontdesk', collectionName: 'appointments', schema: null }]) {
      const answer = await peer.request(`c-${JSON.stringify(params)}`, 'create', params);
      expect(errorOf(answer).message).toMatch(/Invalid params for create/);
    }
    // Still serving: a well-formed create and a read work.
    expect((await peer.create('ok', 'appointments')).return).toBe('ok');
    expect((await peer.request('ok', 'count', [appointmentQuery()])).return).toMatchObject({ count: expect.any(Number) });
  });

  it('opens only the host\'s own collections, with exactly the host\'s schema', async () => {
    const peer = connectPeer(hub, host);
    for (const name of COLLECTION_NAMES) expect((await peer.create(`open-${name}`, name)).return).toBe('ok');

    const internal = errorOf(await peer.create('i', '_rxdb_internal', { schema: { version: 0 } }));
    expect(internal).toMatchObject({ code: 'forbidden' });
    expect(internal.message).toContain('internal store is not shared');
    expect(errorOf(await peer.create('u', 'CON')).message).toContain('Unknown collection "CON"');
    expect(errorOf(await peer.create('d', 'appointments', { databaseName: 'other' })).message).toContain('Unknown database "other"');

    const schema = host.runtime.db.appointments.schema.jsonSchema;
    const newer = errorOf(await peer.create('v', 'appointments', { schema: { ...schema, version: schema.version + 1 } }));
    expect(newer.message).toContain(`schema version ${schema.version + 1}, the host has version ${schema.version}: reload the page`);
    const { notes: _dropped, ...properties } = schema.properties as Record<string, unknown>;
    expect(errorOf(await peer.create('s', 'appointments', { schema: { ...schema, properties } })).message).toContain('differs from the host\'s');
    expect(errorOf(await peer.create('x', 'appointments', { extra: true })).message).toMatch(/Invalid params for create: .*extra/);
    expect(errorOf(await peer.create('p', 'appointments', { password: 'secret' })).message).toContain('password');
    expect(errorOf(await peer.send({ connectionId: 'r', requestId: 'rv', method: 'create', version: '1.0.0', params: {} }, 'rv')).message).toContain('reload the page');
    expect(errorOf(await peer.create(`open-${COLLECTION_NAMES[0]}`, COLLECTION_NAMES[0]!)).message).toContain('already open');

    expect(hub.openConnections).toBeGreaterThanOrEqual(COLLECTION_NAMES.length);
    peer.peer.close();
  });

  it('reads with the host\'s own query plan, whatever plan the peer sends', async () => {
    const peer = connectPeer(hub, host);
    await peer.create('a', 'appointments');
    const location = (await host.runtime.db.locations.findOne().exec())!.id;
    const all = await host.runtime.db.appointments.find({ selector: { locationId: location }, sort: [{ id: 'asc' }] }).exec();
    expect(all.length).toBeGreaterThan(10);

    const answer = await peer.request('a', 'query', [appointmentQuery({ locationId: { $eq: location } })]);
    expect((answer.return as { documents: { id: string }[] }).documents.map((d) => d.id)).toEqual(all.map((d) => d.id));

    // A plan naming a range that holds nothing, or an index that does not exist, changes nothing: the host plans.
    const lying = appointmentQuery({ locationId: { $eq: location } });
    for (const queryPlan of [{ ...lying.queryPlan, startKeys: ['zzzz'], endKeys: ['zzzz'] }, { ...lying.queryPlan, index: ['nope'] }, 'junk']) {
      const again = await peer.request('a', 'query', [{ ...lying, queryPlan }]);
      expect((again.return as { documents: unknown[] }).documents).toHaveLength(all.length);
    }

    const count = await peer.request('a', 'count', [appointmentQuery({ locationId: location })]);
    expect(count.return).toMatchObject({ count: all.length });
    const byId = await peer.request('a', 'findDocumentsById', [[all[0]!.id, 'missing'], false]);
    expect((byId.return as { id: string }[]).map((d) => d.id)).toEqual([all[0]!.id]);
    const changed = await peer.request('a', 'getChangedDocumentsSince', [5, null]);
    expect((changed.return as { documents: unknown[] }).documents).toHaveLength(5);
    expect((await peer.request('a', 'close', [])).return).toBeNull();
    expect(errorOf(await peer.request('a', 'count', [appointmentQuery()])).message).toContain('not open');
  });

  it('refuses queries outside the checked subset, saying what is wrong', async () => {
    const peer = connectPeer(hub, host);
    await peer.create('q', 'clients');
    const refused = async (query: unknown) => errorOf(await peer.request('q', 'query', [{ query, queryPlan: {} }])).message;
    expect(await refused({ selector: { firstName: { $regex: '(a+)+$' } }, sort: [{ id: 'asc' }] })).toContain('$regex is not allowed');
    expect(await refused({ selector: { firstName: { $where: 'sleep(1000)' } }, sort: [{ id: 'asc' }] })).toContain('operator $where is not allowed');
    expect(await refused({ selector: { $where: 'x' }, sort: [{ id: 'asc' }] })).toContain('$where is not allowed at the top');
    expect(await refused({ selector: { password: 'x' }, sort: [{ id: 'asc' }] })).toContain('"password" is not a field of clients');
    expect(await refused({ selector: { $or: Array.from({ length: 600 }, (_, i) => ({ firstName: `n${i}` })) } })).toContain('more than 500 conditions');
    expect(await refused({ selector: {}, sort: [{ id: 'sideways' }] })).toContain('sort entry');
    expect(await refused({ selector: {}, limit: -1 })).toContain('limit must be a whole number');
    expect(await refused({ selector: {}, hint: 'x' })).toContain('unknown part "hint"');
    expect(await refused('everything')).toContain('the query must be an object');
  });

  it('never lets a peer write, delete or clean up, in any collection', async () => {
    const peer = connectPeer(hub, host);
    for (const name of COLLECTION_NAMES) {
      await peer.create(`w-${name}`, name);
      const [doc] = (await peer.request(`w-${name}`, 'getChangedDocumentsSince', [1, null])).return.documents as Record<string, unknown>[];
      // A write RxDB itself would send for a real document: refused whether or not the document is valid.
      const row = doc ? { previous: doc, document: { ...doc, _rev: '99-forged', _meta: { lwt: 1 } } } : { document: { id: 'forged', _deleted: false, _rev: '1-x', _meta: { lwt: 1 }, _attachments: {} } };
      expect(errorOf(await peer.request(`w-${name}`, 'bulkWrite', [[row], 'forged'])).code).toBe('forbidden');
      expect(errorOf(await peer.request(`w-${name}`, 'bulkWrite', [[{ ...row, document: { ...row.document, _deleted: true } }], 'delete'])).message).toContain('read-only');
      expect(errorOf(await peer.request(`w-${name}`, 'remove', [])).code).toBe('forbidden');
      expect(errorOf(await peer.request(`w-${name}`, 'cleanup', [0])).message).toContain('not allowed');
      expect(errorOf(await peer.request(`w-${name}`, 'cleanup', [-1])).code).toBe('forbidden');
      expect(errorOf(await peer.request(`w-${name}`, 'getAttachmentData', ['x', 'y', 'z'])).code).toBe('forbidden');
      expect(errorOf(await peer.request(`w-${name}`, 'custom', { anything: true })).code).toBe('forbidden');
    }
    for (const name of ['_rxdb_internal', 'jobs2', 'CON', 'rx-migrating-appointments']) {
      expect((await peer.create(`new-${name}`, name)).error).toBeDefined();
      expect(errorOf(await peer.request(`new-${name}`, 'bulkWrite', [[{ document: { id: 'x' } }], 'x'])).code).toBe('forbidden');
    }
    expect(snapshotDatabase(dbFile)).toEqual(before);
    expect(integrityCheck(dbFile)).toBe('ok');
  });

  it('answers every malformed message exactly once, to its request id when it has one', async () => {
    const peer = connectPeer(hub, host);
    await peer.create('m', 'jobs');
    peer.answers.length = 0;
    const malformed: unknown[] = [
      null, 42, 'create', [], {},
      { connectionId: 'm', requestId: 'm1' },
      { connectionId: 'm', requestId: 'm2', method: 'query', version: RXDB_VERSION, params: 'x' },
      { connectionId: 'm', requestId: 'm3', method: 'frobnicate', version: RXDB_VERSION, params: [] },
      { connectionId: 'm', requestId: 'm4', method: 'count', version: RXDB_VERSION, params: [], extra: 1 },
      { connectionId: 'm', requestId: 'm5', method: 'findDocumentsById', version: RXDB_VERSION, params: [Array(20_000).fill('id'), false] },
      { connectionId: 'm', requestId: 'm6', method: 'query', version: RXDB_VERSION, params: [{ query: JSON.parse('{"__proto__": {"polluted": true}}'), queryPlan: {} }] },
      { connectionId: 'm', requestId: 'm7', method: 'query', version: RXDB_VERSION, params: [{ query: { selector: { constructor: 1 } }, queryPlan: {} }] },
      { connectionId: 'm', requestId: 'm8', method: 'findDocumentsById', version: RXDB_VERSION, params: [['x'.repeat(300_000)], false] },
      { connectionId: 'm', requestId: 'm9', method: 'query', version: RXDB_VERSION, params: [nested(200)] },
      { connectionId: 'x'.repeat(500), requestId: 'long', method: 'close', version: RXDB_VERSION, params: [] },
      { connectionId: 'unknown', requestId: 'm10', method: 'query', version: RXDB_VERSION, params: [appointmentQuery()] },
      { connectionId: 'm', requestId: 'm11', method: 'changeStream', version: RXDB_VERSION, params: [] },
    ];
    const withIds = malformed.filter((m) => typeof (m as { requestId?: unknown } | null)?.requestId === 'string' && (m as { connectionId: string }).connectionId.length <= 200);
    for (const message of malformed) peer.peer.receive(message);
    await until(() => peer.answers.length + peer.protocolErrors.length >= malformed.length);
    expect(peer.answers.map((a) => a.answerTo).sort()).toEqual(withIds.map((m) => (m as { requestId: string }).requestId).sort());
    expect(peer.answers.every((a) => a.error !== undefined)).toBe(true);
    expect(peer.protocolErrors).toHaveLength(malformed.length - withIds.length);
    const byId = new Map(peer.answers.map((a) => [a.answerTo, (a.error as { message: string }).message]));
    expect(byId.get('m5')).toContain('10000');
    expect(byId.get('m6')).toContain('"__proto__"');
    expect(byId.get('m8')).toContain('256 KiB');
    expect(byId.get('m9')).toContain('deeper than 64 levels');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The connection still works.
    expect((await peer.request('m', 'count', [appointmentQuery()])).error).toBeUndefined();
  });

  it('forwards the host\'s changes to each open connection, and nothing after the peer leaves', async () => {
    const peer = connectPeer(hub, host);
    await peer.create('live', 'team_events');
    const open = hub.openConnections;
    const doc = (await host.runtime.db.team_events.findOne().exec())!;
    await doc.incrementalPatch({ read: true });
    await until(() => peer.changes.length > 0);
    expect(peer.changes[0]).toMatchObject({ connectionId: 'live', method: 'changeStream' });
    peer.peer.close();
    expect(hub.openConnections).toBe(open - 1);
    const seen = peer.changes.length;
    await doc.getLatest().incrementalPatch({ read: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(peer.changes.length).toBe(seen);
    before = snapshotDatabase(dbFile); // the host itself wrote; later tests compare against this
  });

  it('bounds the connections one peer may open', async () => {
    const peer = connectPeer(hub, host);
    for (let i = 0; i < MAX_CONNECTIONS_PER_PEER; i++) expect((await peer.create(`many-${i}`, 'staff')).return).toBe('ok');
    expect(errorOf(await peer.create('one-too-many', 'staff')).message).toContain(`at most ${MAX_CONNECTIONS_PER_PEER}`);
    peer.peer.close();
  });

  it('answers "unavailable" once the hub is closing, and when the host is not running', async () => {
    const stopped = createRemoteStorageHub({ source: () => { throw new Error('FrontDesk is stopped; try again in a moment.'); } });
    const peer = connectPeer(stopped, host);
    expect(errorOf(await peer.create('s', 'appointments'))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('FrontDesk is stopped') });
    stopped.close();
    expect(errorOf(await peer.create('t', 'appointments'))).toMatchObject({ code: 'unavailable', message: 'FrontDesk is stopping.' });
  });

  it('with the build\'s catalog, answers a create before the database is open; its reads wait for the database', async () => {
    const catalog = buildCatalog('frontdesk', collections);
    // The catalog is what the open database has: the same schema, collection by collection.
    for (const name of COLLECTION_NAMES) expect(sameJson(host.runtime.db.collections[name].schema.jsonSchema, catalog.schema(name)), name).toBe(true);

    let openDatabase: () => void = () => {};
    const opened = new Promise<void>((resolve) => (openDatabase = resolve));
    const early = createRemoteStorageHub({ catalog, source: async () => { await opened; return databaseSource(host.runtime.db); } });
    const peer = connectPeer(early, host);
    expect((await peer.create('a', 'appointments')).return).toBe('ok');
    const schema = host.runtime.db.appointments.schema.jsonSchema;
    expect(errorOf(await peer.create('v', 'appointments', { schema: { ...schema, version: schema.version + 1 } })).message).toContain('the host has version');
    expect(errorOf(await peer.create('u', 'CON')).message).toContain('Unknown collection "CON"');
    const counted = peer.request('a', 'count', [appointmentQuery()]);
    expect(await Promise.race([counted.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 100))])).toBe('waiting');
    openDatabase();
    const expected = await host.runtime.db.appointments.count().exec();
    expect((await counted).return).toMatchObject({ count: expected });
    peer.peer.close();
    early.close();

    const never = createRemoteStorageHub({ catalog, source: () => Promise.reject(new Error('the database is damaged')) });
    const refused = connectPeer(never, host);
    expect((await refused.create('a', 'appointments')).return).toBe('ok');
    expect(errorOf(await refused.request('a', 'count', [appointmentQuery()]))).toMatchObject({ code: 'unavailable', message: expect.stringContaining('the database is damaged') });
    refused.peer.close();
    never.close();
  });

  it('logs a sample of refusals, not one line per junk message', async () => {
    const peer = connectPeer(hub, host);
    const logged = hostLog.length;
    for (let i = 0; i < 200; i++) peer.peer.receive({ junk: i });
    expect(peer.protocolErrors).toHaveLength(200);
    expect(hostLog.length - logged).toBeLessThanOrEqual(5);
  });
});

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
