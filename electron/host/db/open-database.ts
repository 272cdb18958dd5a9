/**
 * Opens a FrontDesk database on any RxStorage (the node:sqlite one in the app, memory in tests) with every
 * collection added, migrations run, and schema validation on every write. Node only; never imports 'electron'.
 */
import { addRxPlugin, createRxDatabase, getAllCollectionDocuments, INTERNAL_STORAGE_NAME } from 'rxdb';
import type { RxStorage } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
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
}

/** Documents per migration write: one transaction each, so larger batches mean far fewer fsyncs. */
const MIGRATION_BATCH = 1000;

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
 * Schema validation on every write to the salon's collections, not to RxDB's internal store: RxDB alone writes that
 * (the storage token, one document per collection), and validating it built ajv and compiled a schema at every open,
 * before anything could be read (about 35 ms of a 65 ms open on the bench data). The collections' validators are built at
 * their first write, as before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- storages are generic over their internals
function validatedCollections(storage: RxStorage<any, any>): RxStorage<any, any> {
  const validated = wrappedValidateAjvStorage({ storage });
  return {
    ...validated,
    createStorageInstance: (params) => (params.collectionName === INTERNAL_STORAGE_NAME ? storage : validated).createStorageInstance(params),
  };
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
      if (await collection.migrationNeeded()) await collection.getMigrationState().migratePromise(MIGRATION_BATCH);
    }
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
