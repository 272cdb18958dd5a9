/**
 * `npm run web`: the host in plain Node serving the app on loopback (run by entry.ts; `npm run web` runs its build,
 * out/main/web.js).
 *   --port N (default 5317, 0 picks a free one)   --data-dir DIR   --renderer-dir DIR   --demo
 *   --no-open (do not open the browser, which happens only where a desktop session exists)
 *   --restore-backup FILE (put a backup in place of the book before it opens; the replaced book is kept, see
 *   backup/restore-backup.ts)
 * Environment: FRONTDESK_START_PLAN_DELAY_MS (0–60000) replaces the window's head start before the start-up re-plan
 * (host.ts WINDOW_HEAD_START_MS); the e2e tests, which wait for that re-plan before they begin, set 0.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DataFolderLock } from '../data-folder-lock.ts';
import { claimDataFolder } from '../folder-claim.ts';
import type { FrontDeskHost } from '../host.ts';
import { defaultDataDir } from '../paths.ts';
import { installProcessGuard } from '../process-guard.ts';
import { startMark } from '../start-trace.ts';
import { toastIconIn } from '../toast-icon.ts';
import { listenForApp, type AppListener } from './app-listener.ts';
import { hasDesktopSession, openInBrowser } from './open-browser.ts';
import type { RunningWebServer } from './web-server.ts';

/** The folder with package.json: three levels up from the source, two from the build (out/main/web.js). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${from}.`);
  }
}

const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The longest the host's code waits for the page's files to be served (nobody may be opening the page). */
const PAGE_HEAD_START_CAP_MS = 1000;

export interface WebCliOptions {
  port: number;
  dataDir: string;
  rendererDir: string;
  demo: boolean;
  open: boolean;
  restoreFrom?: string | undefined;
}

/** FRONTDESK_START_PLAN_DELAY_MS as a head start in ms, or undefined (the default) when unset or not 0–60000. */
export function startPlanDelayFromEnv(env: NodeJS.ProcessEnv, log: (line: string) => void): number | undefined {
  const text = env.FRONTDESK_START_PLAN_DELAY_MS;
  if (text === undefined || text === '') return undefined;
  const ms = Number(text);
  if (Number.isInteger(ms) && ms >= 0 && ms <= 60_000) return ms;
  log(`FRONTDESK_START_PLAN_DELAY_MS must be a whole number of milliseconds from 0 to 60000 (got '${text}'); using the default.`);
  return undefined;
}

export function parseWebArgs(argv: string[]): WebCliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '5317' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'no-open': { type: 'boolean', default: false },
      'restore-backup': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535 (got '${values.port}').`);
  }
  return {
    port,
    dataDir: path.resolve(values['data-dir'] ?? defaultDataDir()),
    rendererDir: path.resolve(values['renderer-dir'] ?? path.join(projectRoot, 'out/renderer')),
    demo: values.demo ?? false,
    open: !values['no-open'],
    ...(values['restore-backup'] !== undefined ? { restoreFrom: path.resolve(values['restore-backup']) } : {}),
  };
}

export async function runWebMode(argv: string[]): Promise<void> {
  let options: WebCliOptions;
  try {
    options = parseWebArgs(argv);
  } catch (error) {
    console.error(`frontdesk web: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const log = (line: string) => console.error(`[frontdesk] ${line}`);
  let listener: AppListener | undefined;
  let claimed: DataFolderLock | undefined;
  let running: { host: FrontDeskHost; server: RunningWebServer } | undefined;
  // Whatever has started so far: the host (which then owns the folder), or only the listener and the folder.
  const stopParts = async () => {
    if (running) {
      await running.server.close();
      await running.host.stop();
    } else {
      await listener?.close();
      claimed?.release();
    }
  };
  // An internal error a request did not catch: logged (rejection) or a clean, loud stop (exception); see process-guard.ts.
  installProcessGuard({ log, stop: stopParts });
  let stopping = false;
  let starting: Promise<void> = Promise.resolve();
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})…`);
    // A signal can come while the database is still opening (the URL is printed before): let that finish, then stop.
    await starting.catch(() => {});
    await stopParts();
    console.log('Stopped.');
  };
  // Installed before the start: a Ctrl-C or SIGTERM right after the URL appeared must stop cleanly, not kill the host.
  // `on`, not `once`: npm and the launcher forward signals the terminal also delivers, so one Ctrl-C can arrive
  // twice, and a second one must not kill the host halfway through stopping.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // The page is served as soon as the data folder is ours, before the host's code has loaded: the browser loads the
  // app while the host loads and opens the database, and its first calls and storage requests wait for that. A folder
  // in use (or damaged) is refused before any URL is printed.
  starting = (async () => {
    claimed = await claimDataFolder(options.dataDir, { mode: 'web', version, now: Date.now(), log, checkFiles: true, restoreFrom: options.restoreFrom });
    startMark('folder_claimed');
    listener = await listenForApp({ rendererDir: options.rendererDir, port: options.port, log });
    console.log(`FrontDesk is running (web mode). Data folder: ${options.dataDir}`);
    console.log(`Open: ${listener.openUrl}`);
    startMark('http_listening');
    if (options.open && hasDesktopSession(process.platform, process.env)) {
      log('Opening the app in your browser (--no-open to skip).');
      openInBrowser(listener.openUrl, log);
    }
    // Loading the host's code holds this process for a few hundred ms: the page's own files go first.
    await listener.pageLoaded(PAGE_HEAD_START_CAP_MS);
    // Stopped meanwhile: there is no host to start (stopParts closes the listener and frees the folder).
    if (stopping) return;
    const { startWebHost } = await import('./web-host.ts');
    startMark('host_code_loaded');
    const { host, server, started } = startWebHost({
      dataDir: options.dataDir, version, demo: options.demo, log, listener, claimedFolder: claimed,
      toastIcon: toastIconIn(options.rendererDir), startPlanDelayMs: startPlanDelayFromEnv(process.env, log),
    });
    running = { host, server };
    await started;
  })().catch(async (error: unknown) => {
    // The host released the folder if it got it; otherwise it is released here.
    if (running) await running.server.close(error);
    else await stopParts();
    throw error;
  });
  await starting;
}
