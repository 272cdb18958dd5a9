/**
 * A host in memory (the desktop app's mode) for engine scenarios that judge what reached people: its desktop toasts are
 * recorded, its email goes to an SMTP sink on loopback, and the host's log lines are kept for failure messages.
 */
import type { FrontDeskHost } from '../../../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../../../shared/domain/database-types.ts';
import type { ChannelProvider, OutgoingMessage } from '../../../../../../shared/engine/provider.ts';
import { startMemoryHost } from '../../../support/memory-host.ts';
import { startSmtpSink, type SmtpSink } from '../../../channels/support/smtp-sink.ts';
import { LOCATION_ID, waitUntil } from './salon.ts';

export interface RecordingHost {
  sink: SmtpSink;
  host: FrontDeskHost;
  db: FrontDeskDatabase;
  toasts: OutgoingMessage[];
  hostLog: string[];
  stop(): Promise<void>;
}

/**
 * Starts the host, seeds its salon (`seed`, given the SMTP sink's port for the location's mail settings), waits until
 * its mail server is ready and the engine idle.
 */
export async function startRecordingHost(name: string, seed: (db: FrontDeskDatabase, smtpPort: number) => Promise<void>): Promise<RecordingHost> {
  const sink = await startSmtpSink();
  const toasts: OutgoingMessage[] = [];
  const hostLog: string[] = [];
  const recordingDesktop: ChannelProvider = {
    channel: 'desktop',
    readiness: () => ({ ready: true }),
    send: async (message) => {
      toasts.push(message);
      return { status: 'delivered' };
    },
  };
  const running = await startMemoryHost(name, { mode: 'electron', log: (line) => hostLog.push(line), providers: { desktop: recordingDesktop } });
  const { host } = running;
  const db = host.runtime.db;
  await seed(db, sink.port);
  // The provider hub builds the mail server's provider from the settings document as it lands.
  await waitUntil(async () => (host.runtime.providers.email.readiness(LOCATION_ID).ready ? true : undefined), 15_000, () => 'the mail server never became ready');
  await host.runtime.engine.idle();
  return {
    sink, host, db, toasts, hostLog,
    stop: async () => {
      await running.stop();
      await sink.close();
    },
  };
}
