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

/** Until the engine's queue stays empty: a finished piece of work can queue the next (planning, then sending). */
async function engineSettled(): Promise<void> {
  for (;;) {
    const queue = host.runtime.engine.idle();
    await queue;
    await new Promise((resolve) => setImmediate(resolve));
    if (host.runtime.engine.idle() === queue) return;
  }
}

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

  it('gives a renderer database live, read-only access to the host\'s collections', async () => {
    const dbFile = path.join(root, 'data', 'frontdesk.sqlite');
    // The engine plans the demo book and sends what is due after start, giving the event loop turns meanwhile: the
    // snapshot is taken once it is done, so only the page could change the file from here on.
    await engineSettled();
    const before = snapshotDatabase(dbFile);
    const client = await openClient();
    try {
      // The page's RxDB keeps its internal store (collection metadata, storage token) to itself.
      expect(snapshotDatabase(dbFile)).toEqual(before);
      const hostCount = await host.runtime.db.appointments.count().exec();
      expect(hostCount).toBeGreaterThan(10);
      expect(await client.appointments.count().exec()).toBe(hostCount);

      // Every way RxDB writes is refused: insert, update, delete, bulk writes. Nothing changes.
      const template = (await host.runtime.db.appointments.findOne({ selector: { status: 'booked' } }).exec())!.toMutableJSON();
      const now = new Date().toISOString();
      const start = Date.now() + 3 * 24 * 3600_000;
      const fresh: Appointment = {
        ...template, id: 'apt-socket-test', start: new Date(start).toISOString(), end: new Date(start + 3600_000).toISOString(), startMs: start,
        status: 'booked', source: 'desk', history: [{ at: now, by: 'desk', kind: 'created' }], createdAt: now, updatedAt: now,
      };
      delete fresh.notes;
      const existing = (await client.appointments.findOne(template.id).exec())!;
      const attempts = [
        client.appointments.insert(fresh),
        client.appointments.bulkInsert([{ ...fresh, id: 'apt-bulk' }]).then((r) => Promise.reject(r.error[0])),
        existing.incrementalPatch({ status: 'cancelled' }),
        existing.remove(),
        client.jobs.find({ limit: 5 }).remove(),
      ];
      for (const attempt of attempts) await expect(attempt).rejects.toThrow(/read-only/);
      expect(snapshotDatabase(dbFile)).toEqual(before);

      // The host writes (here: its own database; in the app: a command), and the page sees it live, with the jobs
      // the engine plans.
      const jobs$ = client.jobs.find({ selector: { subjectId: 'apt-socket-test' } }).$;
      const seen = firstValueFrom(client.appointments.findOne('apt-socket-test').$.pipe(filter((d) => d?.status === 'booked')));
      await host.runtime.db.appointments.insert(fresh);
      expect((await seen)?.id).toBe('apt-socket-test');
      const jobs = await firstValueFrom(jobs$.pipe(filter((list) => list.some((j) => j.type === 'bookingConfirmation'))));
      expect(jobs.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});
