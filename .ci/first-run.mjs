/**
 * The README's Start on this fresh clone, under whatever Node the machine has (plain JS, runs on Node >= 18):
 * 1. `npm run web -- --port 0 --data-dir D --no-open` serves the app within 60 s (launcher, Node provisioning
 *    if needed, build, host start), and stops cleanly when the terminal's process group gets SIGTERM;
 * 2. with the npm registry unreachable and empty caches, `npm run web` prints one line saying what to install
 *    and exits non-zero, with no stack trace.
 * Run after `npm ci`, before `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { nodeIsRecentEnough } = await import('../scripts/launch.mjs');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'frontdesk-first-run-'));

function fail(message) {
  console.error(`first run: FAILED — ${message}`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(1);
}

/** `npm run web -- args` in its own process group, like a command typed in a terminal. */
function npmRunWeb(args, env = process.env) {
  const child = spawn(npm, ['run', 'web', '--', ...args], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const run = { child, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (run.stdout += chunk));
  child.stderr.on('data', (chunk) => (run.stderr += chunk));
  run.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return run;
}

/** `promise`, or a rejection after `ms` (the timer does not keep this script alive). */
const within = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms).unref())]);

async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

console.log(`first run: system Node ${process.version}`);

// 1. Start serves the app.
const started = Date.now();
const web = npmRunWeb(['--port', '0', '--data-dir', path.join(scratch, 'data'), '--no-open']);
let url;
try {
  url = await within(
    new Promise((resolve, reject) => {
      web.child.stdout.on('data', () => {
        const match = /Open: (http:\/\/\S+)/.exec(web.stdout);
        if (match) resolve(match[1]);
      });
      web.exited.then(({ code }) => reject(new Error(`npm run web exited (${code}) before printing its URL`)));
    }),
    60_000,
    'npm run web',
  );
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200 || !body.includes('<div id="root">')) throw new Error(`GET ${url} answered ${response.status}`);
} catch (error) {
  process.kill(-web.child.pid, 'SIGKILL');
  fail(`${error.message}\n${web.stdout}${web.stderr}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.kill(-web.child.pid, 'SIGTERM');
await within(web.exited, 30_000, 'stopping npm run web').catch((error) => fail(error.message));
if (!web.stdout.includes('Stopped.')) fail(`npm run web did not stop cleanly on SIGTERM:\n${web.stdout}${web.stderr}`);
const launcherLines = web.stderr.split('\n').filter((line) => line.startsWith('frontdesk: '));
console.log(`first run: npm run web served ${new URL(url).origin}/ ${seconds} s after it was started, then stopped cleanly`);
for (const line of launcherLines) console.log(`  ${line}`);

// 2. An unprovisionable Node says what to install.
const env = {
  ...process.env,
  npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
  npm_config_cache: path.join(scratch, 'npm-cache'),
  FRONTDESK_CACHE_DIR: path.join(scratch, 'node-cache'),
};
if (nodeIsRecentEnough(process.versions.node)) {
  console.log(`first run: Node ${process.versions.node} needs no provisioning; checking the unreachable-registry message as if it were 20.0.0`);
  env.FRONTDESK_PRETEND_NODE = '20.0.0';
}
const refused = npmRunWeb(['--port', '0', '--no-open'], env);
const outcome = await within(refused.exited, 60_000, 'npm run web with the registry unreachable').catch((error) => {
  process.kill(-refused.child.pid, 'SIGKILL');
  fail(error.message);
});
const stderrLines = refused.stderr.split('\n').filter((line) => line.trim() !== '');
const instruction = stderrLines.at(-1) ?? '';
if (outcome.code === 0 || outcome.signal) fail(`npm run web exited with ${outcome.code ?? outcome.signal} without a Node`);
if (!/^frontdesk: .*cannot be reached\. Install Node\.js \S+ or newer/.test(instruction)) fail(`no instruction line:\n${refused.stderr}`);
if (stderrLines.some((line) => /^\s+at /.test(line))) fail(`stack trace printed:\n${refused.stderr}`);
if (refused.stdout.includes('Open:')) fail('the host started without a Node');
console.log(`first run: with the registry unreachable, npm run web exited ${outcome.code} and said:\n  ${instruction}`);
rmSync(scratch, { recursive: true, force: true });
