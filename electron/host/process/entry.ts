/**
 * The host's utility-process entry (built to out/main/host.js; Electron main forks it with utilityProcess.fork).
 * Node's compile cache first, so the bundled host loads from cached code on every start after the first; then the
 * host itself, on `process.parentPort`.
 */
import module from 'node:module';
import type { ParentPortLike } from './host-process.ts';

module.enableCompileCache?.();
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  console.error('The FrontDesk host entry runs as an Electron utility process (it has no parent port here).');
  process.exit(2);
}
const { runHostProcess } = await import('./host-process.ts');
runHostProcess(parentPort);
