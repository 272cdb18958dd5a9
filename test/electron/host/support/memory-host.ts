/** A real FrontDeskHost on RxDB's memory storage in a temporary data folder, for tests of the host's parts. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { FrontDeskHost, type HostOptions } from '../../../../electron/host/host.ts';

export interface MemoryHost {
  host: FrontDeskHost;
  dataDir: string;
  /** Web mode's key folder (the user's config folder in real use), apart from the data folder. */
  keyDir: string;
  stop(): Promise<void>;
}

export async function startMemoryHost(name: string, options: Partial<Pick<HostOptions, 'demo' | 'log' | 'mode' | 'providers' | 'integrationPort' | 'toastIcon'>> = {}): Promise<MemoryHost> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-${name}-`));
  const keyDir = await mkdtemp(path.join(os.tmpdir(), `frontdesk-${name}-keys-`));
  const host = new FrontDeskHost({
    dataDir,
    keyDir,
    mode: options.mode ?? 'web',
    version: 'test',
    storage: getRxStorageMemory() as unknown as RxStorage<unknown, unknown>,
    ...(options.demo ? { demo: true } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.integrationPort !== undefined ? { integrationPort: options.integrationPort } : {}),
    ...(options.toastIcon ? { toastIcon: options.toastIcon } : {}),
  });
  await host.start();
  await host.runtime.engine.idle();
  return {
    host,
    dataDir,
    keyDir,
    async stop() {
      await host.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
