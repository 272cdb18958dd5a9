/**
 * provider_settings v0 → v1: the mail server joins the provider kinds (`smtp`). A data folder written before opens
 * with every provider document unchanged, and takes a mail server afterwards; a kind outside the catalog stays refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import { providerSettingsSchemaV0, type ProviderSettings } from '../../../../shared/domain/provider-settings.ts';
import { validationMessage } from '../../../../shared/domain/validation-errors.ts';

const open: FrontDeskDatabase[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()?.remove();
});

const twilio: ProviderSettings = {
  id: 'loc1:sms:twilio', locationId: 'loc1', channel: 'sms', kind: 'twilio', enabled: true,
  settings: { accountSid: `AC${'0'.repeat(32)}`, from: '+15005550006' }, secretsSet: ['authToken'], updatedAt: '2026-12-01T10:00:00.000Z',
};

describe('provider_settings schema versions', () => {
  it('opens v0 documents unchanged and accepts the mail server (smtp) afterwards', async () => {
    addRxPlugin(RxDBMigrationSchemaPlugin);
    const storage = getRxStorageMemory();
    const name = `t-migrate-providers-${Date.now()}`;
    const old = await createRxDatabase({ name, storage: wrappedValidateAjvStorage({ storage }), multiInstance: false });
    await old.addCollections({ provider_settings: { schema: providerSettingsSchemaV0 as never } });
    await old.collections.provider_settings!.insert(twilio);
    // v0 knew no mail server.
    expect(await old.collections.provider_settings!.insert({ ...twilio, id: 'loc1:email:smtp', channel: 'email', kind: 'smtp' }).then(() => 'saved', () => 'refused')).toBe('refused');
    await old.close();

    const db = await openFrontDeskDatabase({ storage, name, devMode: true, multiInstance: false });
    open.push(db);
    expect((await db.provider_settings.findOne(twilio.id).exec())?.toJSON()).toEqual(twilio);
    const mail: ProviderSettings = {
      id: 'loc1:email:smtp', locationId: 'loc1', channel: 'email', kind: 'smtp', enabled: true,
      settings: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'desk', fromAddress: 'desk@salon.example' }, secretsSet: ['password'], updatedAt: '2026-12-02T10:00:00.000Z',
    };
    await db.provider_settings.insert(mail);
    expect((await db.provider_settings.findOne(mail.id).exec())?.toJSON()).toEqual(mail);
    const refused = await db.provider_settings.insert({ ...mail, id: 'loc1:email:pigeon', kind: 'pigeon' as never }).catch((e: unknown) => e);
    expect(validationMessage(refused)).toContain('provider_settings.kind');
  });
});
