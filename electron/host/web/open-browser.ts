/**
 * `npm run web` opens the app in the user's browser when there is a desktop to show it on. Opening is a
 * convenience: the URL is printed either way, and a missing or failing opener never stops the host.
 */
import { spawn } from 'node:child_process';

/** True where a browser window can appear: macOS and Windows always, Linux/BSD with an X11 or Wayland session; never in CI. */
export function hasDesktopSession(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (env.CI && env.CI !== '0' && env.CI.toLowerCase() !== 'false') return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The system's "open this URL in the default browser" command. */
export function browserCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[]; verbatim: boolean } {
  if (platform === 'darwin') return { command: 'open', args: [url], verbatim: false };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty "".
  if (platform === 'win32') return { command: 'cmd', args: ['/d', '/s', '/c', `start "" "${url}"`], verbatim: true };
  return { command: 'xdg-open', args: [url], verbatim: false };
}

export interface OpenBrowserOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/** Starts the browser on `url` in the background; problems are logged, never thrown. */
export function openInBrowser(url: string, log: (line: string) => void, options: OpenBrowserOptions = {}): void {
  const { command, args, verbatim } = browserCommand(options.platform ?? process.platform, url);
  const couldNot = (why: string) => log(`Could not open a browser (${command}: ${why}); open the URL above yourself.`);
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      env: options.env ?? process.env,
      windowsVerbatimArguments: verbatim,
    });
    child.once('error', (error: NodeJS.ErrnoException) => couldNot(error.code === 'ENOENT' ? 'not installed' : error.message));
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) couldNot(`exit ${code}`);
    });
    child.unref();
  } catch (error) {
    couldNot((error as Error).message);
  }
}
