/**
 * Saved passwords never stop the host from starting: a password reference written by an older build as `__proto__`,
 * a lost key, a truncated secrets file — the host runs, and that location's email says the password must be entered
 * again (in the settings screen as the password's state and the provider's problem, in the channel's readiness, in
 * the log). Real host, real node:sqlite files, web mode's key in a temporary config folder.
 */
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { getRxStorageNodeSqlite } from '../../../electron/host/storage/index.ts';
import { locationSchemaV1, migrateLocationV1toV2 } from '../../../shared/domain/location.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import type { ProviderView } from '../../../shared/ipc/providers-contract.ts';
import { LOCATION_ID, salonLocation } from './engine/integration/support/salon.ts';

// The older build's collection has a version above 0: RxDB wants the migration plugin even to create it.
addRxPlugin(RxDBMigrationSchemaPlugin);

const dirs: string[] = [];
async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-secrets-start-${name}-`));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const SMTP = { host: '127.0.0.1', port: 2525, secure: false, username: 'desk', fromAddress: 'desk@lumiere.example' };
const MAIL_SERVER = { locationId: LOCATION_ID, channel: 'email', kind: 'smtp', enabled: true, settings: { host: '127.0.0.1', port: 2525, username: 'desk', fromAddress: 'desk@lumiere.example' } } as const;

async function started(dataDir: string, keyDir: string, logs: string[] = []): Promise<FrontDeskHost> {
  const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', log: (line) => logs.push(line) });
  await host.start();
  expect(host.state).toBe('running');
  return host;
}

async function mailServer(host: FrontDeskHost): Promise<ProviderView | undefined> {
  const result = await host.api.call('providers.list', { locationId: LOCATION_ID });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as ResponseOf<'providers.list'>).providers.find((p) => p.channel === 'email');
}

/** A folder whose location has a saved SMTP password; the host stopped. */
async function folderWithPassword(): Promise<{ dataDir: string; keyDir: string }> {
  const dataDir = await tempDir('data');
  const keyDir = await tempDir('config');
  const host = await started(dataDir, keyDir);
  await host.runtime.db.locations.insert(salonLocation(Date.now()));
  expect(await host.api.call('providers.save', { ...MAIL_SERVER, secrets: { password: 'hunter2' } })).toMatchObject({ ok: true });
  expect(await mailServer(host)).toMatchObject({ ready: true, secrets: { password: 'set' } });
  await host.stop();
  return { dataDir, keyDir };
}

async function expectPasswordNeeded(host: FrontDeskHost, logs: string[]): Promise<void> {
  expect(await mailServer(host)).toMatchObject({ settings: { host: '127.0.0.1', username: 'desk' }, ready: false, problem: { reasonCode: 'smtp.password.needed' } });
  expect((await mailServer(host))?.secrets.password).not.toBe('set');
  expect(host.runtime.providers.email.readiness(LOCATION_ID)).toEqual({
    ready: false,
    reason: 'the SMTP password must be entered again in Settings → Email (SMTP)',
    reasonCode: 'smtp.password.needed',
  });
  expect(logs.join('\n')).toContain(`Provider ${LOCATION_ID}:email:smtp cannot run: the SMTP password must be entered again`);
  expect(await host.api.call('app.ping', { echo: 'alive' })).toMatchObject({ ok: true });
  // Entering it again puts things right.
  expect(await host.api.call('providers.save', { ...MAIL_SERVER, secrets: { password: 'hunter2-again' } })).toMatchObject({ ok: true });
  expect(await mailServer(host)).toMatchObject({ ready: true, secrets: { password: 'set' } });
  expect(host.runtime.providers.email.readiness(LOCATION_ID)).toEqual({ ready: true });
}

describe('saved passwords at start', () => {
  it('starts on a folder whose location names `__proto__` as its password (written by an older build)', async () => {
    const dataDir = await tempDir('data');
    const old = await createRxDatabase({ name: 'frontdesk', storage: getRxStorageNodeSqlite({ directory: dataDir }), multiInstance: false });
    await old.addCollections({ locations: { schema: locationSchemaV1 as never } });
    await old.collections.locations!.insert({ ...salonLocation(Date.now()), smtp: { ...SMTP, passwordRef: '__proto__' } });
    await old.close();

    const logs: string[] = [];
    const host = await started(dataDir, await tempDir('config'), logs);
    try {
      // The reference is dropped by the schema migration, then the settings move to the providers without a password.
      const migrated = (await host.runtime.db.locations.findOne(LOCATION_ID).exec())!.toMutableJSON();
      expect(migrated.smtp).toBeUndefined();
      expect(await mailServer(host)).toMatchObject({ settings: { host: '127.0.0.1', port: 2525, username: 'desk' }, secrets: { password: 'missing' }, problem: { reasonCode: 'smtp.password.needed' } });
      expect(host.runtime.providers.email.readiness(LOCATION_ID)).toMatchObject({ ready: false, reasonCode: 'smtp.password.needed' });
    } finally {
      await host.stop();
    }
  });

  it('migrates a valid password reference unchanged', () => {
    const location = { ...salonLocation(0), smtp: { ...SMTP, passwordRef: 'smtp:loc-int' } };
    expect(migrateLocationV1toV2(location)).toBe(location);
    expect(migrateLocationV1toV2({ ...location, smtp: { ...SMTP, passwordRef: 'constructor' } }).smtp).toEqual(SMTP);
  });

  it('starts when the key is gone (another computer, a lost config folder): the password is needed again', async () => {
    const { dataDir, keyDir } = await folderWithPassword();
    await rm(path.join(keyDir, 'secret-store.key'));
    const logs: string[] = [];
    const host = await started(dataDir, keyDir, logs);
    try {
      await expectPasswordNeeded(host, logs);
    } finally {
      await host.stop();
    }
  });

  it('starts when the secrets file is truncated: the password is needed again, the damaged file is kept', async () => {
    const { dataDir, keyDir } = await folderWithPassword();
    const file = path.join(dataDir, 'secrets', 'secrets.json');
    await truncate(file, Math.floor((await readFile(file)).length / 2));
    const logs: string[] = [];
    const host = await started(dataDir, keyDir, logs);
    try {
      await expectPasswordNeeded(host, logs);
    } finally {
      await host.stop();
    }
  });
});
