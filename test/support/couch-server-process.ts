/**
 * Starts the CouchDB-compatible test server in a child process (couch-server-child.ts) and drives it: the bench
 * measures a desk's memory and latency without the server's work in the same process.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_COUCH_ADMIN, type CouchTestServer } from './couch-server.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'couch-server-child.ts');

export interface CouchServerProcess extends Omit<CouchTestServer, 'requests'> {
  /** The server process's resident set, bytes. */
  rss(): Promise<number>;
}

export async function startCouchServerProcess(): Promise<CouchServerProcess> {
  const child = spawn(process.execPath, ['--no-warnings', childScript], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { prefix: string; resolve: (line: string) => void }[] = [];
  let onPort: (port: number) => void = () => undefined;
  const ported = new Promise<number>((resolve, reject) => {
    onPort = resolve;
    child.once('exit', (code, signal) => reject(new Error(`the test CouchDB server exited (${code ?? signal})`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('port ')) return onPort(Number(line.slice(5)));
    const index = waiting.findIndex((w) => line.startsWith(`ok ${w.prefix}`));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line);
  });
  const ask = (command: string) =>
    new Promise<string>((resolve) => {
      waiting.push({ prefix: command, resolve });
      child.stdin!.write(`${command}\n`);
    });
  const port = await ported;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    admin: { ...TEST_COUCH_ADMIN },
    stop: async () => void (await ask('stop')),
    resume: async () => void (await ask('resume')),
    rss: async () => Number((await ask('rss')).split(' ')[2]),
    close: async () => {
      if (closed) return;
      closed = true;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask('close');
      await exited;
    },
  };
}
