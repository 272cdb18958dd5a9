/** The real clock and timers, for provider tests that talk to loopback servers in real time. */
import type { ProviderDeps } from '../../../../../electron/host/channels/providers/provider-client.ts';

export const systemTime: ProviderDeps = {
  clock: { now: () => Date.now() },
  timers: {
    after(ms, fn) {
      const timer = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(timer) };
    },
  },
};
