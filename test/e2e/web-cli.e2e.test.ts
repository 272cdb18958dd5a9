import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
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

  it('refuses a bad --port with a message', async () => {
    await expect(startWebHost(['--port', 'lots'])).rejects.toThrow(/--port must be a whole number/);
  });
});
