/**
 * A consistent copy of the live database file, made on a thread of its own. `VACUUM INTO` on a second, read-only
 * connection copies one snapshot of the file (WAL mode: the host goes on writing meanwhile, and the copy holds either
 * all of a commit or none of it), compacted, in a file that needs nothing else beside it. node:sqlite is synchronous,
 * so on the host's thread the copy of a year's book (hundreds of MB) would hold every answer to the window for
 * seconds. The copy is checked (`quick_check`) before it counts as a backup.
 */
import { Worker } from 'node:worker_threads';

/** Plain CommonJS, evaluated as the worker's script: no file of its own to find in a bundled or packaged host. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const { statSync } = require('node:fs');
let source;
let copy;
try {
  source = new DatabaseSync(workerData.source, { readOnly: true });
  source.exec("VACUUM INTO '" + workerData.target.replaceAll("'", "''") + "'");
  source.close();
  source = undefined;
  copy = new DatabaseSync(workerData.target, { readOnly: true });
  const check = copy.prepare('PRAGMA quick_check').all().map((row) => Object.values(row)[0]);
  const tables = copy.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get().n;
  copy.close();
  copy = undefined;
  if (check.length !== 1 || check[0] !== 'ok') parentPort.postMessage({ ok: false, code: 'check', message: String(check.slice(0, 3).join('; ')) });
  else parentPort.postMessage({ ok: true, bytes: statSync(workerData.target).size, tables });
} catch (error) {
  try { source?.close(); } catch {}
  try { copy?.close(); } catch {}
  parentPort.postMessage({ ok: false, code: String(error && (error.errcode ?? error.code) || ''), message: String(error && error.message || error) });
}
`;

export type CopyResult = { ok: true; bytes: number; tables: number } | { ok: false; code: string; message: string };

/** Copies the database file `source` into `target` (which must not exist) and checks the copy. Never throws. */
export function copyDatabase(source: string, target: string): Promise<CopyResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: CopyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { source, target } });
    } catch (error) {
      settle({ ok: false, code: 'worker', message: (error as Error).message });
      return;
    }
    worker.once('message', (result: CopyResult) => settle(result));
    worker.once('error', (error) => settle({ ok: false, code: 'worker', message: error.message }));
    worker.once('exit', (code) => settle({ ok: false, code: 'worker', message: `the copying thread ended (${code}) without an answer` }));
  });
}
