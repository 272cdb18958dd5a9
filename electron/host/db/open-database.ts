/**
 * Opens a FrontDesk database on any RxStorage (the node:sqlite one in the app, memory in tests) with every
 * collection added, migrations run, and schema validation on every write. Node only; never imports 'electron'.
 */
import { addRxPlugin, createRxDatabase, getAllCollectionDocuments, getPrimaryFieldOfPrimaryKey, INTERNAL_STORAGE_NAME } from 'rxdb';
import type { BulkWriteRow, RxCollection, RxJsonSchema, RxStorage, RxStorageWriteErrorValidation } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { DEFERRED_CHECKPOINT_WRITE_CONTEXT, REDERIVABLE_WRITE_CONTEXT } from '../storage/index.ts';
import { withBulkWrite, type AnyInstance } from './storage-instance-wrapper.ts';
import { validatorOf } from './schema-validators.ts';
import { collections, type CollectionName } from '../../../shared/domain/collections.ts';
import { conflictHandlers } from '../../../shared/sync/conflict-handlers.ts';
import type { FrontDeskCollections, FrontDeskDatabase } from '../../../shared/domain/database-types.ts';

export interface OpenDatabaseOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
  storage: RxStorage<any, any>;
  name: string;
  /**
   * RxDB dev-mode: extra schema and query checks, for tests and development. RxDB plugins are process-global, so once
   * one database opens with it every later one in the process has it too. Never in the renderer.
   */
  devMode?: boolean;
  /** Several instances on the same storage in this process see each other's writes (default true). */
  multiInstance?: boolean;
  /** Progress of a migration of older documents (the first start after an update), at most every MIGRATION_REPORT_MS. */
  onMigration?: (progress: MigrationProgress) => void;
}

/** Documents per migration write: one transaction each, so larger batches mean far fewer fsyncs. */
const MIGRATION_BATCH = 1000;
/** A migration's progress is reported at most this often (RxDB counts it document by document). */
const MIGRATION_REPORT_MS = 250;

/** How far the migration of one collection's older documents is (OpenDatabaseOptions.onMigration). */
export interface MigrationProgress {
  collection: string;
  handled: number;
  total: number;
}

let devModeAdded = false;
let pluginsAdded = false;

async function ensurePlugins(devMode: boolean): Promise<void> {
  if (!pluginsAdded) {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    pluginsAdded = true;
  }
  if (devMode && !devModeAdded) {
    // Imported lazily so production code paths never load dev-mode.
    const { RxDBDevModePlugin, disableWarnings } = await import('rxdb/plugins/dev-mode');
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
    devModeAdded = true;
  }
}

/**
 * The context of the engine's delivery-log entries for its own planning decisions (a job skipped or cancelled, with the
 * reason the engine wrote): like planned jobs, derived from documents validated when they were written, but not
 * re-derivable — the log is append-only and each entry is committed with its own fsync. Their commits' checkpoints
 * are deferred (the storage's DEFERRED_CHECKPOINT_WRITE_CONTEXT): they come in runs with the planned jobs'.
 */
export const PLANNING_LOG_WRITE_CONTEXT = DEFERRED_CHECKPOINT_WRITE_CONTEXT;

/** Writes the host derives from validated documents with its own code: not validated again (see validatedCollections). */
const DERIVED_WRITE_CONTEXTS: ReadonlySet<string> = new Set([REDERIVABLE_WRITE_CONTEXT, PLANNING_LOG_WRITE_CONTEXT]);

/**
 * Schema validation on every write to the salon's collections (RxDB's ajv validation, with its 422 errors), with two
 * exceptions:
 * - RxDB's internal store: RxDB alone writes that (the storage token, one document per collection), and validating it
 *   built ajv and compiled a schema at every open, before anything could be read (about 35 ms of a 65 ms open on the
 *   bench data). The collections' validators are built at their first write, as before.
 * - The engine's planning writes (DERIVED_WRITE_CONTEXTS): planned jobs and the log entries of planning's decisions,
 *   computed by the host's own code from documents that were validated when they were written. Re-planning a book
 *   after a settings change (bench:engine settings_replan_reminder_offsets) otherwise validated 20,000 jobs and log
 *   entries — and, when nothing had been written since the start, built ajv and compiled both validators on the way
 *   (about 190 ms of a 1.9 s profile, load 2.7). That the planner writes only schema-valid documents is held by the
 *   engine's tests instead. Everything from outside — the API's commands, replication, providers' answers in the
 *   dispatcher's log entries — is written in other contexts and validated.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
function validatedCollections(storage: RxStorage<any, any>): RxStorage<any, any> {
  return {
    ...storage,
    name: `validate-ajv-${storage.name}`,
    async createStorageInstance(params) {
      const instance = (await storage.createStorageInstance(params)) as unknown as AnyInstance;
      if (params.collectionName === INTERNAL_STORAGE_NAME) return instance as never;
      const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey);
      let validate: ((document: unknown) => unknown[]) | undefined;
      return withBulkWrite(instance, async (rows, context) => {
        if (DERIVED_WRITE_CONTEXTS.has(context)) return instance.bulkWrite(rows, context);
        validate ??= validatorOf(params.schema as RxJsonSchema<unknown>);
        const refused: RxStorageWriteErrorValidation<unknown>[] = [];
        const valid: BulkWriteRow<unknown>[] = [];
        for (const row of rows) {
          const validationErrors = validate(row.document);
          if (validationErrors.length === 0) valid.push(row);
          else refused.push({ status: 422, isError: true, documentId: String((row.document as Record<string, unknown>)[primaryPath]), validationErrors: validationErrors as never, schema: instance.schema, writeRow: row, context });
        }
        const result = valid.length > 0 ? await instance.bulkWrite(valid, context) : { error: [] };
        return { error: [...result.error, ...refused] };
      }) as never;
    },
  };
}

/**
 * Compiles the validator of a collection's writes now, instead of at its first validated write (the same one: compiled
 * validators are shared by schema). For a write that waits on it: a settings save, whose re-plan of the book waited
 * for a compile of the settings' schema first (about 40-110 ms, load 3-10).
 */
export function compileWriteValidator(collection: RxCollection): void {
  validatorOf(collection.storageInstance.schema as RxJsonSchema<unknown>);
}

/**
 * The database was written by a newer FrontDesk: a collection's documents are in a format this build does not know. RxDB
 * would open such a collection as a new, empty one (the salon's clients or visits would seem gone, and new writes would
 * land beside the real ones), so the open stops before any collection is added.
 */
export class NewerDatabaseError extends Error {
  readonly code = 'DATABASE_NEWER';
  readonly collection: string;
  readonly storedVersion: number;
  readonly knownVersion: number;
  constructor(collection: string, storedVersion: number, knownVersion: number) {
    super(
      `This data folder was last used by a newer FrontDesk: its ${collection} are stored in format ${storedVersion}, and this FrontDesk reads up to format ${knownVersion}. ` +
        'FrontDesk did not change anything. Install the newer FrontDesk to open this folder, or open another folder with --data-dir.',
    );
    this.name = 'NewerDatabaseError';
    this.collection = collection;
    this.storedVersion = storedVersion;
    this.knownVersion = knownVersion;
  }
}

/** Throws a NewerDatabaseError when a collection is stored in a newer schema version than this build has. */
async function refuseNewerFormats(db: FrontDeskDatabase): Promise<void> {
  for (const stored of await getAllCollectionDocuments(db.internalStore)) {
    const known = collections[stored.data.name as CollectionName]?.schema.version;
    if (known !== undefined && stored.data.version > known) throw new NewerDatabaseError(stored.data.name, stored.data.version, known);
  }
}

export async function openFrontDeskDatabase(options: OpenDatabaseOptions): Promise<FrontDeskDatabase> {
  await ensurePlugins(options.devMode === true);
  const db = await createRxDatabase<FrontDeskCollections>({
    name: options.name,
    storage: validatedCollections(options.storage),
    multiInstance: options.multiInstance ?? true,
    eventReduce: true,
  });
  try {
    await refuseNewerFormats(db);
    // Older documents are migrated here, before anyone can read them in the old shape. RxDB's automatic migration
    // moves 10 documents per write; a log of 100k entries then takes minutes, so it runs in large batches instead.
    // Conflict handlers decide how two desks' versions of a document merge when sync meets them (shared/sync).
    const definitions = Object.fromEntries(
      Object.entries(collections).map(([name, definition]) => [name, { ...definition, autoMigrate: false, conflictHandler: conflictHandlers[name as CollectionName] }]),
    );
    const added = await db.addCollections(definitions as unknown as typeof collections);
    for (const collection of Object.values(added)) {
      if (!(await collection.migrationNeeded())) continue;
      const state = collection.getMigrationState();
      let reportedAt = Number.NEGATIVE_INFINITY;
      const report = options.onMigration;
      const watching = report
        ? state.$.subscribe(({ count }) => {
            const now = performance.now();
            if (now - reportedAt < MIGRATION_REPORT_MS && count.handled < count.total) return;
            reportedAt = now;
            report({ collection: collection.name, handled: count.handled, total: count.total });
          })
        : undefined;
      try {
        await state.migratePromise(MIGRATION_BATCH);
      } finally {
        watching?.unsubscribe();
      }
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
