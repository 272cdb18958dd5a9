/** Hosts for the tests whose disk turns full or read-only under the data folder (disk-full, read-only). */
import { FrontDeskHost } from '../../../../../electron/host/host.ts';
import { startFailureOf } from '../../../../../electron/host/start-failure.ts';
import type { ChannelProvider } from '../../../../../shared/engine/provider.ts';
import { salonClient, seedSalon } from '../../engine/integration/support/salon.ts';

/** An email provider that accepts every message and records its job id. */
export function recordingEmail(sent: string[]): ChannelProvider {
  return {
    channel: 'email',
    readiness: () => ({ ready: true }),
    send: async (message) => {
      sent.push(message.jobId);
      return { status: 'accepted', providerMessageId: `m-${sent.length}` };
    },
  };
}

/** A started web-mode host on `dataDir` whose email goes to `sent` and whose log lines to `logs`. */
export async function salonHost(dataDir: string, keyDir: string, sent: string[], logs: string[]): Promise<FrontDeskHost> {
  const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', providers: { email: recordingEmail(sent) }, log: (line) => logs.push(line) });
  await host.start();
  return host;
}

/** A salon with one client (c1) written to `dataDir` by a host that has stopped again. */
export async function stoppedSalon(dataDir: string, keyDir: string): Promise<void> {
  const host = await salonHost(dataDir, keyDir, [], []);
  const now = Date.now();
  await seedSalon(host.runtime.db, { now, clients: [salonClient('c1', now)] });
  await host.stop();
}

/** What a host starting on `dataDir` tells the person when the start is refused (undefined if it started). */
export async function startRefusal(dataDir: string, keyDir: string): Promise<ReturnType<typeof startFailureOf> | undefined> {
  const refused = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test' });
  const error = await refused.start().then(() => undefined, (e: unknown) => e);
  return error === undefined ? undefined : startFailureOf(error);
}
