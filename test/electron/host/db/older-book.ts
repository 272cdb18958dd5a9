/** A data folder as an older build wrote it: one collection in an earlier schema, on node:sqlite as the host stores it. */
import { expect } from 'vitest';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { DATABASE_NAME } from '../../../../electron/host/data-folder.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';

/** Writes `docs` into `collection` of schema `schema` in the database `name` (the host's by default) under `directory`. */
export async function writeOlderBook(directory: string, collection: string, schema: object, docs: readonly object[], name = DATABASE_NAME): Promise<void> {
  // Opening the book afterwards migrates it: the plugin must be there (openFrontDeskDatabase adds it too).
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage: getRxStorageNodeSqlite({ directory }) }), multiInstance: false });
  try {
    await old.addCollections({ [collection]: { schema: schema as never } });
    expect((await old.collections[collection]!.bulkInsert([...docs])).error).toEqual([]);
  } finally {
    await old.close();
  }
}
