import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
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
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
