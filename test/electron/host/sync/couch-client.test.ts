/**
 * An https address whose port answers plain http (a CouchDB's 5984 typed with https://): OpenSSL fails on the first
 * bytes, which is not a certificate problem, and the desk says to check the port instead.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchClient, EndpointHealth, SyncError } from '../../../../electron/host/sync/couch-client.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';

let plain: http.Server;
let port: number;

beforeAll(async () => {
  plain = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"couchdb":"Welcome"}');
  });
  port = await new Promise<number>((resolve) => plain.listen(0, '127.0.0.1', () => resolve((plain.address() as { port: number }).port)));
});

afterAll(async () => {
  plain.closeAllConnections();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

describe('the CouchDB client', () => {
  it('tells plain http on an https address apart from an untrusted certificate', async () => {
    const health = new EndpointHealth({ clock: systemClock });
    const client = new CouchClient({ endpoint: `https://127.0.0.1:${port}/`, health, signal: new AbortController().signal, timeoutMs: 5_000 });
    const error = await client.request('').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('sync.notHttps');
    expect(health.problem?.message).toMatch(/does not speak https on this port/);
  });
});
