import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startWebHost } from './support/web-host.ts';

function getStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('npm run web', () => {
  it('serves the app within 10 s through the npm script entry, and stops cleanly on SIGTERM', async () => {
    const started = Date.now();
    const host = await startWebHost([], 'scripts/web.ts');
    const response = await getStatus(host.origin + '/');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(response.status).toBe(200);
    expect(response.body).toContain('<div id="root">');
    expect(host.openUrl).toMatch(/\?token=[\w-]{20,}$/);
    expect(host.output()).toContain(`Data folder: ${host.dataDir}`);
    expect(await host.stop()).toBe(0);
  });

  it('opens the printed URL in the browser where a desktop session exists', async () => {
    // A stand-in for xdg-open that records what it was asked to open.
    const bin = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-opener-'));
    await writeFile(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > "${bin}/opened"\n`);
    await chmod(path.join(bin, 'xdg-open'), 0o755);
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, DISPLAY: ':0', CI: undefined };
    const host = await startWebHost([], 'scripts/web.ts', { open: true, env });
    try {
      await vi.waitFor(async () => expect(await readFile(path.join(bin, 'opened'), 'utf8')).toBe(host.openUrl), { timeout: 10_000 });
      expect(host.output()).toContain('Opening the app in your browser (--no-open to skip).');
    } finally {
      await host.stop();
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('holds the start-up re-plan for the head start FRONTDESK_START_PLAN_DELAY_MS sets (e2e tests set 0)', async () => {
    // A minute: the re-plan, 2 s after the start by default, has not begun 4 s after the host runs.
    const host = await startWebHost(['--demo'], undefined, { startPlanDelayMs: 60_000 });
    try {
      await vi.waitFor(() => expect(host.output()).toContain('[start-trace] host_running'), { timeout: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(host.output()).not.toContain('start_plan_done');
    } finally {
      await host.stop();
    }
  });

  it('refuses a bad --port with a message', async () => {
    await expect(startWebHost(['--port', 'lots'])).rejects.toThrow(/--port must be a whole number/);
  });
});
