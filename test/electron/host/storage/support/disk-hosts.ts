/** Hosts for the tests whose disk turns full or read-only under the data folder (disk-full, read-only). */
import { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { ChannelProvider } from '../../../../../shared/engine/provider.ts';

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
