/**
 * Provider secrets (the mail server's password, provider API keys and tokens, sync credentials), encrypted at rest.
 * Documents replicate and reach the renderer, so they hold only a reference (shared/domain/secret-ref.ts); the secret
 * sits here, AES-256-GCM under a 256-bit key, with the reference bound to each ciphertext (GCM additional data).
 *
 * API — every method takes a reference matching SECRET_REF_PATTERN and throws InvalidSecretRefError otherwise:
 *   status(ref) → 'set'     the secret is there and decrypts
 *               | 'missing' nothing was ever saved under ref (or it was deleted)
 *               | 'damaged' something was saved but cannot be read: the key is gone or another one, the secrets file
 *                           is truncated or garbled. To the manager both non-'set' states mean "enter it again".
 *   get(ref)    → the secret when status is 'set', else undefined. Never throws for a damaged store.
 *   set(ref, s) seals and saves s (atomically: temp file, fsync, rename). A damaged secrets file or key is moved aside
 *               (`*.damaged-<time>`), never overwritten, and a fresh one started.
 *   delete(ref) forgets the secret (no-op when there is none).
 *
 * Where the key lives — never beside the secrets, so a copy of the data folder alone opens nothing:
 *   - Electron: a random key wrapped by the OS keychain through `safeStorage` (KeyProtection, injected by main: the
 *     host stays Node-only), stored wrapped in `<data>/secrets/key.<protection name>`.
 *   - Web mode: a random key in `<user config>/FrontDesk-keys/secret-store.key` (folder 0700, file 0600), one per user.
 * Each sealed secret records the id of the key that sealed it, so a secret saved by the other mode (or on another
 * computer) reads as 'damaged' rather than failing to decrypt somewhere later.
 *
 * Files: `<data>/secrets/` 0700, `secrets.json` 0600: `{ "format": 1, "entries": { ref: { key, iv, tag, data } } }`.
 * Lookups go through a Map and Object.hasOwn, never through a plain object's prototype chain.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isSecretRef } from '../../shared/domain/secret-ref.ts';

export type SecretStatus = 'set' | 'missing' | 'damaged';

/** Wraps the store's key with something only this user on this computer can undo (Electron: safeStorage). */
export interface KeyProtection {
  /** Short name, part of the wrapped key's file name (`secrets/key.<name>`). Letters and digits. */
  readonly name: string;
  protect(key: Buffer): Promise<Buffer>;
  unprotect(wrapped: Buffer): Promise<Buffer>;
}

export interface SecretStoreOptions {
  dataDir: string;
  /** Electron: the key is wrapped with this and kept in the data folder. */
  keyProtection?: KeyProtection;
  /** Without keyProtection: the folder of the key file (web mode: in the user's config folder, apart from the data). */
  keyDir?: string;
  log?: (line: string) => void;
}

export class InvalidSecretRefError extends Error {
  constructor(ref: unknown) {
    super(`'${String(ref).slice(0, 40)}' is not a secret reference (expected kind:name, e.g. smtp:loc-1).`);
    this.name = 'InvalidSecretRefError';
  }
}

/** The secret could not be saved; the message says what to do. */
export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

export const KEY_FILE = 'secret-store.key';
export const SECRETS_FILE = 'secrets.json';
const KEY_BYTES = 32;
const FORMAT = 1;

interface SealedSecret {
  key: string;
  iv: string;
  tag: string;
  data: string;
}

type KeyState =
  | { state: 'ok'; key: Buffer; id: string }
  | { state: 'absent' }
  /** `movable`: the file is unusable whatever happens (truncated, wrong wrap), so a new key may replace it. */
  | { state: 'damaged'; reason: string; movable: boolean };

interface Loaded {
  key: KeyState;
  entries: Map<string, SealedSecret>;
  /** Why the secrets file could not be read; every secret in it is then 'damaged'. */
  fileProblem: string | undefined;
}

export class SecretStore {
  readonly #dir: string;
  readonly #keyFile: string;
  readonly #protection: KeyProtection | undefined;
  readonly #log: (line: string) => void;
  #loaded: Promise<Loaded> | undefined;
  /** Writes one after another: each rewrites the whole file. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SecretStoreOptions) {
    this.#dir = path.join(options.dataDir, 'secrets');
    this.#protection = options.keyProtection;
    if (options.keyProtection) {
      if (!/^[A-Za-z0-9]{1,32}$/.test(options.keyProtection.name)) throw new Error(`Key protection name '${options.keyProtection.name}' must be letters and digits.`);
      this.#keyFile = path.join(this.#dir, `key.${options.keyProtection.name}`);
    } else {
      if (!options.keyDir) throw new Error('SecretStore needs keyProtection or keyDir.');
      this.#keyFile = path.join(options.keyDir, KEY_FILE);
    }
    this.#log = options.log ?? (() => {});
  }

  /** Where the key is kept, for the README-level diagnostics in logs. */
  get keyLocation(): string {
    return this.#protection ? `${this.#keyFile} (wrapped by ${this.#protection.name})` : this.#keyFile;
  }

  async status(ref: string): Promise<SecretStatus> {
    return (await this.#read(ref)).status;
  }

  async get(ref: string): Promise<string | undefined> {
    return (await this.#read(ref)).secret;
  }

  async set(ref: string, secret: string): Promise<void> {
    checkRef(ref);
    await this.#serial(async () => {
      const loaded = await this.#load();
      const key = await this.#usableKey(loaded);
      if (loaded.fileProblem) await this.#moveAside(path.join(this.#dir, SECRETS_FILE), `the secrets file could not be read (${loaded.fileProblem})`);
      loaded.fileProblem = undefined;
      const entries = new Map(loaded.entries);
      entries.set(ref, seal(key, ref, secret));
      await this.#save(entries);
      loaded.entries = entries;
    });
  }

  async delete(ref: string): Promise<void> {
    checkRef(ref);
    await this.#serial(async () => {
      const loaded = await this.#load();
      if (loaded.fileProblem || !loaded.entries.has(ref)) return;
      const entries = new Map(loaded.entries);
      entries.delete(ref);
      await this.#save(entries);
      loaded.entries = entries;
    });
  }

  async #read(ref: string): Promise<{ status: SecretStatus; secret?: string }> {
    checkRef(ref);
    await this.#queue.catch(() => undefined);
    const loaded = await this.#load();
    if (loaded.fileProblem) return { status: 'damaged' };
    const sealed = loaded.entries.get(ref);
    if (!sealed) return { status: 'missing' };
    if (loaded.key.state !== 'ok' || sealed.key !== loaded.key.id) return { status: 'damaged' };
    const secret = unseal(loaded.key.key, ref, sealed);
    return secret === undefined ? { status: 'damaged' } : { status: 'set', secret };
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.catch(() => undefined).then(work);
    this.#queue = next;
    return next;
  }

  #load(): Promise<Loaded> {
    this.#loaded ??= this.#loadFiles().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  async #loadFiles(): Promise<Loaded> {
    const key = await this.#readKey();
    const loaded: Loaded = { key, entries: new Map(), fileProblem: undefined };
    const raw = await readFile(path.join(this.#dir, SECRETS_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      loaded.fileProblem = error.code ?? error.message;
      return undefined;
    });
    if (raw === undefined) return loaded;
    const parsed = parseSecretsFile(raw);
    if ('problem' in parsed) {
      loaded.fileProblem = parsed.problem;
      this.#log(`The secrets file ${path.join(this.#dir, SECRETS_FILE)} could not be read (${parsed.problem}): saved passwords must be entered again.`);
      return loaded;
    }
    loaded.entries = parsed.entries;
    if (parsed.legacy) await this.#migrateLegacy(loaded);
    return loaded;
  }

  async #readKey(): Promise<KeyState> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#keyFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { state: 'absent' };
      return { state: 'damaged', reason: `${this.#keyFile} cannot be read (${code ?? (error as Error).message}): fix its permissions`, movable: false };
    }
    let key = bytes;
    if (this.#protection) {
      try {
        key = await this.#protection.unprotect(bytes);
      } catch (error) {
        return { state: 'damaged', reason: `${this.#keyFile} could not be unwrapped by ${this.#protection.name} (${(error as Error).message})`, movable: true };
      }
    }
    if (key.length !== KEY_BYTES) return { state: 'damaged', reason: `${this.#keyFile} holds ${key.length} bytes instead of ${KEY_BYTES}`, movable: true };
    return { state: 'ok', key, id: keyId(key) };
  }

  /** The current key, creating one when there is none (or only a useless one, which is moved aside first). */
  async #usableKey(loaded: Loaded): Promise<{ key: Buffer; id: string }> {
    const current = loaded.key;
    if (current.state === 'ok') return current;
    if (current.state === 'damaged') {
      if (!current.movable) throw new SecretStoreError(`The password could not be saved: the key file ${current.reason}.`);
      await this.#moveAside(this.#keyFile, current.reason);
    }
    const key = randomBytes(KEY_BYTES);
    const stored = this.#protection ? await this.#protection.protect(key) : key;
    await mkdir(path.dirname(this.#keyFile), { recursive: true, mode: 0o700 });
    if (!(await createDurably(this.#keyFile, stored))) {
      // Another FrontDesk of this user (another data folder) created the key a moment earlier: use that one.
      const theirs = await this.#readKey();
      if (theirs.state !== 'ok') {
        throw new SecretStoreError(`The password could not be saved: the key file ${theirs.state === 'damaged' ? theirs.reason : 'vanished while it was created'}.`);
      }
      loaded.key = theirs;
      return theirs;
    }
    const created = { state: 'ok' as const, key, id: keyId(key) };
    loaded.key = created;
    this.#log(`Created a new key for saved passwords: ${this.keyLocation}.`);
    return created;
  }

  async #save(entries: Map<string, SealedSecret>): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') await chmod(this.#dir, 0o700);
    const body = { format: FORMAT, entries: Object.fromEntries(entries) };
    await writeDurably(path.join(this.#dir, SECRETS_FILE), JSON.stringify(body));
  }

  async #moveAside(file: string, reason: string): Promise<void> {
    const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, aside).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    this.#log(`${reason}; kept it as ${aside} and started a new one.`);
  }

  /**
   * Builds before this one kept the key as `secrets/key`, beside the secrets, and sealed without additional data:
   * re-seal those secrets under the current key and remove the old key file. Without the old key they read 'damaged'.
   */
  async #migrateLegacy(loaded: Loaded): Promise<void> {
    const legacyKeyFile = path.join(this.#dir, 'key');
    const legacyKey = await readFile(legacyKeyFile).catch(() => undefined);
    if (!legacyKey || legacyKey.length !== KEY_BYTES) return;
    const key = await this.#usableKey(loaded);
    const entries = new Map<string, SealedSecret>();
    for (const [ref, sealed] of loaded.entries) {
      const secret = unseal(legacyKey, undefined, sealed);
      if (secret !== undefined) entries.set(ref, seal(key, ref, secret));
    }
    await this.#save(entries);
    loaded.entries = entries;
    await rm(legacyKeyFile, { force: true });
    this.#log(`Moved ${entries.size} saved password(s) to the new key (${this.keyLocation}) and removed the key file that sat beside them.`);
  }
}

function checkRef(ref: string): void {
  if (!isSecretRef(ref)) throw new InvalidSecretRefError(ref);
}

function keyId(key: Buffer): string {
  return createHash('sha256').update('frontdesk secret-store key id\0').update(key).digest('hex').slice(0, 16);
}

function seal(key: { key: Buffer; id: string }, ref: string, secret: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(ref, 'utf8'));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { key: key.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** undefined when the key is wrong or the entry was tampered with (GCM authentication fails). */
function unseal(key: Buffer, ref: string | undefined, sealed: SealedSecret): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    if (ref !== undefined) decipher.setAAD(Buffer.from(ref, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isSealed(value: unknown, legacy: boolean): value is SealedSecret {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const strings = ['iv', 'tag', 'data'].every((field) => Object.hasOwn(entry, field) && typeof entry[field] === 'string' && BASE64.test(entry[field] as string));
  return strings && (legacy || (Object.hasOwn(entry, 'key') && typeof entry.key === 'string'));
}

function parseSecretsFile(raw: string): { entries: Map<string, SealedSecret>; legacy: boolean } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { problem: raw.length === 0 ? 'the file is empty' : 'the file is truncated or not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'unexpected content' };
  const body = value as Record<string, unknown>;
  const legacy = !Object.hasOwn(body, 'format');
  if (!legacy && body.format !== FORMAT) return { problem: `format ${String(body.format)} is not known to this build` };
  const source = legacy ? body : body.entries;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return { problem: 'unexpected content' };
  const entries = new Map<string, SealedSecret>();
  for (const [ref, sealed] of Object.entries(source)) {
    // Unknown references are dropped; a garbled entry under a good one is kept as unreadable, so it reads 'damaged'.
    if (!isSecretRef(ref)) continue;
    if (isSealed(sealed, legacy)) entries.set(ref, { key: legacy ? '' : (sealed as SealedSecret).key, iv: sealed.iv, tag: sealed.tag, data: sealed.data });
    else entries.set(ref, { key: '', iv: '', tag: '', data: '' });
  }
  return { entries, legacy };
}

/** Temp file, fsync, rename: the file is either the old one or the new one, never half of each, even on power loss. */
async function writeDurably(file: string, content: string | Buffer): Promise<void> {
  const target = `${file}.tmp`;
  await writeSynced(target, content);
  await rename(target, file);
}

/**
 * Creates `file` only if it does not exist, whole or not at all: a private temp file is written and fsynced, then
 * hard-linked to the name, which fails if another process got there first (false). Two hosts of one user start at
 * once on different data folders and share the key folder; opening the name with 'wx' let the loser read a key file
 * the winner had not written yet.
 */
async function createDurably(file: string, content: string | Buffer): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeSynced(temp, content);
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

async function writeSynced(file: string, content: string | Buffer): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
