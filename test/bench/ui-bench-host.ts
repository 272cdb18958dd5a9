/** bench:ui's host: the bundled web mode spawned on a data folder, timed from the spawn to the URL it prints. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../scripts/ensure-build.ts';


export interface Host {
  openUrl: string;
  /** Wall-clock ms (performance.timeOrigin + now) of the spawn. */
  spawnedAtEpoch: number;
  /** Spawn → "Open: URL" printed, Node wall time. */
  startMs: number;
  spawnedAt: number;
  output: () => string;
  stop(): Promise<void>;
}

export async function startHost(dataDir: string, timeoutMs = 120_000): Promise<Host> {
  const spawnedAt = performance.now();
  // The bundled web mode, as `npm run web` starts it (out/main/web.js; ensure-build made it).
  const child = spawn(process.execPath, [path.join(projectRoot, 'out/main/web.js'), '--port', '0', '--data-dir', dataDir, '--no-open'], {
    cwd: projectRoot,
    // The host's start-up marks (electron/host/start-trace.ts) for the breakdown.
    env: { ...process.env, FRONTDESK_START_TRACE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((code) => reject(new Error(`web host exited (${code}) before printing its URL:\n${output}`)));
  });
  return {
    openUrl,
    startMs: performance.now() - spawnedAt,
    spawnedAt,
    spawnedAtEpoch: performance.timeOrigin + spawnedAt,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** performance.now() at which the host's output first matched `pattern` (polled; throws after `timeoutMs`). */
export async function waitForOutput(host: Host, pattern: RegExp, timeoutMs: number): Promise<number> {
  const until = performance.now() + timeoutMs;
  while (!pattern.test(host.output())) {
    if (performance.now() > until) throw new Error(`host printed no ${pattern} within ${timeoutMs} ms:\n${host.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now();
}
