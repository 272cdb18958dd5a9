import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// A safety net: a test that forgets to give a host its own key folder still never touches the real ~/.config.
// Tests that look at the key pass their own temporary folder (HostOptions.keyDir or FRONTDESK_KEY_DIR for children).
const fallbackKeyDir = path.join(os.tmpdir(), `frontdesk-test-keys-${process.pid}`);
// Global setups run in this process: test/support/key-dir-setup.ts removes the folder after the run.
process.env.FRONTDESK_TEST_FALLBACK_KEY_DIR = fallbackKeyDir;

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          globalSetup: ['test/support/key-dir-setup.ts'],
          env: { FRONTDESK_KEY_DIR: fallbackKeyDir },
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine. Most unit files wait
          // on child processes, sockets and timers, so two keep both cores busy.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          env: { FRONTDESK_KEY_DIR: fallbackKeyDir },
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/support/global-setup.ts', 'test/support/key-dir-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // A page reacts to a host round trip; on a loaded machine that takes longer than vitest's 1 s default.
          expect: { poll: { timeout: 10_000 } },
          // Two files at a time: an e2e file spends most of its time waiting for a host round trip or a timer
          // (a change alert's settle time), so a second one overlaps those waits; each has its own host, data folder
          // and browser. Still after the unit project, not beside it.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
