/**
 * The web mode's entry: `node electron/host/web/entry.ts [options]` from the sources, or its build out/main/web.js,
 * which `npm run web` runs (one bundled file loads far faster than the sources type-stripped at every start).
 * Node's compile cache first, so every start after the first loads cached code; then the host.
 */
import module from 'node:module';
import { startMark } from '../start-trace.ts';

startMark('node_ready');
module.enableCompileCache?.();
const { runWebMode } = await import('./cli.ts');
startMark('cli_loaded');
runWebMode(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`frontdesk web: ${(error as Error).message ?? String(error)}`);
  process.exit(1);
});
