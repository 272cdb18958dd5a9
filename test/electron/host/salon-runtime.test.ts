import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { getRxStorageNodeSqlite } from '../../../electron/host/storage/index.ts';
import { collections } from '../../../shared/domain/collections.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('opening the salon data folder', () => {
  it('explains a folder written by an incompatible build, and changes nothing', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-runtime-'));
    dirs.push(dataDir);
    // The same collection name and version with another layout, as an older development build would have left it.
    const older = { ...collections.delivery_log.schema, indexes: ['atMs'] };
    // delivery_log is past version 0: RxDB checks its migration state on open, which needs the migration plugin.
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const db = await createRxDatabase({ name: 'frontdesk', storage: getRxStorageNodeSqlite({ directory: dataDir }) });
    await db.addCollections({ delivery_log: { schema: older, migrationStrategies: collections.delivery_log.migrationStrategies } });
    await db.close();

    const host = new FrontDeskHost({ dataDir, mode: 'web', version: 'test' });
    await expect(host.start()).rejects.toThrow(/written by an incompatible FrontDesk build \(delivery_log has a different layout\)\. Nothing was changed/);
    expect(host.state).toBe('failed');
  });
});
