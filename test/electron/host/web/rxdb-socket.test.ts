import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRxDatabase, type RxDatabase, type RxCollection } from 'rxdb';
import { firstValueFrom, filter } from 'rxjs';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { startWebServer, type RunningWebServer } from '../../../../electron/host/web/web-server.ts';
import { collections } from '../../../../shared/domain/collections.ts';
import type { Appointment } from '../../../../shared/domain/appointment.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { validationMessage } from '../../../../shared/domain/validation-errors.ts';
import { webSocketStorage } from '../../../../renderer/src/data/remote-storage.ts';
import { snapshotDatabase } from '../support/sqlite-snapshot.ts';

let root: string;
let host: FrontDeskHost;
let server: RunningWebServer;

// The host holds 10 collections open; RxDB open-core allows 13 per process, so the client here opens two.
type ClientDb = RxDatabase<{ appointments: RxCollection<Appointment>; jobs: RxCollection<Job> }>;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-rxdb-socket-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>FrontDesk</title>');
  host = new FrontDeskHost({ dataDir: path.join(root, 'data'), mode: 'web', version: '1.2.3', demo: true });
  await host.start();
  server = await startWebServer({ host, rendererDir, port: 0 });
});

afterAll(async () => {
  await server.close();
  await host.stop();
  await rm(root, { recursive: true, force: true });
});

function refusal(query: string, headers: Record<string, string> = {}): Promise<{ code: number; messages: string[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rxdb${query}`, { headers });
  const messages: string[] = [];
  socket.on('message', (data) => messages.push(data.toString()));
  return new Promise((resolve) => socket.on('close', (code) => resolve({ code, messages })));
}

async function openClient(): Promise<ClientDb> {
  const url = `ws://127.0.0.1:${server.port}/rxdb?token=${server.token}`;
  const db = (await createRxDatabase({ name: 'frontdesk', storage: webSocketStorage(url), multiInstance: false })) as unknown as ClientDb;
  await db.addCollections({ appointments: collections.appointments, jobs: collections.jobs });
  return db;
}

describe('the /rxdb socket', () => {
  it('refuses a missing or wrong token with a clear error, like /api', async () => {
    for (const query of ['', '?token=wrong']) {
      const { code, messages } = await refusal(query);
      expect(code).toBe(4401);
      expect(messages.join('')).toContain('access token');
    }
  });

  it('refuses a page from another origin', async () => {
    const { code, messages } = await refusal(`?token=${server.token}`, { origin: 'http://evil.example' });
    expect(code).toBe(4403);
    expect(messages.join('')).toContain('not allowed');
  });

  it('gives a renderer database live access to the host storage, with writes validated at the host', async () => {
    // The page's RxDB keeps its internal store (collection metadata, storage token) to itself.
    const internalStore = () => snapshotDatabase(path.join(root, 'data', 'frontdesk.sqlite')).tables['_rxdb_internal v0'];
    const internalBefore = internalStore();
    const client = await openClient();
    expect(internalStore()).toEqual(internalBefore);
    try {
      const hostCount = await host.runtime.db.appointments.count().exec();
      expect(hostCount).toBeGreaterThan(10);
      expect(await client.appointments.count().exec()).toBe(hostCount);

      // A write from the renderer reaches the host's database, and the engine plans the confirmation…
      const template = (await host.runtime.db.appointments.findOne({ selector: { status: 'booked' } }).exec())!.toMutableJSON();
      const now = new Date().toISOString();
      const start = Date.now() + 3 * 24 * 3600_000;
      const fresh: Appointment = {
        ...template, id: 'apt-socket-test', start: new Date(start).toISOString(), end: new Date(start + 3600_000).toISOString(), startMs: start,
        status: 'booked', source: 'desk', history: [{ at: now, by: 'desk', kind: 'created' }], createdAt: now, updatedAt: now,
      };
      delete fresh.notes;
      const jobs$ = client.jobs.find({ selector: { subjectId: 'apt-socket-test' } }).$;
      await client.appointments.insert(fresh);
      expect((await host.runtime.db.appointments.findOne('apt-socket-test').exec())?.status).toBe('booked');
      // …and the engine's jobs reach the renderer live through the change stream.
      const jobs = await firstValueFrom(jobs$.pipe(filter((list) => list.some((j) => j.type === 'bookingConfirmation'))));
      expect(jobs.length).toBeGreaterThan(0);

      // A host-side change shows up in a live renderer query.
      const seen = firstValueFrom(client.appointments.findOne('apt-socket-test').$.pipe(filter((d) => d?.status === 'confirmed')));
      await (await host.runtime.db.appointments.findOne('apt-socket-test').exec())!.incrementalPatch({ status: 'confirmed' });
      expect((await seen)?.status).toBe('confirmed');

      // An invalid write is refused by the host's validator, with the field named.
      const error = await client.appointments.insert({ ...fresh, id: 'apt-bad', status: 'teleported' as never }).catch((e: unknown) => e);
      expect(validationMessage(error)).toContain('appointments.status: must be one of');
      expect(await host.runtime.db.appointments.findOne('apt-bad').exec()).toBeNull();
    } finally {
      await client.close();
    }
  });
});
