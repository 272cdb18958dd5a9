/**
 * This desk's integrations (payment terminals, phone systems): their names, kinds and locations in `integrations.json`
 * of the data folder, each one's token in the secret store (`integration:<id>`), like every other secret. The token
 * is shown once when the integration is made; afterwards the desk can only check a token against it, or replace the
 * integration. The file is this desk's own (integrations talk to the desk they are plugged into): it is not synced.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_INTEGRATION_PORT, INTEGRATION_KINDS, TOKEN_PATTERN, type IntegrationKind, type IntegrationView } from '../../../shared/integrations/wire.ts';
import type { SecretStore } from '../secret-store.ts';

export const INTEGRATIONS_FILE = 'integrations.json';
export const MAX_INTEGRATIONS = 20;

const storedIntegration = z.object({
  id: z.string().regex(/^[a-z0-9]{8,40}$/),
  name: z.string().min(1).max(80),
  kind: z.enum(INTEGRATION_KINDS),
  locationId: z.string().min(1).max(128),
  createdAt: z.string().max(30),
  lastEventAt: z.string().max(30).optional(),
});
const storedFile = z.object({ port: z.number().int().min(1).max(65_535), integrations: z.array(storedIntegration).max(MAX_INTEGRATIONS) });
type StoredFile = z.infer<typeof storedFile>;

export interface IntegrationStoreOptions {
  dataDir: string;
  secrets: SecretStore;
  log: (line: string) => void;
}

function secretRef(id: string): string {
  return `integration:${id}`;
}

/** The same length whatever the token, so the comparison takes the same time for every wrong one. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class IntegrationStore {
  #o: IntegrationStoreOptions;
  #file: StoredFile = { port: DEFAULT_INTEGRATION_PORT, integrations: [] };
  /** Each integration's token secret, digested, read once from the secret store (tokens are checked per request). */
  #secrets = new Map<string, Buffer>();
  #writes: Promise<void> = Promise.resolve();

  constructor(options: IntegrationStoreOptions) {
    this.#o = options;
  }

  async load(): Promise<void> {
    const file = path.join(this.#o.dataDir, INTEGRATIONS_FILE);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const parsed = storedFile.safeParse((() => { try { return JSON.parse(text) as unknown; } catch { return undefined; } })());
    if (!parsed.success) {
      this.#o.log(`integrations: ${file} is unreadable; no integration is accepted until they are set up again in Settings → Integrations`);
      return;
    }
    this.#file = parsed.data;
    for (const integration of this.#file.integrations) {
      const secret = await this.#o.secrets.get(secretRef(integration.id)).catch(() => undefined);
      if (secret === undefined) this.#o.log(`integrations: the token of "${integration.name}" cannot be read (secrets file or key damaged or missing); make a new one in Settings → Integrations`);
      else this.#secrets.set(integration.id, digest(secret));
    }
  }

  get port(): number {
    return this.#file.port;
  }

  list(): IntegrationView[] {
    return this.#file.integrations.map((i) => ({ ...i }));
  }

  get(id: string): IntegrationView | undefined {
    const found = this.#file.integrations.find((i) => i.id === id);
    return found ? { ...found } : undefined;
  }

  /** A token whose secret part cannot be read (lost key) is listed, but accepts nothing until replaced. */
  usable(id: string): boolean {
    return this.#secrets.has(id);
  }

  async create(input: { name: string; kind: IntegrationKind; locationId: string }, now: number): Promise<{ integration: IntegrationView; token: string }> {
    const id = randomBytes(10).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.#o.secrets.set(secretRef(id), secret);
    const integration: IntegrationView = { id, name: input.name, kind: input.kind, locationId: input.locationId, createdAt: new Date(now).toISOString() };
    this.#file = { ...this.#file, integrations: [...this.#file.integrations, integration] };
    this.#secrets.set(id, digest(secret));
    await this.#save();
    return { integration, token: `fdi_${id}_${secret}` };
  }

  async remove(id: string): Promise<boolean> {
    if (!this.#file.integrations.some((i) => i.id === id)) return false;
    this.#file = { ...this.#file, integrations: this.#file.integrations.filter((i) => i.id !== id) };
    this.#secrets.delete(id);
    await this.#save();
    await this.#o.secrets.delete(secretRef(id)).catch(() => undefined);
    return true;
  }

  async setPort(port: number): Promise<void> {
    this.#file = { ...this.#file, port };
    await this.#save();
  }

  /** The integration a bearer token belongs to, or undefined for any token that is not exactly one of ours. */
  verify(token: string): IntegrationView | undefined {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return undefined;
    const expected = this.#secrets.get(match[1]!);
    if (!expected || !timingSafeEqual(expected, digest(match[2]!))) return undefined;
    return this.get(match[1]!);
  }

  /** The secret a test event is sent with: this desk calling its own endpoint like a terminal would. */
  async tokenOf(id: string): Promise<string | undefined> {
    const secret = await this.#o.secrets.get(secretRef(id)).catch(() => undefined);
    return secret === undefined ? undefined : `fdi_${id}_${secret}`;
  }

  async touch(id: string, now: number): Promise<void> {
    const at = new Date(now).toISOString();
    this.#file = { ...this.#file, integrations: this.#file.integrations.map((i) => (i.id === id ? { ...i, lastEventAt: at } : i)) };
    await this.#save();
  }

  #save(): Promise<void> {
    const file = path.join(this.#o.dataDir, INTEGRATIONS_FILE);
    const content = `${JSON.stringify(this.#file, null, 2)}\n`;
    // One write after another, so a slower older write never lands over a newer one.
    this.#writes = this.#writes.catch(() => undefined).then(async () => {
      await writeFile(`${file}.tmp`, content, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    });
    return this.#writes;
  }
}
