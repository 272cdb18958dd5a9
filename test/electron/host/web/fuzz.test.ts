/**
 * Seeded fuzz test of the web mode's two sockets, against a host in a child process exactly as `npm run web` runs it
 * (node:sqlite files, the process guard; demo salon on a frozen clock, so nothing in the host writes on its own).
 *
 * FRONTDESK_FUZZ_MESSAGES malformed frames (default 2,000) go to each of `/api` and `/rxdb`, in batches of 100 on a
 * fresh socket each (support/fuzz-frames.ts: wrong types, missing and extra fields, huge and deeply nested values,
 * prototype keys, unknown channels and methods, non-JSON, binary and oversized frames, mixed with valid reads), plus
 * per socket one 4 MiB frame, two frames above the hard frame limit and two text frames that are not UTF-8 (each on a
 * throwaway socket: the host must close those sockets, 1009 and 1007). Asserted: every frame gets exactly one answer
 * (to its id when it kept one readable), a valid call is answered after each batch, the host process never exits or
 * logs an internal error, no document or table changed, and SQLite's integrity_check is ok. FRONTDESK_FUZZ_SEED
 * replays a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRxSchema, defaultHashSha256 } from 'rxdb';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import { collections, COLLECTION_NAMES } from '../../../../shared/domain/collections.ts';
import { MAX_FRAME_BYTES } from '../../../../shared/ipc/json-limits.ts';
import { integrityCheck, sampleDocs, sampleIds, snapshotDatabase, type DatabaseSnapshot } from '../support/sqlite-snapshot.ts';
import { apiFrame, prng, storageFrame, type FuzzFrame, type StorageContext } from './support/fuzz-frames.ts';

const MESSAGES = envInt('FRONTDESK_FUZZ_MESSAGES', 2000);
const SEED = envInt('FRONTDESK_FUZZ_SEED', 20260302);
const BATCH = 100;
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support/fuzz-host.ts');

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

let root: string;
let dataDir: string;
let dbFile: string;
let child: ChildProcess;
let childLog = '';
let exited: Promise<number | null>;
let port: number;
let token: string;
let before: DatabaseSnapshot;
let filesBefore: string[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-fuzz-'));
  dataDir = path.join(root, 'data');
  const rendererDir = path.join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>FrontDesk</title>');
  child = spawn(process.execPath, ['--no-warnings', childScript, dataDir, rendererDir, path.join(root, 'key')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (childLog += chunk.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fuzz host not ready within 60 s:\n${stdout}\n${childLog}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /ready (\d+) (\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then((code) => reject(new Error(`fuzz host exited (${code}) before it was ready:\n${childLog}`)));
  });
  port = Number(ready[1]);
  token = ready[2]!;
  dbFile = path.join(dataDir, 'frontdesk.sqlite');
  before = snapshotDatabase(dbFile);
  filesBefore = await dataFiles();
  console.log(JSON.stringify({ name: 'fuzz_setup', seed: SEED, messagesPerSocket: MESSAGES, documents: Object.values(before.tables).reduce((n, t) => n + t.rows, 0) }));
}, 90_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

/** Data folder entries other than SQLite's -wal/-shm companions (which come and go with connections). */
async function dataFiles(): Promise<string[]> {
  return (await readdir(dataDir, { recursive: true })).map(String).filter((f) => !/-(wal|shm)$/.test(f)).sort();
}

interface FuzzSocket {
  ws: WebSocket;
  /** Answers (not host events or change events), in arrival order. */
  replies: Record<string, unknown>[];
  closed: Promise<number>;
  waitForReplies(count: number): Promise<void>;
  send(data: string | Buffer, binary?: boolean): void;
}

async function open(pathname: '/api' | '/rxdb'): Promise<FuzzSocket> {
  // A zero mask spares this process the masking work on big frames; the host unmasks as usual.
  const ws = new WebSocket(`ws://127.0.0.1:${port}${pathname}?token=${token}`, { generateMask: (mask) => void mask.fill(0) });
  const replies: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    if (message.type === 'ready' || message.type === 'event' || message.answerTo === 'changestream') return;
    replies.push(message);
    wake?.();
  });
  ws.on('error', () => {}); // a refused frame may break the pipe under a write; the close code says what happened
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    replies,
    closed,
    send: (data, binary = false) => ws.send(data, { binary }),
    async waitForReplies(count) {
      const deadline = Date.now() + 60_000;
      while (replies.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${replies.length} of ${count} answers within 60 s`);
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
    },
  };
}

/** Every frame answered once; every readable id answered exactly once. */
function checkAnswers(frames: FuzzFrame[], replies: Record<string, unknown>[], idOf: (reply: Record<string, unknown>) => unknown): void {
  expect(replies).toHaveLength(frames.length);
  const answered = new Map<unknown, number>();
  for (const reply of replies) {
    const id = idOf(reply);
    if (id !== undefined) answered.set(id, (answered.get(id) ?? 0) + 1);
  }
  for (const frame of frames) {
    if (frame.id !== undefined) expect(answered.get(frame.id), `answer to ${frame.kind} frame ${String(frame.id)}`).toBe(1);
  }
}

/** Frames the host must refuse by closing the socket: above the hard frame limit (1009), text that is not UTF-8 (1007). */
async function socketClosingFrames(pathname: '/api' | '/rxdb'): Promise<number> {
  const cases: [Buffer, number][] = [
    [Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20), 1009],
    [Buffer.alloc(12 * 1024 * 1024, 0x20), 1009],
    [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 1007],
    [Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), 1007], // an encoded UTF-16 surrogate
  ];
  for (const [data, code] of cases) {
    const socket = await open(pathname);
    socket.send(data);
    expect(await socket.closed).toBe(code);
  }
  return cases.length;
}

describe(`fuzz (seed ${SEED}, ${MESSAGES} frames per socket)`, () => {
  it('/api: answers every malformed frame, and a valid call after each batch', async () => {
    const rng = prng(SEED);
    const started = Date.now();
    const kinds = new Map<string, number>();
    let id = 1;
    let sent = 0;
    while (sent < MESSAGES) {
      const socket = await open('/api');
      const frames = Array.from({ length: Math.min(BATCH, MESSAGES - sent) }, () => apiFrame(rng, id++));
      if (sent === 0) frames[0] = { kind: '4 MiB', data: `{"id":${id},"channel":"app.ping","payload":{"echo":"${'x'.repeat(4 * 1024 * 1024)}"}}`, id: id++ };
      for (const frame of frames) {
        socket.send(frame.data, frame.binary);
        kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
      }
      await socket.waitForReplies(frames.length);
      checkAnswers(frames, socket.replies, (reply) => reply.id);
      socket.send(JSON.stringify({ id: 0, channel: 'app.ping', payload: { echo: `after batch ${sent / BATCH}` } }));
      await socket.waitForReplies(frames.length + 1);
      expect(socket.replies.at(-1)).toMatchObject({ id: 0, result: { ok: true, value: { echo: `after batch ${sent / BATCH}` } } });
      socket.ws.close();
      sent += frames.length;
    }
    const closing = await socketClosingFrames('/api');
    const after = await open('/api');
    after.send(JSON.stringify({ id: 1, channel: 'app.info', payload: {} }));
    await after.waitForReplies(1);
    expect(after.replies[0]).toMatchObject({ id: 1, result: { ok: true } });
    after.ws.close();
    expect(child.exitCode).toBeNull();
    console.log(JSON.stringify({ name: 'fuzz_api', seed: SEED, frames: sent + closing, answered: sent, socketsClosedAsExpected: closing, ms: Date.now() - started, kinds: Object.fromEntries(kinds) }));
  }, 300_000);

  it('/rxdb: answers every malformed frame, and a valid call after each batch', async () => {
    const rng = prng(SEED + 1);
    const started = Date.now();
    const kinds = new Map<string, number>();
    const schemas = Object.fromEntries(
      COLLECTION_NAMES.map((name) => [name, JSON.parse(JSON.stringify(createRxSchema(collections[name].schema as never, defaultHashSha256).jsonSchema)) as StorageContext['schemas'][string]]),
    );
    const docIds = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, sampleIds(dbFile, name, 20)]));
    const docs = Object.fromEntries(COLLECTION_NAMES.map((name) => [name, sampleDocs(dbFile, name, 5)]));
    let sent = 0;
    let batch = 0;
    while (sent < MESSAGES) {
      batch++;
      const socket = await open('/rxdb');
      // Open every collection as the renderer does; the fuzz frames then aim at these connections.
      const connections: Record<string, string> = {};
      for (const name of COLLECTION_NAMES) {
        connections[name] = `b${batch}-${name}`;
        socket.send(JSON.stringify({ connectionId: connections[name], requestId: `open-${name}`, method: 'create', version: RXDB_VERSION, params: { databaseInstanceToken: 't', databaseName: 'frontdesk', collectionName: name, schema: schemas[name], options: {}, multiInstance: false, devMode: false } }));
      }
      await socket.waitForReplies(COLLECTION_NAMES.length);
      expect(socket.replies.map((r) => r.return)).toEqual(COLLECTION_NAMES.map(() => 'ok'));
      socket.replies.length = 0;

      const ctx: StorageContext = { version: RXDB_VERSION, connections, schemas, docIds, docs };
      const frames = Array.from({ length: Math.min(BATCH, MESSAGES - sent) }, () => storageFrame(rng, ctx));
      if (sent === 0) {
        frames[0] = { kind: '4 MiB', data: JSON.stringify({ connectionId: connections.clients, requestId: 'four-mib', method: 'findDocumentsById', version: RXDB_VERSION, params: [['x'.repeat(4 * 1024 * 1024)], false] }), id: 'four-mib' };
      }
      for (const frame of frames) {
        socket.send(frame.data, frame.binary);
        kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
      }
      await socket.waitForReplies(frames.length);
      checkAnswers(frames, socket.replies, (reply) => reply.answerTo);
      if (sent === 0) expect(socket.replies.find((r) => r.answerTo === 'four-mib')).toMatchObject({ error: { code: 'too_large' } });

      // A valid read on this socket after the batch: open a connection, count, close.
      const check = (requestId: string, method: string, params: unknown) =>
        socket.send(JSON.stringify({ connectionId: `check-${batch}`, requestId, method, version: RXDB_VERSION, params }));
      check('check-create', 'create', { databaseInstanceToken: 't', databaseName: 'frontdesk', collectionName: 'appointments', schema: schemas.appointments, options: {}, multiInstance: false, devMode: false });
      check('check-count', 'count', [{ query: { selector: { _deleted: { $eq: false } }, sort: [{ id: 'asc' }] }, queryPlan: {} }]);
      check('check-close', 'close', []);
      await socket.waitForReplies(frames.length + 3);
      const answers = new Map(socket.replies.map((r) => [r.answerTo, r]));
      expect(answers.get('check-create')).toMatchObject({ return: 'ok' });
      expect(answers.get('check-count')).toMatchObject({ return: { count: before.tables[`appointments v${schemas.appointments!.version}`]!.rows } });
      expect(answers.get('check-close')).toMatchObject({ return: null });
      socket.ws.close();
      sent += frames.length;
    }
    const closing = await socketClosingFrames('/rxdb');
    expect(child.exitCode).toBeNull();
    console.log(JSON.stringify({ name: 'fuzz_rxdb', seed: SEED + 1, frames: sent + closing, answered: sent, socketsClosedAsExpected: closing, ms: Date.now() - started, kinds: Object.fromEntries(kinds) }));
  }, 300_000);

  it('left the host running, every document and table as it was, and the database sound', async () => {
    expect(child.exitCode).toBeNull();
    expect(childLog).not.toMatch(/Internal error|cannot safely continue/);
    expect(snapshotDatabase(dbFile)).toEqual(before);
    // No file a peer named (no CON.sqlite, no other database), while the host still holds its lock.
    expect(await dataFiles()).toEqual(filesBefore);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(snapshotDatabase(dbFile)).toEqual(before);
    expect(integrityCheck(dbFile)).toBe('ok');
  }, 60_000);
});
