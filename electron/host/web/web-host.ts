/**
 * The web mode's host, loaded by cli.ts after the page is already being served: the FrontDeskHost on the folder the
 * CLI claimed, with its sockets attached to the CLI's listener. This module pulls in the host's code (RxDB, the
 * engine, the providers); cli.ts must not, so the URL is printed before that code loads.
 */
import type { DataFolderLock } from '../data-folder-lock.ts';
import { FrontDeskHost, WINDOW_HEAD_START_MS } from '../host.ts';
import type { AppListener } from './app-listener.ts';
import { attachHost, type RunningWebServer } from './web-server.ts';

export interface WebHostOptions {
  dataDir: string;
  version: string;
  demo: boolean;
  log: (line: string) => void;
  listener: AppListener;
  claimedFolder: DataFolderLock;
  /** HostOptions.toastIcon: the built renderer's icon. */
  toastIcon?: string;
  /** The window's head start before the start-up re-plan; WINDOW_HEAD_START_MS when undefined. */
  startPlanDelayMs?: number | undefined;
}

/**
 * Starts the host and attaches its sockets; `started` settles when the database is open (its calls wait until then).
 * If the start fails the host has released the folder; the caller closes the server.
 */
export function startWebHost(options: WebHostOptions): { host: FrontDeskHost; server: RunningWebServer; started: Promise<void> } {
  const host = new FrontDeskHost({
    dataDir: options.dataDir,
    mode: 'web',
    version: options.version,
    log: options.log,
    demo: options.demo,
    startPlanDelayMs: options.startPlanDelayMs ?? WINDOW_HEAD_START_MS,
    claimedFolder: options.claimedFolder,
    ...(options.toastIcon ? { toastIcon: options.toastIcon } : {}),
  });
  // Started before the sockets are attached: a call that was waiting for them then waits for the database, instead
  // of finding a host that has not begun to start.
  const started = host.start();
  const server = attachHost(options.listener, host, options.log);
  return { host, server, started };
}
