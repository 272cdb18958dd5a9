/**
 * The renderer's RxDatabase: the same ten collections as the host, on the host's storage (remote-storage protocol),
 * for live queries only — the renderer never writes a document: every change is a command of the API, which the host
 * checks and writes. No dev-mode (it loads remote content), no validator (ajv compiles schemas with `new Function`,
 * which the CSP forbids; nothing is written here to validate). Opened once per page; every screen shares it.
 */
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { collections } from '../../../shared/domain/collections.ts';
import type { FrontDeskCollections, FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { ipcStorage, webSocketStorage, webSocketUrl } from './remote-storage.ts';

let opening: Promise<FrontDeskDatabase> | undefined;
let pluginAdded = false;

export function getDatabase(): Promise<FrontDeskDatabase> {
  opening ??= openDatabase().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

async function openDatabase(): Promise<FrontDeskDatabase> {
  if (!pluginAdded) {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    pluginAdded = true;
  }
  const storage = window.frontdesk?.rxdbStorage ? ipcStorage(window.frontdesk.rxdbStorage) : webSocketStorage(webSocketUrl());
  const db = await createRxDatabase<FrontDeskCollections>({
    name: 'frontdesk',
    storage,
    multiInstance: false,
    eventReduce: true,
  });
  try {
    await db.addCollections(collections);
  } catch (error) {
    await db.close();
    throw error;
  }
  window.addEventListener('pagehide', () => void db.close());
  return db;
}
