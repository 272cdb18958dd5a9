/**
 * FrontDesk's persistent RxStorage on `node:sqlite` (Node ≥ 22.13 and Electron's Node; no native module).
 *
 * Layout: one SQLite file per RxDatabase (`<directory>/<databaseName>.sqlite`, WAL), one table per collection and
 * schema version, one indexed key column per schema index holding RxDB's indexable string, so RxDB's query plans run
 * as index range scans.
 *
 * Durability — `synchronous`:
 * - 'FULL' (default): every commit fsyncs the WAL before bulkWrite resolves. A resolved write survives a process
 *   kill AND an OS crash or power loss. Cost: one fsync per bulkWrite (not per document).
 * - 'NORMAL': in WAL mode the WAL is fsynced only at checkpoints. A resolved write is in the OS page cache, so it
 *   survives SIGKILL or a crash of the app, but the last commits can be lost (never half applied: the database stays
 *   consistent) on power loss or an OS crash. Faster for many small writes.
 * A front-desk app runs on laptops that lose power and whose users close lids; a booking the desk saw as saved must
 * stay saved, hence FULL.
 * Exceptions, by the writer's choice: a bulkWrite with the context REDERIVABLE_WRITE_CONTEXT (data that can be
 * derived again, such as the engine's planned jobs), and RxDB replication's pulls and bookkeeping (isRederivableWrite),
 * commit without their own fsync and become durable with the next fsynced commit; see REDERIVABLE_WRITE_CONTEXT for
 * why that never leaves a half-applied or out-of-order state.
 *
 * Key format: each table records how its key columns encode RxDB's index order (index-keys.ts). Tables created by
 * this build use compact keys (format 2); tables written before keep RxDB's padded keys (format 1) and go on working.
 */
import path from 'node:path';
import { ensureRxStorageInstanceParamsAreCorrect, RXDB_VERSION } from 'rxdb';
import type {
  RxDocumentData,
  RxJsonSchema,
  RxStorage,
  RxStorageInstanceCreationParams,
} from 'rxdb';
import { DEFERRED_CHECKPOINT_WRITE_CONTEXT, REDERIVABLE_WRITE_CONTEXT, RxStorageInstanceNodeSqlite, isRederivableWrite } from './rx-storage-instance-sqlite.ts';
import type { NodeSqliteInstanceOptions, NodeSqliteInternals } from './rx-storage-instance-sqlite.ts';
import { acquireCollection, databaseFileName, WAL_SIZE_LIMIT_BYTES } from './shared-file.ts';
import type { SynchronousMode } from './shared-file.ts';

export type NodeSqliteStorageOptions = {
  /** Folder holding one `.sqlite` file per database; created when missing. Defaults to the working directory. */
  directory?: string;
  synchronous?: SynchronousMode;
  /**
   * SQLite page cache per file, in KiB (default 32768). It bounds the storage's memory whatever the number of
   * documents; a bigger cache mostly speeds up bulk loads into large collections (random index inserts).
   */
  cacheSizeKiB?: number;
  /**
   * Check an existing file with SQLite's `quick_check` when it is first opened, and refuse a damaged one with a
   * DatabaseFileError before anything is written (the host does; benchmarks and tests of the storage need not).
   */
  verifyOnOpen?: boolean;
  /**
   * Run the checkpoints deferred by bulk writes on a worker thread of the file's own (wal-checkpointer.ts; default
   * true), not on the caller's: they were seconds of a whole-book plan's tasks. It costs a thread and ~18 MiB per
   * open file; a test that opens hundreds of short-lived files may do without.
   */
  checkpointThread?: boolean;
  /** How much of its WAL file a database keeps after a burst of writes (default WAL_SIZE_LIMIT_BYTES, shared-file.ts). */
  walSizeLimitBytes?: number;
};

export type RxStorageNodeSqlite = RxStorage<NodeSqliteInternals, NodeSqliteInstanceOptions> & {
  /** The file a database of this name lives in (for backups, diagnostics and tests). */
  databaseFilePath(databaseName: string): string;
};

export function getRxStorageNodeSqlite(options: NodeSqliteStorageOptions = {}): RxStorageNodeSqlite {
  const directory = path.resolve(options.directory ?? process.cwd());
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new Error(`node:sqlite storage: synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
  }
  const cacheSizeKiB = options.cacheSizeKiB ?? 32768;
  const verifyOnOpen = options.verifyOnOpen ?? false;
  const checkpointThread = options.checkpointThread ?? true;
  const walSizeLimitBytes = options.walSizeLimitBytes ?? WAL_SIZE_LIMIT_BYTES;
  const storage: RxStorageNodeSqlite = {
    name: 'node-sqlite',
    rxdbVersion: RXDB_VERSION,
    databaseFilePath(databaseName) {
      return path.join(directory, databaseFileName(databaseName));
    },
    // RxDB's generic PrimaryKey<T> does not unify between its interface and any generic implementation; the
    // instance is written against RxDocumentData<unknown> and cast once here.
    createStorageInstance: ((params: RxStorageInstanceCreationParams<unknown, NodeSqliteInstanceOptions>) => {
      ensureRxStorageInstanceParamsAreCorrect(params);
      if (params.schema.attachments) {
        return Promise.reject(
          new Error(
            `node:sqlite storage does not support attachments, but the schema of collection "${params.collectionName}" declares "attachments"; remove it or use another storage for that collection`,
          ),
        );
      }
      try {
        const shared = acquireCollection(
          directory,
          params.databaseName,
          params.collectionName,
          params.schema as RxJsonSchema<RxDocumentData<unknown>>,
          synchronous,
          cacheSizeKiB,
          verifyOnOpen,
          checkpointThread,
          walSizeLimitBytes,
        );
        return Promise.resolve(
          new RxStorageInstanceNodeSqlite<unknown>(
            storage,
            params.databaseName,
            params.collectionName,
            params.schema,
            shared,
            params.options,
          ),
        );
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }) as never,
  };
  return storage;
}

export type { NodeSqliteInstanceOptions, NodeSqliteInternals, SynchronousMode };
export { DEFERRED_CHECKPOINT_WRITE_CONTEXT, REDERIVABLE_WRITE_CONTEXT, RxStorageInstanceNodeSqlite, isRederivableWrite };
export { DatabaseFileError } from './database-file-error.ts';
export { holdWriteGroup, writeTogether } from './write-group.ts';
export { primaryKeysInRange } from './key-order.ts';
export type { HeldWriteGroup, WriteTogetherOptions } from './write-group.ts';
