/**
 * Checkpoints of one database file on a thread of their own. node:sqlite is synchronous, so a checkpoint run on the
 * host's connection held the event loop while it copied the WAL into the file and waited for two fsyncs: in a settings
 * re-plan of 10k visits 4–8 of them took 70–250 ms of its wall time, and in a cold plan of 100k visits 40 of them took
 * 4.3 s of 18.2 s (load 6), each the longest task the calendar's reads waited behind. A second connection on a worker
 * thread checkpoints instead (PASSIVE: it never blocks the writer, and copies only what no reader still needs), so the
 * host's thread only writes.
 *
 * The worker starts with the file (a worker costs about 18 MiB of resident memory, which Node does not give back when
 * it ends: started halfway through a plan, it would stay as growth) and opens its connection at the first checkpoint.
 * close() ends that connection synchronously, so the host's connection is the file's last one when it closes (it then
 * checkpoints the rest and removes the WAL, and a clean-close seal describes the file as it stays).
 */
import { Worker } from 'node:worker_threads';

/** Plain CommonJS, evaluated as the worker's script: no file of its own to find in a bundled or packaged host. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const closed = new Int32Array(workerData.closed);
const signalClosed = () => { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); };
let db;
parentPort.on('message', (message) => {
  if (message === 'close') {
    try { db?.close(); } finally { signalClosed(); parentPort.close(); }
    return;
  }
  if (!db) {
    try {
      db = new DatabaseSync(workerData.filePath);
    } catch (error) {
      signalClosed();
      throw error;
    }
  }
  let done = true;
  try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch { done = false; }
  parentPort.postMessage(done);
});
`;

/** The longest close() waits for a checkpoint in progress to finish before it gives up on the worker. */
const CLOSE_WAIT_MS = 10_000;

export class WalCheckpointer {
  readonly #filePath: string;
  #worker: Worker | undefined;
  #closed: Int32Array | undefined;
  /** A checkpoint was asked of the worker and has not answered yet. */
  #running = false;
  /** Another was asked for meanwhile: it covers commits the running one may have missed. */
  #again = false;
  /** A checkpoint was asked of this worker: it may have a connection open. */
  #asked = false;
  /** The worker could not start or failed: checkpoints are the caller's again. */
  #failed = false;

  constructor(filePath: string) {
    this.#filePath = filePath;
    this.#start();
  }

  /** Asks for a checkpoint on the worker; answers false when there is none to ask (the caller checkpoints itself). */
  request(): boolean {
    if (this.#failed) return false;
    if (this.#running) {
      this.#again = true;
      return true;
    }
    this.#start().postMessage('checkpoint');
    this.#running = true;
    this.#asked = true;
    return true;
  }

  /** Ends the worker and its connection before this returns (waiting for a checkpoint in progress). */
  close(): void {
    const worker = this.#worker;
    const closed = this.#closed;
    const asked = this.#asked;
    this.#worker = undefined;
    this.#closed = undefined;
    this.#running = false;
    this.#again = false;
    this.#asked = false;
    if (!worker || !closed) return;
    // A worker never asked for a checkpoint never opened the file: nothing to wait for.
    if (asked) {
      worker.postMessage('close');
      Atomics.wait(closed, 0, 0, CLOSE_WAIT_MS);
    }
    void worker.terminate().catch(() => undefined);
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const closed = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filePath: this.#filePath, closed: closed.buffer } });
    worker.on('message', (done: boolean) => this.#answered(worker, done));
    worker.on('error', () => this.#lost(worker));
    worker.on('exit', () => this.#lost(worker));
    // Never what keeps the process alive: an exit closes the file as a crash would, and SQLite recovers the WAL. After
    // the listeners: a 'message' listener added to an unref'd worker refs its port again (a bench child that left its
    // database open never exited).
    worker.unref();
    this.#worker = worker;
    this.#closed = closed;
    return worker;
  }

  #answered(worker: Worker, done: boolean): void {
    if (worker !== this.#worker) return;
    this.#running = false;
    if (!done) {
      // A failing checkpoint (the disk is full, the file is gone) is retried by the connection's own autocheckpoint.
      this.#again = false;
    }
    if (this.#again) {
      this.#again = false;
      worker.postMessage('checkpoint');
      this.#running = true;
    }
  }

  #lost(worker: Worker): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    this.#closed = undefined;
    this.#running = false;
    this.#again = false;
    this.#asked = false;
    this.#failed = true;
  }
}
