/**
 * One desk (the host's salon runtime on RxDB memory storage) syncing with a CouchDB-compatible server on loopback: the
 * book goes up, other desks' documents come down and are planned like local ones, the desk takes the dispatch lease,
 * hostile documents are quarantined, and the password stays out of the data folder's plain files.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalonRuntime } from '../../../../electron/host/salon-runtime.ts';
import { provisionLocation } from '../../../../electron/host/sync/provision.ts';
import { systemClock, systemTimers } from '../../../../electron/host/system-clock.ts';
import type { ChannelProvider } from '../../../../shared/engine/provider.ts';
import { databaseName, type SyncConfig } from '../../../../shared/sync/sync-config.ts';
import { startCouchServer, type CouchTestServer } from '../../../support/couch-server.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import { moveAppointment } from '../../../../shared/domain/booking-edits.ts';
import { LOCATION_ID, MINUTE, appointment, salonClient, seedSalon, waitUntil } from '../engine/integration/support/salon.ts';

const PREFIX = 'fd-test';
let server: CouchTestServer;
let dataDir: string;
let runtime: SalonRuntime;
const sent: string[] = [];
const logLines: string[] = [];

const recordingEmail: ChannelProvider = {
  channel: 'email',
  readiness: () => ({ ready: true }),
  send: async (message) => {
    sent.push(message.jobId);
    return { status: 'accepted', providerMessageId: `m-${sent.length}` };
  },
};

async function couch(method: string, url: string, body?: unknown, retry = true): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(server.url + url, {
    method,
    headers: { authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }).catch((error: unknown) => {
    // A pooled connection the stopped server cut: once more on a fresh one.
    if (retry) return undefined;
    throw error;
  });
  if (!response) return couch(method, url, body, false);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function config(overrides: Partial<SyncConfig> = {}): SyncConfig {
  return {
    enabled: true,
    endpoint: server.url,
    username: 'desk-a',
    deskName: 'Desk A',
    onlyDesk: false,
    allowInsecureHttp: false,
    locations: [{ locationId: LOCATION_ID, databasePrefix: PREFIX }],
    ...overrides,
  };
}

beforeAll(async () => {
  server = await startCouchServer();
  await provisionLocation({ endpoint: server.url, admin: server.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-a', password: 'pw-a' }] });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-sync-service-'));
  runtime = await SalonRuntime.open({
    dataDir,
    clock: systemClock,
    timers: systemTimers,
    storage: getRxStorageMemory() as unknown as RxStorage<unknown, unknown>,
    providers: { email: recordingEmail },
    log: (line) => logLines.push(line),
    syncTuning: { leaseTtlMs: 3_000, longpollMs: 2_000, retryMs: 300, baseBackoffMs: 100, maxBackoffMs: 1_000 },
  });
  const now = Date.now();
  await seedSalon(runtime.db, { now, clients: [salonClient('c1', now)] });
});

afterAll(async () => {
  await runtime?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('sync service against a CouchDB-compatible server', () => {
  it('pushes the book, takes the dispatch lease, sends the confirmation once, and keeps the password encrypted', async () => {
    await runtime.sync.configure(config(), 'pw-a');
    const now = Date.now();
    await runtime.db.appointments.insert(appointment('a1', 'c1', now + 3 * 60 * MINUTE, now));
    await waitUntil(async () => ((await couch('GET', `${databaseName(PREFIX, 'appointments')}/a1`)).status === 200 ? true : undefined), 15_000, () => 'a1 never reached the server');
    await waitUntil(async () => (runtime.sync.status().locations[0]?.dispatcher?.self ? true : undefined), 15_000, () => JSON.stringify(runtime.sync.status()));
    await waitUntil(async () => (sent.includes(`bookingConfirmation|a1|booked|cascade`) ? true : undefined), 15_000, () => `sent: ${sent.join(', ')}`);
    const job = await waitUntil(async () => {
      const remote = await couch('GET', `${databaseName(PREFIX, 'jobs')}/${encodeURIComponent('bookingConfirmation|a1|booked|cascade')}`);
      return remote.status === 200 && remote.json.state !== 'planned' && remote.json.state !== 'sending' ? remote.json : undefined;
    }, 15_000, () => 'the confirmation job never reached the server with a verdict');
    expect((job.cascade as { fence?: { desk: string; epoch: number } }[])[0]?.fence).toEqual({ desk: runtime.sync.deskId, epoch: expect.any(Number) as number });
    const lease = await couch('GET', `${databaseName(PREFIX, 'dispatch')}/lease`);
    expect(lease.json).toMatchObject({ holder: runtime.sync.deskId, holderName: 'Desk A' });
    const files = await readdir(dataDir, { recursive: true });
    for (const file of files) {
      const text = await readFile(path.join(dataDir, String(file)), 'utf8').catch(() => '');
      expect(text, String(file)).not.toContain('pw-a');
    }
    expect(sent.filter((id) => id === 'bookingConfirmation|a1|booked|cascade')).toHaveLength(1);
  });

  it('plans a booking that arrives from another desk exactly like a local one', async () => {
    const now = Date.now();
    const { id: _id, ...fromDeskB } = appointment('b1', 'c1', now + 4 * 60 * MINUTE, now);
    void _id;
    expect((await couch('PUT', `${databaseName(PREFIX, 'appointments')}/b1`, fromDeskB)).status).toBe(201);
    await waitUntil(async () => (await runtime.db.appointments.findOne('b1').exec()) ?? undefined, 15_000, () => 'b1 never arrived');
    await waitUntil(async () => (sent.includes('bookingConfirmation|b1|booked|cascade') ? true : undefined), 15_000, () => `sent: ${sent.join(', ')}`);
  });

  it('quarantines hostile documents and keeps serving', async () => {
    const db = databaseName(PREFIX, 'appointments');
    const now = Date.now();
    const { id: _id, ...valid } = appointment('h1', 'c1', now + 5 * 60 * MINUTE, now);
    void _id;
    await couch('PUT', `${db}/h1`, { ...valid, start: 'not a date' });
    await couch('PUT', `${db}/h2`, { ...valid, locationId: 'someone-else' });
    await couch('PUT', `${db}/h3`, { ...valid, __proto__: { polluted: true }, extra: 'x'.repeat(100) });
    await couch('PUT', `${db}/a1`, { ...valid, _rev: (await couch('GET', `${db}/a1`)).json._rev, startMs: 1 });
    await waitUntil(async () => (runtime.sync.status().quarantine.length >= 4 ? true : undefined), 15_000, () => JSON.stringify(runtime.sync.status().quarantine));
    const reasons = runtime.sync.status().quarantine.map((q) => `${q.id}: ${q.reason}`);
    expect(reasons.join('\n')).toMatch(/h1: .*start/);
    expect(reasons.join('\n')).toMatch(/h2: belongs to location someone-else/);
    expect(await runtime.db.appointments.findOne('h1').exec()).toBeNull();
    expect(await runtime.db.appointments.findOne('h2').exec()).toBeNull();
    expect(await runtime.db.appointments.findOne('h3').exec()).toBeNull();
    expect((await runtime.db.appointments.findOne('a1').exec())?.startMs).not.toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await runtime.sync.quarantine.flush();
    const file = await readFile(path.join(dataDir, 'sync-quarantine.jsonl'), 'utf8');
    expect(file.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
  });

  it('stamps settings edits with the desk name', async () => {
    const doc = await runtime.db.notification_settings.findOne(`${LOCATION_ID}:reminder`).exec();
    await doc!.incrementalPatch({ respectQuietHours: false });
    expect((await runtime.db.notification_settings.findOne(`${LOCATION_ID}:reminder`).exec())?.updatedBy).toBe('Desk A');
    await runtime.db.notification_settings.upsert({ ...doc!.toMutableJSON(), enabled: false });
    expect((await runtime.db.notification_settings.findOne(`${LOCATION_ID}:reminder`).exec())?.updatedBy).toBe('Desk A');
  });
});

describe('outage', () => {
  it('keeps local edits while the server is down and pushes them when it is back', async () => {
    if (!runtime.sync.config.enabled) await runtime.sync.configure(config(), 'pw-a');
    await waitUntil(async () => (runtime.sync.status().phase === 'upToDate' ? true : undefined), 20_000, () => JSON.stringify(runtime.sync.status()));
    await server.stop();
    const now = Date.now();
    await runtime.db.appointments.insert(appointment('o1', 'c1', now + 6 * 60 * MINUTE, now));
    await waitUntil(async () => (['offline'].includes(runtime.sync.status().phase) ? true : undefined), 15_000, () => JSON.stringify(runtime.sync.status()));
    expect(runtime.sync.status().locations[0]?.offlineSince).toBeDefined();
    // Meanwhile another desk moved the same booking on the server: a real conflict once the server is back.
    const o2 = appointment('o2', 'c1', now + 7 * 60 * MINUTE, now);
    await runtime.db.appointments.insert(o2);
    await server.resume();
    const remoteO2 = await waitUntil(async () => {
      const got = await couch('GET', `${databaseName(PREFIX, 'appointments')}/o2`);
      return got.status === 200 ? got.json : undefined;
    }, 20_000, () => JSON.stringify(runtime.sync.status()));
    await server.stop();
    const local = await runtime.db.appointments.findOne('o2').exec();
    const movedHere = moveAppointment(local!.toMutableJSON(), now + 8 * 60 * MINUTE, Date.now());
    await local!.incrementalModify(() => (movedHere as { ok: true; value: Appointment }).value);
    await server.resume();
    const movedThere = moveAppointment(local!.toMutableJSON(), now + 9 * 60 * MINUTE, Date.now() + 1000);
    const { id: _o2, ...there } = (movedThere as { ok: true; value: Appointment }).value;
    void _o2;
    expect((await couch('PUT', `${databaseName(PREFIX, 'appointments')}/o2`, { ...there, _rev: remoteO2._rev })).status).toBe(201);
    await waitUntil(async () => ((await runtime.db.team_events.find({ selector: { type: 'syncConflict', appointmentId: 'o2' } }).exec()).length > 0 ? true : undefined), 20_000, () => `${JSON.stringify(runtime.sync.status())}\n${logLines.join('\n')}`);
    await waitUntil(async () => ((await couch('GET', `${databaseName(PREFIX, 'appointments')}/o1`)).status === 200 ? true : undefined), 20_000, () => JSON.stringify(runtime.sync.status()));
    await waitUntil(async () => (runtime.sync.status().phase === 'upToDate' ? true : undefined), 20_000, () => JSON.stringify(runtime.sync.status()));
  });
});
