/**
 * Writes to several collections of one database file as one SQLite transaction: all of them or none, also across a
 * crash. The engine's whole-book re-plan cancels jobs and writes the delivery-log entries that say why; as two
 * transactions, a crash between them kept the cancellations and lost their entries, and the next start found nothing
 * left to cancel (the audit trail had a hole). All collections of a database share one connection (shared-file.ts),
 * so their bulkWrites can join one transaction: the group's writes run inside it, each under a savepoint of its own
 * (a failed bulkWrite undoes only itself, as outside a group), and it commits once when the group's function resolves.
 *
 * Which writes belong to the group is carried by the async context (AsyncLocalStorage) through RxDB's and the host's
 * storage wrappers. A write from anywhere else to the same file while a group is open waits until the group is done:
 * it must neither join the group's transaction nor start one inside it. Reads do not wait; on the shared connection
 * they see the group's writes before its commit (a group is a few turns of planning writes).
 *
 * Inside a group, write through storage instances or RxDB inserts only. A document-level write (incrementalModify,
 * patch, bulkUpsert of an existing document) joins its collection's write queue, which an outside write waiting for
 * the group may be holding: neither would ever go on.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RxStorageInstance } from 'rxdb';
import { AUTOCHECKPOINT_PAGES, deferCheckpoint } from './shared-file.ts';
import type { SharedFile } from './shared-file.ts';

export interface WriteGroup {
  readonly file: SharedFile;
  /** Whether the commit may skip its fsync: every write in the group can be derived again (see REDERIVABLE_WRITE_CONTEXT). */
  readonly rederivable: boolean;
  /** The transaction was begun (by the group's first write). */
  begun: boolean;
  /** Change events of the group's writes, emitted in order after the commit (none after a rollback). */
  readonly afterCommit: (() => void)[];
  /** Settles when the group has committed or rolled back. */
  readonly done: Promise<void>;
  /** Writes from elsewhere began waiting for the group (see holdWriteGroup). */
  othersWaiting: boolean;
}

/**
 * What the async context carries: the group, and whether the code that began the context still writes for it. A held
 * group (holdWriteGroup) stays open across its owner's runs; work a run started and left behind (a timer, a promise
 * nobody awaits) is no longer the run's when it comes to write, and waits for the group like any other write.
 */
interface GroupMembership {
  readonly group: WriteGroup;
  active: boolean;
}

const currentGroup = new AsyncLocalStorage<GroupMembership>();

/**
 * The open group of `file` that a write from the current async context belongs to, if any. A context can outlive its
 * group (a timer set inside it fires later): then it belongs to none.
 */
export function groupOfCaller(file: SharedFile): WriteGroup | undefined {
  const membership = currentGroup.getStore();
  return membership !== undefined && membership.active && membership.group === file.writeGroup ? membership.group : undefined;
}

/** What a write from outside the group waits for: the group's end; the group is told that someone waits. */
export function waitForGroup(group: WriteGroup): Promise<void> {
  group.othersWaiting = true;
  return group.done;
}

function sharedFileOf(instance: RxStorageInstance<unknown, unknown, unknown>): SharedFile | undefined {
  const internals = instance.internals as { shared?: { file?: SharedFile } } | undefined;
  return internals?.shared?.file;
}

export interface WriteTogetherOptions {
  /**
   * The group's writes can all be derived again after a loss (planned jobs, and the log entries written with them,
   * which a re-plan writes again with them): the commit skips its own fsync and becomes durable with the next fsynced
   * commit. A loss of the tail still takes both or neither.
   */
  rederivable?: boolean;
}

/**
 * Runs `write` with every bulkWrite it makes (through any wrapper) to `instance`'s database file in one transaction,
 * committed when `write` resolves and rolled back, with no change event, when it rejects. On a storage without a
 * shared connection (RxDB's memory storage in tests: nothing there survives a crash anyway) `write` just runs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any collection's instance, whatever its document type
export async function writeTogether<T>(instance: RxStorageInstance<any, any, any>, write: () => Promise<T>, options: WriteTogetherOptions = {}): Promise<T> {
  const file = sharedFileOf(instance);
  if (!file || groupOfCaller(file)) return write();
  const { group, end } = await openGroup(file, options);
  try {
    const result = await currentGroup.run({ group, active: true }, write);
    if (group.begun) commitGroup(group);
    for (const emit of group.afterCommit) emit();
    return result;
  } catch (err) {
    if (group.begun) endGroupTransaction(group, 'ROLLBACK');
    throw err;
  } finally {
    end();
  }
}

/** Waits for the file's open group, if any, and opens one: `end` closes it (after its commit or rollback). */
async function openGroup(file: SharedFile, options: WriteTogetherOptions): Promise<{ group: WriteGroup; end: () => void }> {
  while (file.writeGroup) await waitForGroup(file.writeGroup);
  let settle!: () => void;
  const group: WriteGroup = {
    file,
    rederivable: options.rederivable === true,
    begun: false,
    afterCommit: [],
    done: new Promise<void>((resolve) => (settle = resolve)),
    othersWaiting: false,
  };
  file.writeGroup = group;
  return {
    group,
    end: () => {
      file.writeGroup = undefined;
      settle();
    },
  };
}

/**
 * A write group held open across several writes of its owner, with work of the owner's own between them (a
 * whole-book plan planning its next page): its writes commit together when the owner calls `commit`. Fewer, larger
 * commits write each B-tree page the writes share (the outbox's scattered index pages, above all) to the WAL fewer
 * times. Writes from elsewhere wait for the commit meanwhile, as for any group, and `othersWaiting` tells the owner
 * to commit soon. Between its writes the owner must write nothing outside `run`, nor wait for anything that does:
 * such a write waits for the group, which waits for the owner.
 */
export interface HeldWriteGroup {
  /** Runs `write` with its bulkWrites in the group's transaction; when it rejects, the whole group rolls back and ends. */
  run<T>(write: () => Promise<T>): Promise<T>;
  /** A write from elsewhere is waiting for the group. */
  readonly othersWaiting: boolean;
  /** Commits what the group's writes wrote (if anything), emits their change events, and ends the group. */
  commit(): void;
  /** Undoes the group's writes, with no change event, and ends it; nothing if it has ended already. */
  rollback(): void;
}

/** Opens a HeldWriteGroup on `instance`'s database file, after the group open there, if any, has ended. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any collection's instance, whatever its document type
export async function holdWriteGroup(instance: RxStorageInstance<any, any, any>, options: WriteTogetherOptions = {}): Promise<HeldWriteGroup> {
  const file = sharedFileOf(instance);
  if (!file) return { run: (write) => write(), othersWaiting: false, commit: () => {}, rollback: () => {} };
  const { group, end } = await openGroup(file, options);
  let open = true;
  const finish = (how: 'COMMIT' | 'ROLLBACK') => {
    if (!open) return;
    open = false;
    try {
      if (group.begun && how === 'COMMIT') commitGroup(group);
      else if (group.begun) endGroupTransaction(group, 'ROLLBACK');
    } finally {
      end();
    }
    if (how === 'COMMIT') for (const emit of group.afterCommit) emit();
  };
  return {
    async run(write) {
      if (!open) throw new Error('node:sqlite storage: the held write group has ended');
      const membership: GroupMembership = { group, active: true };
      try {
        return await currentGroup.run(membership, write);
      } catch (err) {
        finish('ROLLBACK');
        throw err;
      } finally {
        membership.active = false;
      }
    },
    get othersWaiting() {
      return group.othersWaiting;
    },
    commit: () => finish('COMMIT'),
    rollback: () => finish('ROLLBACK'),
  };
}

/** Called by the group's first write: the transaction, with the group's durability, begins. */
export function beginGroupTransaction(group: WriteGroup): void {
  const { db, synchronous, checkpointer } = group.file;
  if (group.rederivable && synchronous === 'FULL') db.exec('PRAGMA synchronous = NORMAL');
  if (!checkpointer) db.exec('PRAGMA wal_autocheckpoint = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    restoreSettings(group);
    throw err;
  }
  group.begun = true;
}

function commitGroup(group: WriteGroup): void {
  try {
    group.file.db.exec('COMMIT');
  } catch (err) {
    endGroupTransaction(group, 'ROLLBACK');
    throw err;
  }
  restoreSettings(group);
  // Like a run of bulk writes, the group leaves its checkpoint to a task (or thread) of its own.
  deferCheckpoint(group.file);
}

function endGroupTransaction(group: WriteGroup, how: 'ROLLBACK'): void {
  try {
    group.file.db.exec(how);
  } catch {
    // SQLite may already have rolled back (e.g. on SQLITE_FULL); the original error is the one that matters.
  }
  group.afterCommit.length = 0;
  restoreSettings(group);
}

function restoreSettings(group: WriteGroup): void {
  const { db, synchronous, checkpointer } = group.file;
  try {
    if (group.rederivable && synchronous === 'FULL') db.exec('PRAGMA synchronous = FULL');
    if (!checkpointer) db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  } catch {
    // The file was closed under the group (the host stopping): there is nothing left to restore, and the group's own
    // error is the one to report.
  }
}
