/**
 * Every npm script starts here:  node scripts/launch.mjs <command> [args…] ["&&" <command> [args…] …]
 *
 * FrontDesk needs Node >= 22.18 (node:sqlite, and TypeScript run directly by Node). This file is plain JS that
 * parses and runs on any Node >= 18 and imports nothing from node_modules, so it runs before any TypeScript:
 * - on a recent enough Node it runs the commands in order (stopping at the first failure); a lone script file
 *   (`scripts/web.ts`) runs in this process, anything else (`vitest run`) as a child with the same stdio;
 * - on an older Node it takes a recent one from the cache (~/.cache/frontdesk/node-<version>), fetching
 *   node-<os>-<arch>@24 from the npm registry the first time, says so in one line, and re-executes itself under
 *   it with PATH and npm_config_nodedir pointing there, so child processes (vitest, electron-vite, the web host,
 *   node-gyp) use it too;
 * - when that is impossible (no registry, no package for this platform) it prints one line saying what to
 *   install and exits with status 1 — never a stack trace.
 *
 * Environment: FRONTDESK_CACHE_DIR overrides the cache folder. FRONTDESK_PRETEND_NODE=<version> makes the first
 * launcher act as if it ran on that Node version (tests use it to exercise provisioning under any Node).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REQUIRED_NODE = '22.18.0';
/** The Node line fetched from the npm registry when the machine's Node is too old. */
export const PROVISIONED_MAJOR = 24;
const LAUNCHER = fileURLToPath(import.meta.url);
const PROJECT_ROOT = path.resolve(path.dirname(LAUNCHER), '..');
/** Set in the environment of a re-executed launcher: the Node it was handed (guards against a loop). */
const HANDED_NODE = 'FRONTDESK_LAUNCHER_NODE';
const SCRIPT_FILE = /\.[cm]?[jt]s$/;
/** '22.18.0' -> '22.18', for people. */
const REQUIRED_SHORT = REQUIRED_NODE.replace(/\.0$/, '');

class LaunchError extends Error {}

/** '20.20.2' -> [20, 20, 2]; anything unreadable counts as 0. */
function versionParts(version) {
  return String(version)
    .replace(/^v/, '')
    .split('.')
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
}

/**
 * True when `version` can run FrontDesk: >= 22.18, except 23.0–23.5 (type stripping arrived in 23.6
 * behind no flag, and in the 22 line at 22.18).
 */
export function nodeIsRecentEnough(version, required = REQUIRED_NODE) {
  const have = versionParts(version);
  if (have[0] === 23) return have[1] >= 6;
  const need = versionParts(required);
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] > need[i];
  return true;
}

/** The npm package that carries a Node binary for this platform, or null when there is none. */
export function nodePackageFor(platform, arch) {
  const systems = { linux: 'linux', darwin: 'darwin', win32: 'win' };
  if (!systems[platform] || (arch !== 'x64' && arch !== 'arm64')) return null;
  return `node-${systems[platform]}-${arch}`;
}

export function describePlatform(platform, arch) {
  const names = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };
  return `${names[platform] || platform} ${arch}`;
}

/** Splits the launcher's arguments at literal "&&" into the commands to run in order. */
export function splitCommands(argv) {
  const commands = [[]];
  for (const arg of argv) {
    if (arg === '&&') commands.push([]);
    else commands[commands.length - 1].push(arg);
  }
  return commands.filter((command) => command.length > 0);
}

export function cacheRoot(env = process.env, platform = process.platform, home = os.homedir()) {
  if (env.FRONTDESK_CACHE_DIR) return path.resolve(env.FRONTDESK_CACHE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'frontdesk');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'frontdesk');
}

function say(line) {
  process.stderr.write(`frontdesk: ${line}\n`);
}

function nodeBinary(nodeRoot) {
  return path.join(nodeRoot, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

/** The version a Node binary reports, or null when it does not run here. */
function versionOf(binary) {
  const result = spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

/** The newest cached Node for this platform that is recent enough and runs, or null. */
function findCachedNode(root, packageName) {
  let entries;
  try {
    entries = readdirSync(root);
  } catch {
    return null;
  }
  const candidates = entries
    .filter((name) => /^node-\d+\.\d+\.\d+$/.test(name) && nodeIsRecentEnough(name.slice(5)))
    .sort((a, b) => {
      const [x, y] = [versionParts(a.slice(5)), versionParts(b.slice(5))];
      return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
    });
  for (const name of candidates) {
    const nodeRoot = path.join(root, name);
    try {
      if (JSON.parse(readFileSync(path.join(nodeRoot, 'package.json'), 'utf8')).name !== packageName) continue;
    } catch {
      continue;
    }
    const version = versionOf(nodeBinary(nodeRoot));
    if (version && nodeIsRecentEnough(version)) return { root: nodeRoot, version };
  }
  return null;
}

/** The npm CLI to run: the one running this npm script when there is one, else `npm` on PATH. */
function npmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.c?js$/.test(execPath) && existsSync(execPath)) return [process.execPath, [execPath]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

function runNpm(args, cwd, env) {
  const [command, prefix] = npmCommand();
  return spawnSync(command, [...prefix, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    shell: process.platform === 'win32' && command.endsWith('.cmd'),
    maxBuffer: 16 * 1024 * 1024,
  });
}

function registryUrl() {
  if (process.env.npm_config_registry) return process.env.npm_config_registry;
  const result = runNpm(['config', 'get', 'registry'], PROJECT_ROOT, process.env);
  return (result.stdout || '').trim() || 'the npm registry';
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_TIMEOUT']);

/** One human clause for a failed `npm pack`. */
function packFailure(result, spec) {
  if (result.error) {
    return result.error.code === 'ENOENT' ? 'npm is not on PATH' : `npm could not start (${result.error.code || result.error.message})`;
  }
  let error = {};
  try {
    error = JSON.parse(result.stdout).error || {};
  } catch {
    const code = /npm (?:ERR!|error) code (\S+)/.exec(result.stderr || '');
    if (code) error = { code: code[1] };
  }
  if (UNREACHABLE.has(error.code)) return `the npm registry (${registryUrl()}) cannot be reached`;
  if (error.code === 'E404' || error.code === 'ETARGET') return `the npm registry (${registryUrl()}) has no ${spec}`;
  const summary = String(error.summary || (result.stderr || '').split('\n')[0] || '').slice(0, 160);
  return `npm pack ${spec} failed (${[error.code, summary].filter(Boolean).join(': ') || `exit ${result.status}`})`;
}

/** Removes what interrupted downloads left behind (an hour old: a download still running is younger). */
function removeStaleDownloads(root) {
  for (const name of readdirSync(root)) {
    if (!name.startsWith('.download-')) continue;
    const leftover = path.join(root, name);
    try {
      if (Date.now() - statSync(leftover).mtimeMs > 3_600_000) rmSync(leftover, { recursive: true, force: true });
    } catch {
      // Another launcher removed it first, or it is not ours to remove: either way not worth failing for.
    }
  }
}

/** Fetches node-<os>-<arch>@24 into the cache; returns { root, version } or throws a LaunchError. */
function downloadNode(root, packageName) {
  const spec = `${packageName}@${PROVISIONED_MAJOR}`;
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    throw new LaunchError(`the cache folder ${root} cannot be created (${error.code || error.message})`);
  }
  removeStaleDownloads(root);
  const work = mkdtempSync(path.join(root, '.download-'));
  try {
    // npm's default retry back-off waits over a minute for a registry that is down; a few seconds say enough.
    const env = { npm_config_fetch_retry_mintimeout: '1000', npm_config_fetch_retry_maxtimeout: '3000', ...process.env };
    const packed = runNpm(['pack', spec, '--json', '--loglevel=error'], work, env);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    if (packed.status !== 0 || !tarball) throw new LaunchError(packFailure(packed, spec));
    const unpacked = spawnSync('tar', ['-xzf', tarball], { cwd: work, encoding: 'utf8' });
    const unpackedRoot = path.join(work, 'package');
    if (unpacked.status !== 0 || !existsSync(nodeBinary(unpackedRoot))) {
      const why = unpacked.error ? `tar: ${unpacked.error.code || unpacked.error.message}` : (unpacked.stderr || '').trim().split('\n')[0];
      throw new LaunchError(`unpacking ${tarball} failed${why ? ` (${why})` : ''}`);
    }
    const version = versionOf(nodeBinary(unpackedRoot));
    if (!version) throw new LaunchError(`the Node in ${spec} does not run on this system`);
    if (!nodeIsRecentEnough(version)) throw new LaunchError(`the npm registry's ${spec} is Node ${version}, too old as well`);
    const target = path.join(root, `node-${version}`);
    try {
      renameSync(unpackedRoot, target);
    } catch (error) {
      // Another launcher may have finished the same download first; its copy is as good as ours.
      if (versionOf(nodeBinary(target)) !== version) throw new LaunchError(`cannot write ${target} (${error.code || error.message})`);
    }
    return { root: target, version };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A recent enough Node: cached, or fetched now. Prints the one line saying which and where. */
function provisionNode(running) {
  const packageName = nodePackageFor(process.platform, process.arch);
  if (!packageName) {
    throw new LaunchError(`there is no ready-made Node for ${describePlatform(process.platform, process.arch)} in the npm registry`);
  }
  const root = cacheRoot();
  const cached = findCachedNode(root, packageName);
  const tooOld = `Node ${running} is too old for FrontDesk (needs ${REQUIRED_SHORT} or newer)`;
  if (cached) {
    say(`${tooOld}; running under Node ${cached.version} from ${cached.root}`);
    return cached;
  }
  say(`${tooOld}; fetching ${packageName}@${PROVISIONED_MAJOR} from the npm registry into ${root} (once, about 50 MB), then running under it`);
  return downloadNode(root, packageName);
}

/** Forwards termination signals to `child`; resolves with how it ended. */
function supervise(child) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      for (const signal of signals) process.off(signal, forward);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      for (const signal of signals) process.off(signal, forward);
      resolve({ code, signal });
    });
  });
}

/** Ends this process the way the child ended (same status, or the same signal). */
function finishLike({ code, signal }) {
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}

async function reexecuteUnder(node, argv) {
  const binary = nodeBinary(node.root);
  const env = { ...process.env };
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') || 'PATH';
  env[pathKey] = [path.dirname(binary), env[pathKey]].filter(Boolean).join(path.delimiter);
  env.npm_config_nodedir = node.root;
  env.NODE = binary;
  env.npm_node_execpath = binary;
  env[HANDED_NODE] = binary;
  delete env.FRONTDESK_PRETEND_NODE;
  const child = spawn(binary, [LAUNCHER, ...argv], { stdio: 'inherit', env });
  finishLike(await supervise(child));
}

function isScriptFile(command) {
  return SCRIPT_FILE.test(command) && existsSync(path.resolve(command));
}

async function runCommand([command, ...args]) {
  const script = isScriptFile(command);
  const child = script
    ? spawn(process.execPath, [path.resolve(command), ...args], { stdio: 'inherit' })
    : spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  try {
    return await supervise(child);
  } catch (error) {
    throw new LaunchError(error.code === 'ENOENT' ? `cannot run "${command}": it is not on PATH` : `cannot run "${command}" (${error.message})`);
  }
}

async function runCommands(commands) {
  const [only] = commands;
  if (commands.length === 1 && isScriptFile(only[0])) {
    // A lone script runs in this process: no extra process, and signals reach it directly.
    const script = path.resolve(only[0]);
    process.argv = [process.execPath, script, ...only.slice(1)];
    await import(pathToFileURL(script).href);
    return;
  }
  for (const command of commands) {
    const outcome = await runCommand(command);
    if (outcome.signal || outcome.code !== 0) finishLike(outcome);
  }
}

async function main(argv) {
  const commands = splitCommands(argv);
  if (commands.length === 0) throw new LaunchError('usage: node scripts/launch.mjs <command> [args…] ["&&" <command> …]');
  if (!existsSync(path.join(PROJECT_ROOT, 'node_modules'))) {
    throw new LaunchError(`the dependencies are not installed yet: run "npm ci" in ${PROJECT_ROOT} first`);
  }
  const handed = process.env[HANDED_NODE];
  const running = (!handed && process.env.FRONTDESK_PRETEND_NODE) || process.versions.node;
  if (!nodeIsRecentEnough(running)) {
    if (handed) throw new LaunchError(`the Node at ${handed} is ${running}, still too old`);
    let node;
    try {
      node = provisionNode(running);
    } catch (error) {
      const why = error instanceof LaunchError ? error.message : `fetching one failed (${error.message})`;
      throw new LaunchError(
        `FrontDesk needs Node.js ${REQUIRED_SHORT} or newer (this is ${running}), and ${why}. ` +
          `Install Node.js ${REQUIRED_SHORT} or newer (${PROVISIONED_MAJOR} LTS from https://nodejs.org) and run the command again.`,
      );
    }
    await reexecuteUnder(node, argv);
    return;
  }
  await runCommands(commands);
}

if (process.argv[1] && path.resolve(process.argv[1]) === LAUNCHER) {
  main(process.argv.slice(2)).catch((error) => {
    if (!(error instanceof LaunchError)) throw error;
    say(error.message);
    process.exit(1);
  });
}
