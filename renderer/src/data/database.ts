/**
 * The renderer's RxDatabase: the same ten collections as the host, on the host's storage (remote-storage protocol).
 * No dev-mode (it loads remote content), no validator here: ajv compiles schemas with `new Function`, which the CSP
 * forbids, so the host validates every write at its end of the channel and a refused write comes back naming the
 * field (see `writeErrorMessage`). Opened once per page; every screen shares it.
 */
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { collections } from '../../../shared/domain/collections.ts';
import type { FrontDeskCollections, FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { validationMessage } from '../../../shared/domain/validation-errors.ts';
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

/** A write error as the desk should read it: the field named for validation failures, else the message. */
export function writeErrorMessage(error: unknown, collection?: string): string {
  const fromValidation = validationMessage(error, collection);
  if (fromValidation) return fromValidation;
  const message = error instanceof Error ? error.message : String(error);
  // Errors crossing the remote storage arrive as JSON inside "could not requestRemote: {…}"; show the inner message.
  const inner = /"message":\s*"((?:[^"\\]|\\.)*)"/.exec(message);
  return inner?.[1] ? JSON.parse(`"${inner[1]}"`) as string : message;
}
