/**
 * A real FrontDeskHost on the node:sqlite files of a data folder, on a clock that never moves and timers that never
 * fire: after start-up (and the engine's start-up planning) nothing in the host writes on its own, so a test can
 * assert that nothing a peer sent changed a document.
 */
import { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { Clock, Timers } from '../../../../shared/time/clock.ts';

/** Monday 2 March 2026, 09:00 UTC: the demo salon's bookings lie around it. */
export const FROZEN_NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

/** `keyDir`: where the saved-password key goes (a temporary folder apart from the data folder). */
export async function startFrozenHost(dataDir: string, keyDir: string, options: { demo?: boolean; log?: (line: string) => void } = {}): Promise<FrontDeskHost> {
  const clock: Clock = { now: () => FROZEN_NOW };
  const timers: Timers = { after: () => ({ cancel() {} }) };
  const host = new FrontDeskHost({
    dataDir,
    mode: 'web',
    version: 'test',
    clock,
    timers,
    keyDir,
    ...(options.demo ? { demo: true } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await host.start();
  await host.runtime.engine.idle();
  return host;
}
