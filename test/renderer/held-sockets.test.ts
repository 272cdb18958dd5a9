/** The sockets public/held-sockets.js opens before the app's code runs: the app takes them over and misses no event. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { takeHeldSocket } from '../../renderer/src/api/held-sockets.ts';

const SCRIPT = readFileSync(path.join(import.meta.dirname, '../../renderer/public/held-sockets.js'), 'utf8');

class FakeSocket extends EventTarget {
  static opened: FakeSocket[] = [];
  readonly url: string;
  constructor(url: string) {
    super();
    this.url = url;
    FakeSocket.opened.push(this);
  }
}

/** Keys read from each storage, in order. */
let storageReads: { session: string[]; local: string[] };

function runScript(pageUrl: string, stored?: string): void {
  vi.stubGlobal('location', new URL(pageUrl));
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => {
      storageReads.session.push(key);
      return key === 'frontdesk.token' ? (stored ?? null) : null;
    },
  });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => {
      storageReads.local.push(key);
      return null;
    },
  });
  new Function(SCRIPT)();
}

describe('held sockets', () => {
  beforeEach(() => {
    FakeSocket.opened = [];
    storageReads = { session: [], local: [] };
    vi.stubGlobal('window', globalThis);
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    delete (globalThis as { frontdeskHeldSockets?: unknown }).frontdeskHeldSockets;
    vi.unstubAllGlobals();
  });

  it('opens /api and /rxdb with the token of the address, and hands each over once with every event it got, in order', () => {
    runScript('http://127.0.0.1:5317/?token=abc');
    expect(FakeSocket.opened.map((s) => s.url)).toEqual(['ws://127.0.0.1:5317/api?token=abc', 'ws://127.0.0.1:5317/rxdb?token=abc']);
    const api = FakeSocket.opened[0]!;
    api.dispatchEvent(new Event('open'));
    api.dispatchEvent(new MessageEvent('message', { data: '{"type":"ready"}' }));

    const taken = takeHeldSocket('ws://127.0.0.1:5317/api?token=abc');
    expect(taken?.socket).toBe(api);
    const seen: string[] = [];
    api.addEventListener('open', () => seen.push('open'));
    api.addEventListener('message', (event) => seen.push(`message ${String((event as MessageEvent).data)}`));
    api.addEventListener('close', (event) => seen.push(`close ${(event as CloseEvent).code}`));
    taken!.replay();
    expect(seen).toEqual(['open', 'message {"type":"ready"}']);

    // From now on the socket's own events reach the app directly, once.
    api.dispatchEvent(new CloseEvent('close', { code: 1001, reason: 'host stopping' }));
    expect(seen).toEqual(['open', 'message {"type":"ready"}', 'close 1001']);
    expect(takeHeldSocket('ws://127.0.0.1:5317/api?token=abc')).toBeUndefined();
  });

  it('has both storages handed to the page once the sockets are opening, so the app does not wait for them on its way', () => {
    runScript('http://127.0.0.1:5317/?token=abc');
    expect(FakeSocket.opened).toHaveLength(2);
    expect(storageReads).toEqual({ session: ['frontdesk.token'], local: ['frontdesk.language'] });
  });

  it('opens the sockets even where the page may not use its storage', () => {
    vi.stubGlobal('localStorage', undefined);
    vi.stubGlobal('location', new URL('http://127.0.0.1:5317/?token=abc'));
    vi.stubGlobal('sessionStorage', {
      getItem() {
        throw new DOMException('access denied', 'SecurityError');
      },
    });
    expect(() => new Function(SCRIPT)()).not.toThrow();
    expect(FakeSocket.opened.map((s) => s.url)).toEqual(['ws://127.0.0.1:5317/api?token=abc', 'ws://127.0.0.1:5317/rxdb?token=abc']);
  });

  it('replays a close that came before the app took the socket (a refused token)', () => {
    runScript('http://127.0.0.1:5317/?token=abc');
    const rxdb = FakeSocket.opened[1]!;
    rxdb.dispatchEvent(new CloseEvent('close', { code: 4401, reason: 'missing or wrong access token' }));
    const taken = takeHeldSocket('ws://127.0.0.1:5317/rxdb?token=abc')!;
    const closes: [number, string][] = [];
    rxdb.addEventListener('close', (event) => closes.push([(event as CloseEvent).code, (event as CloseEvent).reason]));
    taken.replay();
    expect(closes).toEqual([[4401, 'missing or wrong access token']]);
  });

  it('uses the token kept for this tab on a reload, and hands nothing over for another token', () => {
    runScript('http://127.0.0.1:5317/#/calendar', 'kept');
    expect(FakeSocket.opened[0]!.url).toBe('ws://127.0.0.1:5317/api?token=kept');
    expect(takeHeldSocket('ws://127.0.0.1:5317/api?token=other')).toBeUndefined();
  });

  it('opens nothing when it arrives after the app opened its own sockets', () => {
    expect(takeHeldSocket('ws://127.0.0.1:5317/api?token=abc')).toBeUndefined();
    runScript('http://127.0.0.1:5317/?token=abc');
    expect(FakeSocket.opened).toEqual([]);
  });

  it('opens nothing without a token, nor in the desktop app', () => {
    runScript('http://127.0.0.1:5317/');
    vi.stubGlobal('frontdesk', {});
    runScript('http://127.0.0.1:5317/?token=abc');
    expect(FakeSocket.opened).toEqual([]);
    expect(takeHeldSocket('ws://127.0.0.1:5317/api?token=abc')).toBeUndefined();
  });
});
