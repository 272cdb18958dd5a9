/**
 * A throwaway graphical desktop for toast tests: Xvfb on a free display, a private D-Bus session bus, the dunst
 * notification daemon, and dbus-monitor recording every Notify call. Each process runs in its own process group
 * and `stop()` ends the groups, so nothing outlives the test file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findOnPath } from '../../../../../electron/host/channels/desktop-provider.ts';

export interface DesktopSession {
  display: string;
  busAddress: string;
  /** Everything dbus-monitor printed so far. */
  monitorOutput(): string;
  /** Resolves once the monitor output contains `text`; rejects after `timeoutMs` with what it saw. */
  waitForMonitor(text: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

const REQUIRED = [
  { binary: 'Xvfb', apt: 'xvfb' },
  { binary: 'dbus-daemon', apt: 'dbus' },
  { binary: 'dbus-monitor', apt: 'dbus' },
  { binary: 'dbus-send', apt: 'dbus' },
  { binary: 'dunst', apt: 'dunst' },
  { binary: 'notify-send', apt: 'libnotify-bin' },
] as const;

/** Fails with the apt packages to install, rather than letting a spawn error say "ENOENT". */
export function assertDesktopToolsInstalled(): void {
  const missing = REQUIRED.filter((tool) => !findOnPath(tool.binary));
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((tool) => tool.apt))].join(' ');
    throw new Error(
      `The toast test needs ${missing.map((tool) => tool.binary).join(', ')} on PATH. Install them with: ` +
        `apt-get install -y ${packages} (CI installs xvfb dbus dbus-x11 dunst libnotify-bin).`,
    );
  }
}

export async function startDesktopSession(): Promise<DesktopSession> {
  assertDesktopToolsInstalled();
  const children: ChildProcess[] = [];
  const stop = async () => {
    // Reverse order: the monitor and daemon go before the bus they talk over, the bus before the display.
    for (const child of children.reverse()) await endGroup(child);
  };
  try {
    const display = await startXvfb(children);
    const bus = spawnGroup('dbus-daemon', ['--session', '--nofork', '--nosyslog', '--print-address=1'], {});
    children.push(bus);
    const busAddress = (await firstLine(bus, 'dbus-daemon', 5_000)).trim();
    const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: busAddress };

    children.push(spawnGroup('dunst', [], env));
    await waitFor(() => nameHasOwner(env, 'org.freedesktop.Notifications'), 10_000, 'dunst to own org.freedesktop.Notifications');

    const monitor = spawnGroup('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications',member='Notify'"], env);
    children.push(monitor);
    let output = '';
    monitor.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    monitor.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // dbus-monitor announces itself (NameAcquired, then NameLost as it turns into a monitor) once it is listening.
    await waitFor(() => output.includes('NameLost'), 5_000, 'dbus-monitor to start listening');

    const waitForMonitor = async (text: string, timeoutMs = 5_000) => {
      try {
        await waitFor(() => output.includes(text), timeoutMs, `"${text}" in the dbus-monitor output`);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- dbus-monitor output ---\n${output}`, { cause: error });
      }
      return output;
    };
    return { display, busAddress, monitorOutput: () => output, waitForMonitor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A random display in 90–989 (to stay clear of real ones and of other suites); another one if it is taken. */
async function startXvfb(children: ChildProcess[]): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const number = 90 + Math.floor(Math.random() * 900);
    if (existsSync(`/tmp/.X${number}-lock`) || existsSync(`/tmp/.X11-unix/X${number}`)) continue;
    // -displayfd writes the display number once the server accepts connections: readiness without polling.
    const xvfb = spawn('Xvfb', [`:${number}`, '-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    children.push(xvfb);
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        xvfb.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream | null;
        const timer = setTimeout(() => reject(new Error(`Xvfb :${number} did not start within 10 s\n${stderr}`)), 10_000);
        fd3?.once('data', () => {
          clearTimeout(timer);
          resolve();
        });
        xvfb.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`Xvfb :${number} exited with ${code}\n${stderr}`));
        });
        xvfb.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      return `:${number}`;
    } catch (error) {
      lastError = error;
      children.pop();
      await endGroup(xvfb);
    }
  }
  throw new Error(`Could not start Xvfb on a free display: ${String(lastError)}`);
}

function spawnGroup(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  child.on('error', () => undefined);
  // Drained, so a chatty daemon never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

function firstLine(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${name} printed nothing within ${timeoutMs} ms`)), timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffered.slice(0, newline));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before printing its address`));
    });
  });
}

function nameHasOwner(env: Record<string, string>, name: string): boolean {
  const result = spawnSync(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
    { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 2_000 },
  );
  return result.status === 0 && /boolean true/.test(result.stdout);
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM to the whole process group, SIGKILL if it is still there after a second. */
async function endGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 1_000);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  clearTimeout(timer);
}
