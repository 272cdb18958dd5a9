import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * mingo (RxDB's query matcher) for Node resolves to its CommonJS build, which the bundle cannot tree-shake: the host
 * evaluated every operator of all 500 kB at each start. Its ES modules instead, subpath by subpath as its exports name
 * them, so only the operators RxDB uses are bundled.
 */
function mingoAsEsModules(): { find: RegExp; replacement: string }[] {
  const root = resolve(import.meta.dirname, 'node_modules/mingo');
  const exports = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { default?: string }> }).exports;
  return Object.entries(exports).flatMap(([subpath, targets]) => {
    const esm = typeof targets === 'object' ? targets.default : undefined;
    if (!esm) return [];
    const specifier = `mingo${subpath.slice(1)}`.replace(/[/.]/g, (c) => `\\${c}`);
    return [{ find: new RegExp(`^${specifier}$`), replacement: resolve(root, esm) }];
  });
}

export default defineConfig({
  main: {
    resolve: { alias: mingoAsEsModules() },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron main; the host in its utility process; the web mode (`npm run web` runs this build).
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          host: resolve(import.meta.dirname, 'electron/host/process/entry.ts'),
          web: resolve(import.meta.dirname, 'electron/host/web/entry.ts'),
        },
      },
      // The host's dependencies are bundled with it: one file per start instead of RxDB's hundreds of modules.
      // node-notifier stays outside: it runs the notifier binaries it ships beside its own files.
      externalizeDeps: { include: ['node-notifier'], exclude: ['rxdb', 'rxjs', 'zod', 'ws', 'nodemailer', 'dayjs', 'libphonenumber-js'] },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        // A sandboxed preload cannot load ES modules or node_modules: one self-contained CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves the renderer unminified; minified, the code the window parses at every start is a third.
      minify: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'renderer/index.html') },
        // What the start loads in two chunks, its libraries and the app's code, beside the tiny runtime: left to
        // itself rolldown cut it by which lazy screens share each module, into five chunks, and with held-sockets.js
        // and the stylesheet the page asked for seven files at once; Chromium opens six connections per host over
        // HTTP/1.1, so the seventh waited for one to free up (test/e2e/start-requests.e2e.test.ts). The lazy screens
        // keep their own chunks and import what they share with the start from these.
        output: {
          codeSplitting: {
            groups: [
              { name: 'start-libs', tags: ['$initial'], test: /node_modules/, priority: 1 },
              { name: 'start', tags: ['$initial'] },
            ],
          },
        },
      },
    },
  },
});
