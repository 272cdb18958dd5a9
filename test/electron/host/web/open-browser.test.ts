import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserCommand, hasDesktopSession, openInBrowser } from '../../../../electron/host/web/open-browser.ts';

describe('hasDesktopSession', () => {
  it('is true on Linux with an X11 or Wayland session and false without one', () => {
    expect(hasDesktopSession('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDesktopSession('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDesktopSession('linux', {})).toBe(false);
    expect(hasDesktopSession('freebsd', { DISPLAY: '' })).toBe(false);
  });

  it('is always true on macOS and Windows', () => {
    expect(hasDesktopSession('darwin', {})).toBe(true);
    expect(hasDesktopSession('win32', {})).toBe(true);
  });

  it('is false in CI whatever the platform, unless CI is explicitly off', () => {
    expect(hasDesktopSession('darwin', { CI: 'true' })).toBe(false);
    expect(hasDesktopSession('linux', { CI: '1', DISPLAY: ':0' })).toBe(false);
    expect(hasDesktopSession('linux', { CI: 'false', DISPLAY: ':0' })).toBe(true);
  });
});

describe('browserCommand', () => {
  const url = 'http://127.0.0.1:5317/?token=abc-DEF_123';
  it('uses the system opener of each platform', () => {
    expect(browserCommand('linux', url)).toEqual({ command: 'xdg-open', args: [url], verbatim: false });
    expect(browserCommand('darwin', url)).toEqual({ command: 'open', args: [url], verbatim: false });
    expect(browserCommand('win32', url)).toEqual({ command: 'cmd', args: ['/d', '/s', '/c', `start "" "${url}"`], verbatim: true });
  });
});

describe('openInBrowser', () => {
  let bin: string;
  beforeEach(async () => {
    bin = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-opener-'));
  });
  afterEach(async () => {
    await rm(bin, { recursive: true, force: true });
  });

  async function fakeOpener(script: string): Promise<void> {
    const file = path.join(bin, 'xdg-open');
    await writeFile(file, `#!/bin/sh\n${script}\n`);
    await chmod(file, 0o755);
  }

  it('hands the URL to the opener', async () => {
    await fakeOpener(`printf '%s' "$1" > "${bin}/opened"`);
    const log = vi.fn();
    openInBrowser('http://127.0.0.1:1/?token=t', log, { platform: 'linux', env: { PATH: bin } });
    await vi.waitFor(async () => expect(await readFile(path.join(bin, 'opened'), 'utf8')).toBe('http://127.0.0.1:1/?token=t'));
    expect(log).not.toHaveBeenCalled();
  });

  it('logs, and does not throw, when there is no opener', async () => {
    const log = vi.fn();
    expect(() => openInBrowser('http://127.0.0.1:1/', log, { platform: 'linux', env: { PATH: bin } })).not.toThrow();
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('Could not open a browser (xdg-open: not installed); open the URL above yourself.'));
  });

  it('logs when the opener fails (no browser configured)', async () => {
    await fakeOpener('exit 3');
    const log = vi.fn();
    openInBrowser('http://127.0.0.1:1/', log, { platform: 'linux', env: { PATH: bin } });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('Could not open a browser (xdg-open: exit 3); open the URL above yourself.'));
  });
});
