/**
 * Starts the real web mode (`npm run web`'s entry) as a child process on a free port with a fresh
 * data folder, and hands back the URL it printed. It never opens a browser unless asked to (`open: true`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../scripts/ensure-build.ts';

export interface WebHost {
  openUrl: string;
  origin: string;
  dataDir: string;
  output: () => string;
  /**
   * Resolves once the host's engine has planned the book it started with. That start-up re-plan holds the host's event
   * loop in slices, and a command sent meanwhile waited 11 s for its answer on a loaded machine (a 10 s poll failed).
   */
  startPlanned(): Promise<void>;
  stop(): Promise<number | null>;
}

export interface WebHostOptions {
  /** Let the host open a browser when it sees a desktop session (default: pass --no-open). */
  open?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * The window's head start before the start-up re-plan (FRONTDESK_START_PLAN_DELAY_MS; default: the app's 2 s). A
   * test that waits for that re-plan before it begins gains nothing from the head start but its wait.
   */
  startPlanDelayMs?: number;
}

export async function startWebHost(extraArgs: string[] = [], entry = 'out/main/web.js', options: WebHostOptions = {}): Promise<WebHost> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-e2e-'));
  // Web mode keeps the key of saved passwords in the user's config folder: a temporary one here, never the real one.
  const keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-e2e-keys-'));
  const args = ['--port', '0', '--data-dir', dataDir, ...(options.open ? [] : ['--no-open']), ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot, entry), ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The start-up marks (electron/host/start-trace.ts) tell when the start-up re-plan is done.
    env: {
      ...(options.env ?? process.env),
      FRONTDESK_KEY_DIR: keyDir,
      FRONTDESK_START_TRACE: '1',
      ...(options.startPlanDelayMs !== undefined ? { FRONTDESK_START_PLAN_DELAY_MS: String(options.startPlanDelayMs) } : {}),
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const openUrl = await new Promise<string>((resolve, reject) => {
    // Generous: the machine is shared, and a loaded core can take a while to start Node and open the database.
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`web host exited (${code}) before printing its URL:\n${output}`)));
  });
  const planned = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not finish its start-up planning within 120 s:\n${output}`)), 120_000);
    const check = () => {
      if (!/\[start-trace\] start_plan_done /.test(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stderr?.on('data', check);
    check();
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`web host exited before finishing its start-up planning:\n${output}`));
    });
  });
  // Not every test waits for it; one that stops the host first must not see an unhandled rejection.
  planned.catch(() => {});
  return {
    openUrl,
    origin: new URL(openUrl).origin,
    dataDir,
    output: () => output,
    startPlanned: () => planned,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      await rm(keyDir, { recursive: true, force: true });
      return code;
    },
  };
}
