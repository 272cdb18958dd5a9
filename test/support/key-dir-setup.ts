/**
 * Removes the fallback key folder vitest.config.ts points FRONTDESK_KEY_DIR at, once the run is over: tests that
 * give a host no key folder of their own (the safety net) must not leave keys behind in the temporary directory.
 */
import { rm } from 'node:fs/promises';

export default function setup(): () => Promise<void> {
  return async () => {
    const dir = process.env.FRONTDESK_TEST_FALLBACK_KEY_DIR;
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
