/**
 * The desktop app's host process, behind its port, in plain Node: host-process.ts runs in a child process whose IPC
 * channel stands in for Electron's parent port (support/host-process-child.ts), and main's side is the real
 * host-link.ts. Contract calls, storage messages, host events and the key wrapping cross the port; a refusal to start
 * and a crash are reported to the parent, and a crashed host is started again with the salon as it was.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRxSchema, type RxJsonSchema } from 'rxdb';
import type { MessageFromRemote } from 'rxdb/plugins/storage-remote';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLink, HostStartFailedError, type HostChild, type HostLink, type ParentKeyProtection } from '../../../../electron/host/process/host-link.ts';
import type { FromHost, ToHost } from '../../../../electron/host/process/protocol.ts';
import { collections } from '../../../../shared/domain/collections.ts';
import { startFailureDialog, type StartFailure } from '../../../../shared/i18n/start-failure.ts';
import type { HostEvent } from '../../../../shared/ipc/contract.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/index.ts';

const CHILD = path.join(import.meta.dirname, 'support/host-process-child.ts');
const PEER = 7;

interface Parent {
  link: HostLink;
  events: HostEvent[];
  crashes: { message: string; restarting: boolean }[];
  startFailures: StartFailure[];
  storageAnswers: MessageFromRemote[];
  keyCalls: string[];
  children: ChildProcess[];
  /** A storage request from renderer PEER; resolves with its answer. */
  storage(connectionId: string, method: string, params: unknown): Promise<MessageFromRemote>;
}

/** XOR with a fixed pad: enough to tell a wrapped key from a plain one, and to count the calls. */
function fakeSafeStorage(calls: string[]): ParentKeyProtection {
  const pad = (data: Buffer) => Buffer.from(data.map((byte, i) => byte ^ (0x5a + i)));
  return {
    name: 'testKeychain',
    protect: async (key) => (calls.push('protect'), pad(key)),
    unprotect: async (wrapped) => (calls.push('unprotect'), pad(wrapped)),
  };
}

let nextRequest = 1;

function parent(dataDir: string, keyDir: string): Parent {
  const events: HostEvent[] = [];
  const crashes: Parent['crashes'] = [];
  const startFailures: StartFailure[] = [];
  const storageAnswers: MessageFromRemote[] = [];
  const keyCalls: string[] = [];
  const children: ChildProcess[] = [];
  const waiting = new Map<string, (answer: MessageFromRemote) => void>();
  const spawn = (): HostChild => {
    const child = fork(CHILD, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, FRONTDESK_KEY_DIR: keyDir } });
    children.push(child);
    return {
      postMessage: (message: ToHost) => void (child.connected && child.send(message)),
      onMessage: (listener) => child.on('message', (message) => listener(message as FromHost)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  };
  const link = createHostLink({
    spawn,
    startOptions: { dataDir, version: 'test', demo: true },
    keyProtection: fakeSafeStorage(keyCalls),
    log: () => undefined,
    onEvent: (event) => events.push(event),
    onStorage: (peer, message) => {
      expect(peer).toBe(PEER);
      const answer = message as MessageFromRemote;
      storageAnswers.push(answer);
      waiting.get(answer.answerTo)?.(answer);
      waiting.delete(answer.answerTo);
    },
    onStartFailed: (message) => startFailures.push(message),
    onCrash: (report) => crashes.push(report),
    restartDelaysMs: [50],
  });
  return {
    link,
    events,
    crashes,
    startFailures,
    storageAnswers,
    keyCalls,
    children,
    storage(connectionId, method, params) {
      const requestId = `r${nextRequest++}`;
      const answer = new Promise<MessageFromRemote>((resolve) => waiting.set(requestId, resolve));
      link.storage(PEER, { connectionId, requestId, method, version: RXDB_VERSION, params });
      return answer;
    },
  };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** RxDB's `create` for one of the host's collections, with the schema exactly as the renderer's RxDB sends it. */
function createParams(collectionName: keyof typeof collections) {
  return { databaseInstanceToken: 'page', databaseName: 'frontdesk', collectionName, schema: createRxSchema(collections[collectionName].schema as RxJsonSchema<unknown>, async (text) => String(text)).jsonSchema, options: {}, multiInstance: false, devMode: false };
}

function ok<T>(result: { ok: boolean; value?: unknown; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

let dataDir: string;
let keyDir: string;
let main: Parent;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-host-process-'));
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-host-process-keys-'));
  main = parent(dataDir, keyDir);
  await main.link.start();
}, 120_000);

afterAll(async () => {
  await main?.link.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
});

describe('the host behind its port (plain Node stand-in for the utility process)', () => {
  it('answers contract calls, and refuses bad ones as the web mode does', async () => {
    expect(main.link.state).toBe('running');
    expect(ok<{ mode: string; dataDir: string }>(await main.link.call('app.info', {}))).toMatchObject({ mode: 'electron', dataDir });
    expect(await main.link.call('no.such.channel', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await main.link.call('location.save', { locationId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('serves the storage channel read-only to a renderer, with the host\'s changes streamed to it', async () => {
    expect((await main.storage('staff', 'create', createParams('staff'))).return).toBe('ok');
    const staff = (await main.storage('staff', 'query', [{ query: { selector: {}, sort: [{ id: 'asc' }], skip: 0 }, queryPlan: {} }])).return as {
      documents: { id: string; role: string; serviceIds: string[]; workingHours: Record<string, { start: string }[]> }[];
    };
    expect(staff.documents.length).toBeGreaterThan(0);
    const write = await main.storage('staff', 'bulkWrite', [[{ document: { ...staff.documents[0], name: 'Changed by a page' } }], 'page']);
    expect(write.error).toMatchObject({ code: 'forbidden' });

    // A booking made through the contract: the page's open connection hears the new visit, and the host's event
    // about the sandboxed confirmation crosses the port.
    expect((await main.storage('visits', 'create', createParams('appointments'))).return).toBe('ok');
    const specialist = staff.documents.find((s) => s.role === 'specialist' && s.serviceIds.length > 0 && s.workingHours.mon!.length > 0)!;
    const monday = nextMonday(60);
    const booked = ok<{ appointmentId: string }>(
      await main.link.call('appointments.create', {
        locationId: DEMO_LOCATION_ID,
        client: { kind: 'new', firstName: 'Port', lastName: 'Test', email: 'port.test@example.org' },
        staffId: specialist.id,
        serviceIds: [specialist.serviceIds[0]],
        start: { date: monday, time: specialist.workingHours.mon![0]!.start },
      }),
    );
    await until(() => main.storageAnswers.some((a) => a.connectionId === 'visits' && a.answerTo === 'changestream' && JSON.stringify(a.return).includes(booked.appointmentId)), 'the change event of the booking');
    await until(() => main.events.some((e) => e.type === 'deliveryLogChanged'), 'the deliveryLogChanged host event');
  });

  it('asks main to wrap the secret store\'s key (safeStorage in the app)', async () => {
    const settings = { host: 'smtp.example.org', port: 465, security: 'tls', username: 'desk', fromAddress: 'desk@example.org' };
    ok(await main.link.call('providers.save', { locationId: DEMO_LOCATION_ID, channel: 'email', kind: 'smtp', enabled: true, settings, secrets: { password: 'over the port' } }));
    expect(main.keyCalls).toContain('protect');
    expect(await readdir(path.join(dataDir, 'secrets'))).toContain('key.testKeychain');
  });

  it('reports a crash to the parent and starts a new host, which has the salon as it was', async () => {
    const before = main.children.length;
    main.children.at(-1)!.send({ type: 'test.crash', reason: 'a bug in the host' });
    await until(() => main.crashes.length === 1, 'the crash report');
    expect(main.crashes[0]).toEqual({ message: expect.stringContaining('crash requested by the test: a bug in the host'), restarting: true });
    expect(main.children.at(-1)!.exitCode).toBe(70);
    await until(() => main.events.some((e) => e.type === 'hostRestarted'), 'the hostRestarted event');
    expect(main.children.length).toBe(before + 1);
    expect(main.link.state).toBe('running');
    // The new host unwrapped the saved key through main: the password is still there.
    const locations = ok<{ locations: { id: string }[] }>(await main.link.call('location.list', {}));
    expect(locations.locations.map((l) => l.id)).toContain(DEMO_LOCATION_ID);
    await until(() => main.keyCalls.includes('unprotect'), 'the key unwrapped by main');
    // The renderer reopens its storage connections on 'hostRestarted'; a new one works at once.
    expect((await main.storage('again', 'create', createParams('locations'))).return).toBe('ok');
  });

  it('reports a host that refuses to start (the folder in use by the first one), and ends it', async () => {
    const second = parent(dataDir, keyDir);
    const starting = second.link.start();
    // A call the window made while the host was starting waits for it, and hears why it failed, by reason.
    const early = second.link.call('app.info', {});
    const refusal = await starting.then(() => undefined, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(HostStartFailedError);
    expect((refusal as Error).message).toMatch(/is in use by another FrontDesk \(the desktop app, process \d+/);
    const failure = (refusal as HostStartFailedError).failure;
    expect(failure).toMatchObject({ reason: 'hostStart.dataFolderInUse', params: { dataDir, pid: expect.any(Number) } });
    expect(await early).toMatchObject({ ok: false, error: { code: 'unavailable', reason: 'hostStart.dataFolderInUse', params: { pid: failure.params.pid } } });
    // Main's dialog says it in the system's language.
    const dialog = startFailureDialog(refusal, 'ru-RU');
    expect(dialog.title).toBe('Не удалось запустить FrontDesk');
    expect(dialog.text).toContain(`Папкой данных ${dataDir} уже пользуется другой FrontDesk (процесс ${failure.params.pid} на `);
    expect(dialog.text).not.toMatch(/\{\w+\}/);
    expect(startFailureDialog(refusal, 'en-US').text).toMatch(/^The data folder .* is in use by another FrontDesk \(process \d+ on /);
    await until(() => second.children[0]!.exitCode !== null || second.children[0]!.signalCode !== null, 'the refused host to end');
    expect(second.link.state).toBe('failed');
    expect(await second.link.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('stops the host cleanly on request', async () => {
    const child = main.children.at(-1)!;
    await main.link.stop();
    expect(child.exitCode).toBe(0);
    expect(main.link.state).toBe('stopped');
    expect(main.crashes).toHaveLength(1);
  });
});

/** A Monday at least `days` ahead, YYYY-MM-DD (the demo salon's book is full only around today). */
function nextMonday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
  return d.toISOString().slice(0, 10);
}
