/**
 * Provider secrets (SMTP passwords, later API keys) encrypted at rest. Documents replicate and reach the renderer,
 * so they hold only a reference; the secret sits here, AES-256-GCM with a key file readable by this user only.
 * Electron can swap the key source for safeStorage; the file format stays the same.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

interface SealedSecret {
  iv: string;
  tag: string;
  data: string;
}

export class SecretStore {
  readonly #dir: string;
  #key: Buffer | undefined;
  #secrets: Record<string, SealedSecret> | undefined;

  constructor(dataDir: string) {
    this.#dir = path.join(dataDir, 'secrets');
  }

  async #load(): Promise<{ key: Buffer; secrets: Record<string, SealedSecret> }> {
    if (this.#key && this.#secrets) return { key: this.#key, secrets: this.#secrets };
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const keyFile = path.join(this.#dir, 'key');
    this.#key = await readFile(keyFile).catch(async () => {
      const key = randomBytes(32);
      await writeFile(keyFile, key, { mode: 0o600, flag: 'wx' });
      return key;
    });
    const raw = await readFile(path.join(this.#dir, 'secrets.json'), 'utf8').catch(() => '{}');
    this.#secrets = JSON.parse(raw) as Record<string, SealedSecret>;
    return { key: this.#key, secrets: this.#secrets };
  }

  async get(ref: string): Promise<string | undefined> {
    const { key, secrets } = await this.#load();
    const sealed = secrets[ref];
    if (!sealed) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  }

  async set(ref: string, secret: string): Promise<void> {
    const { key, secrets } = await this.#load();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    secrets[ref] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    const file = path.join(this.#dir, 'secrets.json');
    await writeFile(`${file}.tmp`, JSON.stringify(secrets), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }
}
