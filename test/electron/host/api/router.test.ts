import { describe, expect, it, vi } from 'vitest';
import { createApiRouter, type Handlers } from '../../../../electron/host/api/router.ts';
import { CHANNEL_NAMES } from '../../../../shared/ipc/channels.ts';
import { ApiError } from '../../../../shared/ipc/result.ts';
import { TimeSlice, WINDOW_QUIET_MS } from '../../../../electron/host/engine/time-slice.ts';

const info = { name: 'FrontDesk', version: '1.0.0', mode: 'web' as const, dataDir: '/d', startedAt: new Date(0).toISOString(), platform: 'linux' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, () => { throw new Error(`${channel} is not part of this test`); }])) as unknown as Handlers;
  return { ...unused, 'app.info': () => info, 'app.ping': ({ echo }) => ({ echo, at: new Date(0).toISOString() }), ...overrides };
}

describe('the validating API router', () => {
  it('answers a valid call with {ok:true, value}', async () => {
    const router = createApiRouter(handlers());
    await expect(router.call('app.ping', { echo: 'hi' })).resolves.toEqual({ ok: true, value: { echo: 'hi', at: '1970-01-01T00:00:00.000Z' } });
  });

  it("a call is the window's request: engine work that can wait makes way for the calls that follow it", async () => {
    // Quiet first: nothing else in this file has called for a while.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_QUIET_MS + 5));
    await createApiRouter(handlers()).call('app.ping', { echo: 'hi' });
    const started = performance.now();
    await new TimeSlice({ makeWayForWindow: true }).yield();
    // Timers may fire a little early against performance.now().
    expect(performance.now() - started).toBeGreaterThanOrEqual(WINDOW_QUIET_MS / 2);
  });

  it('refuses an unknown channel, naming it', async () => {
    const result = await createApiRouter(handlers()).call('app.format-disk', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(!result.ok && result.error.message).toContain("'app.format-disk'");
  });

  it('refuses a non-string channel', async () => {
    const result = await createApiRouter(handlers()).call(42, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel', message: expect.stringContaining('a number') } });
  });

  it('refuses a malformed payload with a message naming the field', async () => {
    const result = await createApiRouter(handlers()).call('app.ping', { echo: 5 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!result.ok && result.error.message).toMatch(/app\.ping.*echo/);
  });

  it('refuses unexpected fields instead of ignoring them', async () => {
    const result = await createApiRouter(handlers()).call('app.info', { dropTables: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('dropTables') } });
  });

  it('turns a throwing handler into {ok:false} and reports it, without crashing', async () => {
    const onHandlerError = vi.fn();
    const router = createApiRouter(handlers({ 'app.info': () => { throw new Error('disk on fire'); } }), { onHandlerError });
    const result = await router.call('app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'handler_failed', message: 'app.info failed: disk on fire' } });
    expect(onHandlerError).toHaveBeenCalledOnce();
    await expect(router.call('app.ping', { echo: 'still alive' })).resolves.toMatchObject({ ok: true });
  });

  it('keeps the code of an ApiError thrown on purpose', async () => {
    const router = createApiRouter(handlers({ 'app.info': async () => { throw new ApiError('not_found', 'No such salon'); } }));
    await expect(router.call('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'not_found', message: 'No such salon' } });
  });

  it('refuses an answer that breaks the response schema', async () => {
    const router = createApiRouter(handlers({ 'app.info': () => ({ ...info, mode: 'toaster' }) as never }));
    await expect(router.call('app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid_response', message: expect.stringContaining('mode') } });
  });
});
