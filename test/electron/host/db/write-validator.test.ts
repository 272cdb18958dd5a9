/**
 * A collection's write validator compiled ahead of its first write (compileWriteValidator): the write then compiles
 * nothing, and is checked by that validator all the same.
 */
import { afterAll, expect, it } from 'vitest';
import { compileWriteValidator, openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { compiledValidatorCount } from '../../../../electron/host/db/schema-validators.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { tempDir } from '../storage/storage-fixtures.ts';
import { validDocs } from './fixtures.ts';

const tmp = tempDir('write-validator');
afterAll(() => tmp.dispose());

it('compiles a collection’s validator ahead of its first write, which then compiles nothing and still refuses an invalid document', async () => {
  const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: tmp.dir }), name: 'warm', multiInstance: false });
  try {
    const before = compiledValidatorCount();
    compileWriteValidator(db.notification_settings);
    expect(compiledValidatorCount()).toBe(before + 1);
    compileWriteValidator(db.notification_settings);
    expect(compiledValidatorCount()).toBe(before + 1);

    await db.notification_settings.insert(validDocs.notification_settings);
    const invalid = { ...validDocs.notification_settings, id: 'other', type: 'no-such-type' } as never;
    await expect(db.notification_settings.insert(invalid)).rejects.toMatchObject({ code: 'VD2' });
    expect(compiledValidatorCount()).toBe(before + 1);
    // Another collection's first write still compiles its own.
    await db.locations.insert(validDocs.locations);
    expect(compiledValidatorCount()).toBe(before + 2);
  } finally {
    await db.remove();
  }
});
