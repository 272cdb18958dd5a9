/**
 * Builds main (with the host's utility-process entry and the web mode), preload and renderer with electron-vite when
 * the sources are newer than `out/`,
 * so `npm run web` and the e2e tests start quickly on an unchanged tree.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['renderer', 'shared', 'electron', 'electron.vite.config.ts', 'package.json'];
const OUTPUTS = ['out/renderer/index.html', 'out/main/index.js', 'out/main/host.js', 'out/main/web.js', 'out/preload/index.cjs'];

function newestMtime(entry: string): number {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function buildIsStale(root = projectRoot): boolean {
  const built = Math.min(...OUTPUTS.map((file) => newestMtime(path.join(root, file))));
  if (built === 0) return true;
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > built);
}

export function ensureBuild(root = projectRoot): void {
  if (!buildIsStale(root)) return;
  console.log('Building the app (electron-vite build)…');
  const cli = path.join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`electron-vite build failed (exit ${result.status ?? result.signal}).`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureBuild();
