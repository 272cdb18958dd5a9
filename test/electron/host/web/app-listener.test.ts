import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { projectRoot } from '../../../../scripts/ensure-build.ts';
import { claimDataFolder } from '../../../../electron/host/folder-claim.ts';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { listenForApp, MAX_HELD_BYTES } from '../../../../electron/host/web/app-listener.ts';
import { attachHost } from '../../../../electron/host/web/web-server.ts';
import type { ServerMessage } from '../../../../shared/ipc/ws-protocol.ts';

let root: string;
let rendererDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-listener-'));
  rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><script type="module" crossorigin src="./assets/app.js"></script><link rel="stylesheet" crossorigin href="./assets/app.css"><div id="root"></div>',
  );
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function get(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: pathname }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const settledWithin = (promise: Promise<void>, ms: number) => Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('the web mode before its host has loaded', () => {
  it('serves the page at once, says when the page has its files, and answers a socket opened meanwhile, with what it sent, once the host is attached', async () => {
    const listener = await listenForApp({ rendererDir, port: 0 });
    const dataDir = path.join(root, 'data');
    let host: FrontDeskHost | undefined;
    try {
      const loaded = listener.pageLoaded(60_000);
      expect((await get(listener.port, '/')).body).toContain('<div id="root">');
      expect(await get(listener.port, '/assets/app.js')).toEqual({ status: 200, body: 'console.log(1)' });
      // One of the page's two files is still missing.
      expect(await settledWithin(loaded, 200)).toBe(false);
      await get(listener.port, '/assets/app.css');
      expect(await settledWithin(loaded, 5_000)).toBe(true);

      // The page's API socket, before there is a host: its handshake is done, and what it sends is held, not refused.
      const socket = new WebSocket(`ws://127.0.0.1:${listener.port}/api?token=${listener.token}`);
      const messages: ServerMessage[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      socket.send(JSON.stringify({ id: 1, channel: 'app.info', payload: {} }));
      await new Promise((r) => setTimeout(r, 300));
      expect(messages).toEqual([]);

      const claimed = await claimDataFolder(dataDir, { mode: 'web', version: '1.2.3', now: Date.now(), log: () => {}, checkFiles: true });
      host = new FrontDeskHost({ dataDir, mode: 'web', version: '1.2.3', claimedFolder: claimed });
      const started = host.start();
      const server = attachHost(listener, host, () => {});
      await started;
      await expect.poll(() => messages.map((m) => m.type)).toContain('ready');
      await expect.poll(() => messages.find((m) => m.type === 'result')).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { mode: 'web', version: '1.2.3' } } });
      socket.close();
      await server.close();
    } finally {
      await host?.stop();
      await listener.close();
    }
  });

  it('takes a socket opened with no page file being answered (a reload: the files are cached) as the page running', async () => {
    const listener = await listenForApp({ rendererDir, port: 0 });
    try {
      const loaded = listener.pageLoaded(60_000);
      expect((await get(listener.port, '/')).body).toContain('<div id="root">');
      expect(await settledWithin(loaded, 200)).toBe(false);
      const socket = new WebSocket(`ws://127.0.0.1:${listener.port}/api?token=${listener.token}`);
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('open', resolve));
      // The page's other socket is waited for: the host's code would hold its handshake up.
      expect(await settledWithin(loaded, 300)).toBe(false);
      const storage = new WebSocket(`ws://127.0.0.1:${listener.port}/rxdb?token=${listener.token}`);
      storage.on('error', () => {});
      expect(await settledWithin(loaded, 5_000)).toBe(true);
      socket.terminate();
      storage.terminate();
    } finally {
      await listener.close();
    }
  });

  it('closes a socket that sends more than it may before the host is attached, and refuses other paths', async () => {
    const listener = await listenForApp({ rendererDir, port: 0 });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${listener.port}/rxdb?token=${listener.token}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      const megabyte = 'x'.repeat(1024 * 1024);
      for (let sent = 0; sent <= MAX_HELD_BYTES; sent += megabyte.length) socket.send(megabyte);
      expect(await closed).toBe(1008);

      const elsewhere = new WebSocket(`ws://127.0.0.1:${listener.port}/other?token=${listener.token}`);
      const refused = await new Promise<string>((resolve) => elsewhere.once('unexpected-response', (_request, response) => resolve(String(response.statusCode))).once('error', (error) => resolve(error.message)));
      expect(refused).toMatch(/404/);
    } finally {
      await listener.close();
    }
  });

  it('gives up waiting for a page nobody opens after the cap', async () => {
    const listener = await listenForApp({ rendererDir, port: 0 });
    try {
      const started = Date.now();
      await listener.pageLoaded(300);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await listener.close();
    }
  });

  it('refuses a folder in use before printing any URL (the built `npm run web` entry)', { timeout: 60_000 }, async () => {
    const dataDir = path.join(root, 'in-use');
    const claimed = await claimDataFolder(dataDir, { mode: 'web', version: 'test', now: Date.now(), log: () => {}, checkFiles: true });
    try {
      const child = spawn(process.execPath, [path.join(projectRoot, 'out/main/web.js'), '--port', '0', '--data-dir', dataDir, '--no-open'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toMatch(/The data folder .* is in use by another FrontDesk \(web mode, process \d+/);
      expect(output).not.toContain('Open:');
    } finally {
      claimed.release();
    }
  });
});
