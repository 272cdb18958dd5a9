import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import { MAX_CALLS_IN_FLIGHT, startWebServer, type RunningWebServer } from '../../../../electron/host/web/web-server.ts';
import type { ServerMessage } from '../../../../shared/ipc/ws-protocol.ts';

let root: string;
let host: FrontDeskHost;
let server: RunningWebServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-web-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>FrontDesk</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(root, 'secret.txt'), 'salon secrets');
  host = new FrontDeskHost({ dataDir: path.join(root, 'data'), mode: 'web', version: '1.2.3' });
  await host.start();
  server = await startWebServer({ host, rendererDir, port: 0 });
});

afterAll(async () => {
  await server.close();
  await host.stop();
  await rm(root, { recursive: true, force: true });
});

function get(pathname: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: pathname }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Session {
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
  next(): Promise<ServerMessage>;
}

function open(query: string, headers: Record<string, string> = {}): Session {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
  const messages: ServerMessage[] = [];
  const waiters: ((m: ServerMessage) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return {
    messages,
    closed,
    socket,
    next: () => new Promise((resolve) => (messages.length > 0 ? resolve(messages.shift()!) : waiters.push(resolve))),
  };
}

describe('web mode server', () => {
  it('serves the app HTML with a strict CSP', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>FrontDesk</title>');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets, falls back to the app for routes, and never leaves the renderer folder', async () => {
    expect((await get('/assets/app.js')).body).toBe('console.log(1)');
    expect((await get('/calendar/2026-11-21')).body).toContain('<title>FrontDesk</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const response = await get(attempt);
      expect(response.body).not.toContain('salon secrets');
    }
  });

  it('refuses an API socket without the token, with a clear error, and closes it', async () => {
    const session = open('');
    const message = await session.next();
    expect(message).toMatchObject({ type: 'error', error: { code: 'unauthorized', message: expect.stringContaining('access token') } });
    expect((await session.closed).code).toBe(4401);
  });

  it('refuses a wrong token', async () => {
    const session = open('?token=guess');
    expect(await session.next()).toMatchObject({ type: 'error', error: { code: 'unauthorized' } });
    expect((await session.closed).code).toBe(4401);
  });

  it('refuses a page from another origin even with the token', async () => {
    const session = open(`?token=${server.token}`, { origin: 'http://evil.example' });
    expect(await session.next()).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    expect((await session.closed).code).toBe(4403);
  });

  it('answers app.info with the token, and survives malformed messages', async () => {
    const session = open(`?token=${server.token}`, { origin: server.url });
    expect(await session.next()).toEqual({ type: 'ready' });
    session.socket.send('{not json');
    expect(await session.next()).toMatchObject({ type: 'error', error: { code: 'invalid_request', message: expect.stringContaining('not JSON') } });
    session.socket.send(JSON.stringify({ id: 1, channel: 'nope', payload: {} }));
    expect(await session.next()).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { code: 'unknown_channel' } } });
    session.socket.send(JSON.stringify({ id: 2, channel: 'app.info', payload: {} }));
    expect(await session.next()).toMatchObject({ type: 'result', id: 2, result: { ok: true, value: { dataDir: path.join(root, 'data'), version: '1.2.3' } } });
    session.socket.close();
    await session.closed;
  });

  it('runs at most MAX_CALLS_IN_FLIGHT calls of one socket at once and answers every call sent in a burst', async () => {
    const session = open(`?token=${server.token}`, { origin: server.url });
    expect(await session.next()).toEqual({ type: 'ready' });
    const call = host.api.call;
    let running = 0;
    let most = 0;
    // Counts the calls in the host's router at once; each stays there a few ms, as a query over the log would.
    host.api.call = async (channel, payload) => {
      most = Math.max(most, ++running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return await call(channel, payload);
      } finally {
        running--;
      }
    };
    try {
      const burst = 400;
      for (let id = 1; id <= burst; id++) session.socket.send(JSON.stringify({ id, channel: 'app.ping', payload: { echo: `${id}` } }));
      const answered = new Set<number>();
      while (answered.size < burst) {
        const message = await session.next();
        expect(message).toMatchObject({ type: 'result', result: { ok: true } });
        if (message.type === 'result') answered.add(message.id);
      }
      expect(most).toBe(MAX_CALLS_IN_FLIGHT);
    } finally {
      host.api.call = call;
    }
    session.socket.close();
    await session.closed;
  });

  it('pushes host events to connected sockets', async () => {
    const session = open(`?token=${server.token}`);
    expect(await session.next()).toEqual({ type: 'ready' });
    host.emit({ type: 'openAppointment', appointmentId: 'a-1' });
    expect(await session.next()).toEqual({ type: 'event', event: { type: 'openAppointment', appointmentId: 'a-1' } });
    session.socket.close();
    await session.closed;
  });

  it('explains a port that is already taken', async () => {
    await expect(startWebServer({ host, rendererDir: root, port: server.port })).rejects.toThrow(`Port ${server.port} on 127.0.0.1 is in use`);
  });
});
