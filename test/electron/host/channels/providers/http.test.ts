/**
 * The one HTTP call of every provider, against a loopback server on a bad day: once the status line has come, an
 * answer whose body breaks off, never ends or is too big is still an answer with that status (the provider took the
 * request, so sending again could send the message twice), not "could not be reached". And Retry-After of any shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, retryAfterMs } from '../../../../../electron/host/channels/providers/http.ts';
import { startBadDayServer, type BadDay, type BadDayServer } from '../support/bad-day-server.ts';

let server: BadDayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ask(day: BadDay, timeoutMs = 2_000) {
  server = await startBadDayServer(day);
  return httpRequest({ method: 'POST', url: `${server.url}/send`, body: '{}', timeoutMs });
}

describe('httpRequest on a bad day', () => {
  it('a 201 whose body is cut off by a reset is an answer with status 201 and the break, not a network failure', async () => {
    const result = await ask({ kind: 'resetMidBody', status: 201, start: '{"sid":"SM1' });
    expect(result).toMatchObject({ ok: true, answer: { status: 201, json: undefined, broken: expect.stringContaining('broke off') } });
  });

  it('a 200 whose body never ends is an answer with status 200 once the time is up', async () => {
    const result = await ask({ kind: 'neverEnds', status: 200, start: '{"id":' }, 500);
    expect(result).toMatchObject({ ok: true, answer: { status: 200, json: undefined, broken: expect.stringContaining('within 0.5 s') } });
  });

  it('a 50 MB answer is read to 1 MB and no further', async () => {
    const result = await ask({ kind: 'huge', status: 200, megabytes: 50 });
    expect(result).toMatchObject({ ok: true, answer: { status: 200, json: undefined, broken: expect.stringContaining('larger than 1 MB') } });
    if (result.ok) expect(result.answer.text).toBe('');
  });

  it('a 503 with a huge HTML body keeps its status, so it stays a temporary failure', async () => {
    const result = await ask({ kind: 'huge', status: 503, megabytes: 3 });
    expect(result).toMatchObject({ ok: true, answer: { status: 503 } });
  });

  it('nothing listening is "could not be reached", and nothing was sent', async () => {
    server = await startBadDayServer({ kind: 'neverEnds', status: 200, start: '' });
    const url = server.url;
    await server.close();
    server = undefined;
    const result = await httpRequest({ method: 'POST', url, body: '{}' });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('could not be reached') });
    expect(result).not.toMatchObject({ requestSent: true });
  });

  it('a server that took the whole request and then went silent or hung up: no answer, but the request was sent', async () => {
    expect(await ask({ kind: 'silent' }, 400)).toEqual({ ok: false, reason: expect.stringContaining('did not answer within 0.4 s'), requestSent: true });
    await server?.close();
    expect(await ask({ kind: 'resetAfterRequest' })).toMatchObject({ ok: false, reason: expect.stringContaining('could not be reached (ECONNRESET)'), requestSent: true });
  });

  it('an address with a user name or password is not called: it would send them as a login', async () => {
    server = await startBadDayServer({ kind: 'silent' });
    const url = server.url.replace('http://', 'http://desk:s3cret@');
    expect(await httpRequest({ method: 'POST', url, body: '{}' })).toEqual({ ok: false, reason: expect.stringContaining('holds a user name or password') });
    expect(server.requests).toBe(0);
  });

  it('a redirect is the answer, not followed: the provider address is wrong', async () => {
    const redirecting = await import('node:http').then(({ createServer }) => createServer((_req, res) => res.writeHead(301, { location: 'https://elsewhere.example/api' }).end()));
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirecting.address() as { port: number }).port;
      expect(await httpRequest({ method: 'POST', url: `http://127.0.0.1:${port}/api`, body: '{}' })).toMatchObject({ ok: true, answer: { status: 301 } });
    } finally {
      redirecting.close();
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  const wait = (value: string) => retryAfterMs(new Headers({ 'retry-after': value }), now);

  it('reads seconds and HTTP dates', () => {
    expect(wait('120')).toBe(120_000);
    expect(wait('Tue, 10 Mar 2026 12:01:00 GMT')).toBe(60_000);
    expect(wait('Tue, 10 Mar 2026 11:00:00 GMT')).toBe(0);
  });

  it('no wait is longer than a day, however it is written', () => {
    expect(wait('99999999999')).toBe(24 * 3600_000);
    expect(wait('Fri, 31 Dec 9999 23:59:59 GMT')).toBe(24 * 3600_000);
  });

  it('numbers that are not delta-seconds and words are ignored, not read as dates', () => {
    for (const value of ['-5', '1.5', '1e3', 'soon', '']) expect(wait(value), value).toBeUndefined();
  });
});
