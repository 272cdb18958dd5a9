/**
 * Older builds kept the mail server on the location (`location.smtp`, the password under `smtp:<locationId>`). The host
 * moves it onto the providers' shape — at start for a folder written by an older build, and live for a location that
 * arrives with it later — and the saved password survives: a real host on real node:sqlite files logs in to a loopback
 * SMTP server with it, before and after a close and reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { DATABASE_NAME } from '../../../electron/host/data-folder.ts';
import { openFrontDeskDatabase } from '../../../electron/host/db/open-database.ts';
import { SecretStore } from '../../../electron/host/secret-store.ts';
import { getRxStorageNodeSqlite } from '../../../electron/host/storage/index.ts';
import type { LegacySmtpSettings } from '../../../shared/domain/location.ts';
import type { ResponseOf } from '../../../shared/ipc/contract.ts';
import { providerDocId, providerSecretRef } from '../../../shared/providers/catalog.ts';
import { startSmtpSink, type SmtpSink } from './channels/support/smtp-sink.ts';
import { LOCATION_ID, salonLocation } from './engine/integration/support/salon.ts';

const PASSWORD = 'hunter2-moved';
const OLD_REF = `smtp:${LOCATION_ID}`;
const NEW_REF = providerSecretRef(LOCATION_ID, 'email', 'smtp', 'password');
const DOC_ID = providerDocId(LOCATION_ID, 'email', 'smtp');

let sink: SmtpSink;
const dirs: string[] = [];
async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-legacy-smtp-${name}-`));
  dirs.push(dir);
  return dir;
}
beforeAll(async () => {
  // A LAN relay: a login without TLS, which the manager allowed (the old settings carry that consent).
  sink = await startSmtpSink({ credentials: { user: 'desk', pass: PASSWORD } });
});
afterAll(() => sink.close());
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function legacySmtp(): LegacySmtpSettings {
  return { host: '127.0.0.1', port: sink.port, secure: false, username: 'desk', allowInsecureAuth: true, passwordRef: OLD_REF, fromAddress: 'desk@lumiere.example', fromName: 'Lumière' };
}

async function started(dataDir: string, keyDir: string): Promise<FrontDeskHost> {
  const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', log: () => undefined });
  await host.start();
  expect(host.state).toBe('running');
  return host;
}

/** The move is done and the password works: the provider logs in to the sink with it. */
async function expectMoved(host: FrontDeskHost): Promise<void> {
  const location = (await host.runtime.db.locations.findOne(LOCATION_ID).exec())!.toMutableJSON();
  expect(location.smtp).toBeUndefined();
  const listed = await host.api.call('providers.list', { locationId: LOCATION_ID });
  if (!listed.ok) throw new Error(listed.error.message);
  expect((listed.value as ResponseOf<'providers.list'>).providers.find((p) => p.id === DOC_ID)).toMatchObject({
    channel: 'email', kind: 'smtp', enabled: true, ready: true, secrets: { password: 'set' },
    settings: { host: '127.0.0.1', port: sink.port, security: 'starttls', username: 'desk', allowInsecureAuth: true, fromAddress: 'desk@lumiere.example', fromName: 'Lumière' },
  });
  expect(await host.runtime.secrets.status(OLD_REF)).toBe('missing');
  expect(await host.runtime.secrets.status(NEW_REF)).toBe('set');
  const logins = sink.authAttempts.length;
  expect(await host.api.call('providers.test', { locationId: LOCATION_ID, channel: 'email', kind: 'smtp' })).toMatchObject({ ok: true, value: { ok: true } });
  expect(sink.authAttempts.slice(logins)).toEqual([{ user: 'desk', pass: PASSWORD, secure: false }]);
  expect(host.runtime.providers.email.readiness(LOCATION_ID)).toEqual({ ready: true });
}

describe('the mail server of older builds', () => {
  it('moves a folder’s location.smtp and its password at start, and keeps it through a close and reopen', async () => {
    const dataDir = path.join(await tempDir('data'), 'FrontDesk');
    const keyDir = await tempDir('keys');
    // A folder as an older build left it: the host made it, then the location got `smtp` and the old secret.
    await (await started(dataDir, keyDir)).stop();
    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir }) as never, name: DATABASE_NAME, multiInstance: false });
    await db.locations.insert({ ...salonLocation(Date.now()), smtp: legacySmtp() });
    await db.close();
    await new SecretStore({ dataDir, keyDir }).set(OLD_REF, PASSWORD);

    const first = await started(dataDir, keyDir);
    try {
      await expectMoved(first);
    } finally {
      await first.stop();
    }
    const again = await started(dataDir, keyDir);
    try {
      await expectMoved(again);
    } finally {
      await again.stop();
    }
  });

  it('moves a location that arrives with smtp while the host runs (a backup, a sync peer on an older build)', async () => {
    const host = await started(path.join(await tempDir('data'), 'FrontDesk'), await tempDir('keys'));
    try {
      await host.runtime.secrets.set(OLD_REF, PASSWORD);
      await host.runtime.db.locations.insert({ ...salonLocation(Date.now()), smtp: legacySmtp() });
      await expect.poll(async () => (await host.runtime.db.locations.findOne(LOCATION_ID).exec())?.smtp, { timeout: 5_000 }).toBeUndefined();
      await expect.poll(() => host.runtime.providerHub.get(DOC_ID)?.client !== undefined, { timeout: 5_000 }).toBe(true);
      await expectMoved(host);
    } finally {
      await host.stop();
    }
  });

  it('moves a login whose password cannot be read: the channel says to enter it again, and entering it puts it right', async () => {
    const host = await started(path.join(await tempDir('data'), 'FrontDesk'), await tempDir('keys'));
    try {
      await host.runtime.db.locations.insert({ ...salonLocation(Date.now()), smtp: legacySmtp() });
      await expect.poll(() => host.runtime.providerHub.get(DOC_ID)?.problem?.reasonCode, { timeout: 5_000 }).toBe('smtp.password.needed');
      expect(host.runtime.providers.email.readiness(LOCATION_ID)).toMatchObject({ ready: false, reasonCode: 'smtp.password.needed' });
      const listed = await host.api.call('providers.list', { locationId: LOCATION_ID });
      const providers = listed.ok ? (listed.value as ResponseOf<'providers.list'>).providers : [];
      expect(providers[0]).toMatchObject({ ready: false, secrets: { password: 'missing' }, problem: { reasonCode: 'smtp.password.needed' } });
      const settings = providers[0]!.settings;
      expect(await host.api.call('providers.save', { locationId: LOCATION_ID, channel: 'email', kind: 'smtp', enabled: true, settings, secrets: { password: PASSWORD } })).toMatchObject({ ok: true });
      await expectMoved(host);
    } finally {
      await host.stop();
    }
  });
});
