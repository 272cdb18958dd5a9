/**
 * The secret store on real files in temporary folders: the key apart from the secrets (a key folder standing in for
 * the user's config folder, or a wrapped key as Electron's safeStorage makes it), owner-only modes, references that
 * cannot be prototype keys, and every kind of damage read as 'damaged' instead of an exception.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE, SECRETS_FILE, SecretStore, type KeyProtection } from '../../../electron/host/secret-store.ts';

const dirs: string[] = [];
async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-secrets-${name}-`));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function folders(): Promise<{ dataDir: string; keyDir: string; logs: string[]; store: () => SecretStore }> {
  const dataDir = await tempDir('data');
  const keyDir = path.join(await tempDir('config'), 'FrontDesk-keys');
  const logs: string[] = [];
  return { dataDir, keyDir, logs, store: () => new SecretStore({ dataDir, keyDir, log: (line) => logs.push(line) }) };
}

const mode = async (file: string) => (await stat(file)).mode & 0o777;
const secretsFile = (dataDir: string) => path.join(dataDir, 'secrets', SECRETS_FILE);

describe('secret store', () => {
  it('sets, reads, reports and deletes secrets; the key lives apart from the data folder, owner-only', async () => {
    const { dataDir, keyDir, store } = await folders();
    const secrets = store();
    expect(await secrets.status('smtp:loc-1')).toBe('missing');
    expect(await secrets.get('smtp:loc-1')).toBeUndefined();
    await secrets.set('smtp:loc-1', 'hunter2 ✓');
    await secrets.set('sms:loc-1', 'api-key-1');
    expect(await secrets.status('smtp:loc-1')).toBe('set');
    expect(await secrets.get('smtp:loc-1')).toBe('hunter2 ✓');
    // A fresh store (a restart) reads the same.
    expect(await store().get('sms:loc-1')).toBe('api-key-1');
    await secrets.delete('sms:loc-1');
    expect(await store().status('sms:loc-1')).toBe('missing');
    await secrets.delete('sms:loc-1');

    expect(await readdir(path.join(dataDir, 'secrets'))).toEqual([SECRETS_FILE]);
    expect(await readdir(keyDir)).toEqual([KEY_FILE]);
    expect(await readFile(secretsFile(dataDir), 'utf8')).not.toContain('hunter2');
    if (process.platform !== 'win32') {
      expect(await mode(path.join(dataDir, 'secrets'))).toBe(0o700);
      expect(await mode(secretsFile(dataDir))).toBe(0o600);
      expect(await mode(keyDir)).toBe(0o700);
      expect(await mode(path.join(keyDir, KEY_FILE))).toBe(0o600);
    }
  });

  it('lets hosts on several data folders of one user create the shared key at once: one key, every secret readable', async () => {
    const keyDir = path.join(await tempDir('config'), 'FrontDesk-keys');
    const dataDirs = await Promise.all(Array.from({ length: 6 }, (_, i) => tempDir(`data-${i}`)));
    const stores = dataDirs.map((dataDir) => new SecretStore({ dataDir, keyDir }));
    await Promise.all(stores.map((store, i) => store.set('sync:desk', `password-${i}`)));
    expect(await Promise.all(stores.map((store) => store.get('sync:desk')))).toEqual(stores.map((_, i) => `password-${i}`));
    // A fresh store on each folder reads through the one key file, and no temp file is left beside it.
    const reopened = dataDirs.map((dataDir) => new SecretStore({ dataDir, keyDir }));
    expect(await Promise.all(reopened.map((store) => store.status('sync:desk')))).toEqual(stores.map(() => 'set'));
    expect(await readdir(keyDir)).toEqual([KEY_FILE]);
  });

  it('creates no key and writes nothing while only reading', async () => {
    const { dataDir, keyDir, store } = await folders();
    expect(await store().status('smtp:loc-1')).toBe('missing');
    await expect(stat(keyDir)).rejects.toThrow();
    await expect(stat(path.join(dataDir, 'secrets'))).rejects.toThrow();
  });

  it('refuses references that are not kind:name — prototype keys above all — on every method', async () => {
    const { store } = await folders();
    const secrets = store();
    for (const ref of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', '', 'smtp:', 'SMTP:x', 'smtp:../../key', 'smtp:__proto__x ']) {
      await expect(secrets.status(ref), ref).rejects.toThrow(/not a secret reference/);
      await expect(secrets.get(ref), ref).rejects.toThrow(/not a secret reference/);
      await expect(secrets.set(ref, 'x'), ref).rejects.toThrow(/not a secret reference/);
      await expect(secrets.delete(ref), ref).rejects.toThrow(/not a secret reference/);
    }
    expect(await secrets.status('smtp:loc-1')).toBe('missing');
  });

  it('ignores prototype keys written into the secrets file by hand', async () => {
    const { dataDir, store } = await folders();
    await store().set('smtp:loc-1', 'pw');
    const body = JSON.parse(await readFile(secretsFile(dataDir), 'utf8')) as { entries: Record<string, unknown> };
    const forged = `{"format":1,"entries":{"__proto__":{"key":"x","iv":"","tag":"","data":""},"constructor":1,"smtp:loc-1":${JSON.stringify(body.entries['smtp:loc-1'])}}}`;
    await writeFile(secretsFile(dataDir), forged);
    const secrets = store();
    expect(await secrets.get('smtp:loc-1')).toBe('pw');
    expect(await secrets.status('smtp:loc-2')).toBe('missing');
    await secrets.set('smtp:loc-2', 'pw2');
    expect(Object.keys((JSON.parse(await readFile(secretsFile(dataDir), 'utf8')) as { entries: object }).entries)).toEqual(['smtp:loc-1', 'smtp:loc-2']);
  });

  it('reads a lost key as damaged, and a new secret then gets a new key without touching the others', async () => {
    const { keyDir, logs, store } = await folders();
    await store().set('smtp:loc-1', 'pw1');
    await store().set('smtp:loc-2', 'pw2');
    await rm(path.join(keyDir, KEY_FILE));
    const secrets = store();
    expect(await secrets.status('smtp:loc-1')).toBe('damaged');
    expect(await secrets.get('smtp:loc-1')).toBeUndefined();
    await secrets.set('smtp:loc-1', 'again');
    expect(await store().get('smtp:loc-1')).toBe('again');
    expect(await store().status('smtp:loc-2')).toBe('damaged');
    expect(logs.join('\n')).toContain('Created a new key');
  });

  it('reads a truncated key as damaged and keeps it aside when a new one is made', async () => {
    const { keyDir, store } = await folders();
    await store().set('smtp:loc-1', 'pw1');
    await truncate(path.join(keyDir, KEY_FILE), 7);
    const secrets = store();
    expect(await secrets.status('smtp:loc-1')).toBe('damaged');
    await secrets.set('smtp:loc-1', 'again');
    expect(await store().get('smtp:loc-1')).toBe('again');
    const files = await readdir(keyDir);
    expect(files.filter((f) => f.startsWith(`${KEY_FILE}.damaged-`))).toHaveLength(1);
  });

  it.each([
    ['truncated', (raw: string) => raw.slice(0, Math.floor(raw.length / 2))],
    ['empty', () => ''],
    ['garbage', () => '\u0000\u0001binary garbage'],
    ['of an unknown format', () => '{"format":99,"entries":{}}'],
  ])('reads every secret of a secrets file that is %s as damaged, and keeps the file aside on the next save', async (_what, damage) => {
    const { dataDir, logs, store } = await folders();
    await store().set('smtp:loc-1', 'pw1');
    const damaged = damage(await readFile(secretsFile(dataDir), 'utf8'));
    await writeFile(secretsFile(dataDir), damaged);
    const secrets = store();
    expect(await secrets.status('smtp:loc-1')).toBe('damaged');
    expect(await secrets.status('smtp:other')).toBe('damaged');
    expect(await secrets.get('smtp:loc-1')).toBeUndefined();
    await secrets.delete('smtp:loc-1');
    await secrets.set('smtp:loc-2', 'pw2');
    expect(await store().get('smtp:loc-2')).toBe('pw2');
    expect(await store().status('smtp:loc-1')).toBe('missing');
    const aside = (await readdir(path.join(dataDir, 'secrets'))).filter((f) => f.startsWith(`${SECRETS_FILE}.damaged-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(dataDir, 'secrets', aside[0]!), 'utf8')).toBe(damaged);
    expect(logs.join('\n')).toContain('saved passwords must be entered again');
  });

  it('reads a tampered, moved or foreign secret as damaged', async () => {
    const { dataDir, store } = await folders();
    await store().set('smtp:loc-1', 'pw1');
    await store().set('smtp:loc-2', 'pw2');
    const body = JSON.parse(await readFile(secretsFile(dataDir), 'utf8')) as { entries: Record<string, { data: string; key: string }> };
    // Moved: loc-2's ciphertext under loc-1's name (the reference is bound to the ciphertext).
    const moved = { ...body, entries: { ...body.entries, 'smtp:loc-1': body.entries['smtp:loc-2'] } };
    await writeFile(secretsFile(dataDir), JSON.stringify(moved));
    expect(await store().status('smtp:loc-1')).toBe('damaged');
    expect(await store().get('smtp:loc-2')).toBe('pw2');
    // Tampered: one bit of the ciphertext flipped.
    const data = Buffer.from(body.entries['smtp:loc-2']!.data, 'base64');
    data[0]! ^= 1;
    const tampered = { ...body, entries: { ...body.entries, 'smtp:loc-2': { ...body.entries['smtp:loc-2'], data: data.toString('base64') } } };
    await writeFile(secretsFile(dataDir), JSON.stringify(tampered));
    expect(await store().status('smtp:loc-2')).toBe('damaged');
    // Foreign: the same data folder with another user's (or computer's) key.
    await writeFile(secretsFile(dataDir), JSON.stringify(body));
    const elsewhere = new SecretStore({ dataDir, keyDir: await tempDir('other-config') });
    expect(await elsewhere.status('smtp:loc-1')).toBe('damaged');
  });

  it('keeps the key wrapped by an injected key protection (safeStorage in Electron), in the data folder', async () => {
    const dataDir = await tempDir('data');
    const wrapping = randomBytes(32);
    const calls: string[] = [];
    /** Stands in for safeStorage: a key of its own that never touches the disk. */
    const protection: KeyProtection = {
      name: 'test',
      async protect(key) {
        calls.push('protect');
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', wrapping, iv);
        return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
      },
      async unprotect(wrapped) {
        calls.push('unprotect');
        const { createDecipheriv } = await import('node:crypto');
        const decipher = createDecipheriv('aes-256-gcm', wrapping, wrapped.subarray(0, 12));
        decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
        return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()]);
      },
    };
    await new SecretStore({ dataDir, keyProtection: protection }).set('smtp:loc-1', 'pw');
    expect(await new SecretStore({ dataDir, keyProtection: protection }).get('smtp:loc-1')).toBe('pw');
    expect(calls).toEqual(['protect', 'unprotect']);
    expect((await readdir(path.join(dataDir, 'secrets'))).sort()).toEqual(['key.test', SECRETS_FILE]);
    if (process.platform !== 'win32') expect(await mode(path.join(dataDir, 'secrets', 'key.test'))).toBe(0o600);
    // Without the protection (the folder copied elsewhere, or the keychain refusing), nothing opens — and nothing throws.
    const refusing: KeyProtection = { name: 'test', protect: protection.protect, unprotect: () => Promise.reject(new Error('keychain locked')) };
    expect(await new SecretStore({ dataDir, keyProtection: refusing }).status('smtp:loc-1')).toBe('damaged');
    // Web mode on the same folder has no access to the desktop app's key: 'damaged', asks for the password again.
    expect(await new SecretStore({ dataDir, keyDir: await tempDir('config') }).status('smtp:loc-1')).toBe('damaged');
  });

  it('moves secrets of older builds (key beside the ciphertext) under the new key and removes the old key file', async () => {
    const { dataDir, keyDir, logs, store } = await folders();
    // What the previous SecretStore wrote: secrets/key (raw) and a flat secrets.json without additional data.
    const legacyKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', legacyKey, iv);
    const data = Buffer.concat([cipher.update('old-password', 'utf8'), cipher.final()]);
    await mkdir(path.join(dataDir, 'secrets'), { recursive: true });
    await writeFile(path.join(dataDir, 'secrets', 'key'), legacyKey);
    const legacy = { 'smtp:loc-1': { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }, __proto__x: {} };
    await writeFile(secretsFile(dataDir), JSON.stringify(legacy));

    expect(await store().get('smtp:loc-1')).toBe('old-password');
    expect(await readdir(path.join(dataDir, 'secrets'))).toEqual([SECRETS_FILE]);
    expect(await readdir(keyDir)).toEqual([KEY_FILE]);
    expect(JSON.parse(await readFile(secretsFile(dataDir), 'utf8'))).toMatchObject({ format: 1, entries: { 'smtp:loc-1': { key: expect.any(String) } } });
    expect(await store().get('smtp:loc-1')).toBe('old-password');
    expect(logs.join('\n')).toContain('Moved 1 saved password(s) to the new key');
  });
});
