/**
 * WAL checkpoints on a thread of their own. SQLite copies the write-ahead log back into the database file when a
 * commit finds the log over `wal_autocheckpoint` pages, inside that commit: on the connection's thread, which for
 * node:sqlite is the event loop's. A bulk write of thousands of rows (the engine's first plan: 200k jobs) made every
 * commit a checkpoint too — about a quarter of its CPU, and its longest stretches without an event-loop turn.
 *
 * Here a second connection, in a worker thread, runs a PASSIVE checkpoint when asked (shared-file.ts asks after every
 * so many rows committed). A passive checkpoint never blocks the writer or readers, and
 * copies only frames every reader is done with, so the database stays exactly as consistent and durable as before
 * (the WAL keeps every commit until it is copied). The main connection keeps its own automatic checkpoint at a higher
 * threshold, in case the worker falls behind or cannot start.
 *
 * Closing is synchronous (SQLite checkpoints and removes the WAL when the last connection closes, and the clean-close
 * seal needs that): the main thread asks the worker to close its connection and waits on a shared flag until it has.
 */
import { Worker } from 'node:worker_threads';

/** How long a close waits for the worker to let go of the file (a checkpoint under way finishes first). */
const CLOSE_WAIT_MS = 10_000;

// signal[0]: 0 idle, 1 checkpoint asked for, 2 close asked for; signal[1]: 1 once the worker's connection is closed.
const REQUEST_CHECKPOINT = 1;
const REQUEST_CLOSE = 2;

// CommonJS, evaluated as the worker's script: nothing to bundle or resolve next to the host's code.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const signal = new Int32Array(workerData.signal);
let db;
try {
  db = new DatabaseSync(workerData.filePath);
  for (;;) {
    Atomics.wait(signal, 0, 0);
    if (Atomics.exchange(signal, 0, 0) === ${REQUEST_CLOSE}) break;
    try {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing: the next request tries again, and the main connection's own checkpoint is the safety net.
    }
  }
} finally {
  try {
    db?.close();
  } finally {
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 1);
  }
}
`;

export class BackgroundCheckpoint {
  readonly #signal: Int32Array;
  readonly #worker: Worker;
  #closed = false;

  private constructor(filePath: string) {
    this.#signal = new Int32Array(new SharedArrayBuffer(8));
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filePath, signal: this.#signal.buffer } });
    // The worker never keeps the process alive; its errors are the checkpoints it skipped (the safety net covers them).
    this.#worker.unref();
    this.#worker.on('error', () => {});
  }

  /** A checkpointer for the file, or undefined where no worker thread can start (the main connection checkpoints). */
  static start(filePath: string): BackgroundCheckpoint | undefined {
    try {
      return new BackgroundCheckpoint(filePath);
    } catch {
      return undefined;
    }
  }

  /** Asks for a checkpoint; one asked for while another runs is run right after it. */
  request(): void {
    if (this.#closed) return;
    Atomics.store(this.#signal, 0, REQUEST_CHECKPOINT);
    Atomics.notify(this.#signal, 0);
  }

  /** Closes the worker's connection and waits until it is closed, so that the main connection's close is the last. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    Atomics.store(this.#signal, 0, REQUEST_CLOSE);
    Atomics.notify(this.#signal, 0);
    Atomics.wait(this.#signal, 1, 0, CLOSE_WAIT_MS);
  }
}
