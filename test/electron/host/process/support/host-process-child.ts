/**
 * The host process entry as a plain Node child process: `process.parentPort` of Electron's utility process stands in
 * as this process's IPC channel (forked with `serialization: 'advanced'`, so messages are structured clones as over
 * Electron's port). One message is the test's own and never reaches the host: `{type: 'test.crash'}` throws an error
 * nothing catches, as a bug in the host would.
 */
import type { ParentPortLike } from '../../../../../electron/host/process/host-process.ts';
import { runHostProcess } from '../../../../../electron/host/process/host-process.ts';

const listeners = new Set<(event: { data: unknown }) => void>();
const standIn: ParentPortLike = {
  on(_event, listener) {
    listeners.add(listener);
    return standIn;
  },
  postMessage(message) {
    if (process.connected) process.send!(message);
  },
};

process.on('message', (data: { type?: string; reason?: string }) => {
  if (data?.type === 'test.crash') {
    setTimeout(() => {
      throw new Error(`crash requested by the test: ${data.reason ?? ''}`);
    });
    return;
  }
  for (const listener of listeners) listener({ data });
});

runHostProcess(standIn, { log: (line) => process.stderr.write(`[host ${process.pid}] ${line}\n`) });
