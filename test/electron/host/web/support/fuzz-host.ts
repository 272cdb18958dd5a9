/**
 * Child process of fuzz.test.ts: the web mode's host exactly as `npm run web` runs it (node:sqlite files in the data
 * folder, the web server, the process guard), but on a frozen clock with the demo salon, so nothing in the host writes
 * on its own once it has started.
 *
 *   node fuzz-host.ts <dataDir> <rendererDir> <keyDir>
 *
 * stdout: `ready <port> <token>` once serving, `stopped` after SIGTERM stopped it cleanly. stderr: the host's log.
 */
import { installProcessGuard } from '../../../../../electron/host/process-guard.ts';
import { startWebServer, type RunningWebServer } from '../../../../../electron/host/web/web-server.ts';
import { startFrozenHost } from '../../support/frozen-host.ts';

const [dataDir, rendererDir, keyDir] = process.argv.slice(2);
if (!dataDir || !rendererDir || !keyDir) throw new Error('usage: fuzz-host.ts <dataDir> <rendererDir> <keyDir>');

const log = (line: string) => process.stderr.write(`[frontdesk] ${line}\n`);
let server: RunningWebServer | undefined = undefined;
const host = await startFrozenHost(dataDir, keyDir, { demo: true, log });
installProcessGuard({
  log,
  stop: async () => {
    await server?.close();
    await host.stop();
  },
});
server = await startWebServer({ host, rendererDir, port: 0, log });
process.stdout.write(`ready ${server.port} ${server.token}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await server?.close();
    await host.stop();
    process.stdout.write('stopped\n');
    process.exit(0);
  })();
});
