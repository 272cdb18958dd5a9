/**
 * bench:ui's baseline for the log filter: the same `log.list` calls without the UI, over a second API socket the page
 * opens to the host with its own token. Their ids start at RAW_CALL_IDS_FROM, far above the page's own, so the two
 * can be told apart on the wire (CDP sees both sockets' frames).
 */
import type { Page } from 'playwright-core';

export const RAW_CALL_IDS_FROM = 1_000_000_000;

/** One raw call: ms from send to result, and its page-clock send and answer times. */
export interface RawCall {
  ms: number;
  from: number;
  to: number;
}

/** Opens the raw socket (window.__benchRaw) and waits for the host's `ready`. */
export async function openRawLogSocket(page: Page): Promise<void> {
  await page.evaluate(async (firstId) => {
    const token = sessionStorage.getItem('frontdesk.token') ?? '';
    const url = new URL('/api', location.href);
    url.protocol = 'ws:';
    url.searchParams.set('token', token);
    const ws = new WebSocket(url.toString());
    const pending = new Map<number, () => void>();
    let nextId = firstId;
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; id?: number };
        if (message.type === 'ready') resolve();
        else if (message.type === 'result' && message.id !== undefined) pending.get(message.id)?.();
      });
      ws.addEventListener('close', () => reject(new Error('raw WebSocket closed')));
    });
    const call = async (payload: unknown) => {
      const id = nextId++;
      const from = performance.now();
      await new Promise<void>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel: 'log.list', payload }));
      });
      const to = performance.now();
      return { ms: to - from, from, to };
    };
    (window as unknown as { __benchRaw: unknown }).__benchRaw = { call, close: () => ws.close() };
  }, RAW_CALL_IDS_FROM);
}

interface RawSocket {
  call(payload: unknown): Promise<RawCall>;
  close(): void;
}

/** One raw call, sent once the page clock reaches `notBefore` (performance.now() in the page). */
export async function rawLogCall(page: Page, payload: Record<string, unknown>, notBefore = 0): Promise<RawCall> {
  return page.evaluate(async ({ payload, notBefore }) => {
    const raw = (window as unknown as { __benchRaw: RawSocket }).__benchRaw;
    const wait = notBefore - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return raw.call(payload);
  }, { payload, notBefore });
}

/** The calls one after another, each sent when the previous answer came; ms of each. */
export async function rawLogCallsBackToBack(page: Page, payloads: readonly Record<string, unknown>[]): Promise<number[]> {
  return page.evaluate(async (payloads) => {
    const raw = (window as unknown as { __benchRaw: RawSocket }).__benchRaw;
    const times: number[] = [];
    for (const payload of payloads) times.push((await raw.call(payload)).ms);
    return times;
  }, payloads);
}

export async function closeRawLogSocket(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __benchRaw: RawSocket }).__benchRaw.close());
}
