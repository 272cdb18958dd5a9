/**
 * The first start after an update migrates older documents before the data opens (a delivery log of 100k entries:
 * seconds). A real host on real node:sqlite files tells its window how far it is — `dataUpdating` host events, the
 * last with every document handled — and says so in its log, so the window can say why it waits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDeskHost } from '../../../electron/host/host.ts';
import { deliveryLogSchemaV2, type DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import { validDocs } from './db/fixtures.ts';
import { writeOlderBook } from './db/older-book.ts';

const ENTRIES = 3000;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the first start after an update', () => {
  it("reports the migration's progress to the window and in the log, then opens the data", { timeout: 60_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-data-updating-'));
    const keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-data-updating-keys-'));
    dirs.push(dataDir, keyDir);
    // A folder an older build wrote: its delivery log in schema v2.
    const base = validDocs.delivery_log;
    const entries: DeliveryLogEntry[] = Array.from({ length: ENTRIES }, (_, i) => ({ ...base, id: `d${i}`, atMs: base.atMs + i * 1000, at: new Date(base.atMs + i * 1000).toISOString() }));
    await writeOlderBook(dataDir, 'delivery_log', deliveryLogSchemaV2, entries);

    const lines: string[] = [];
    const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'test', log: (line) => lines.push(line) });
    const events: Extract<HostEvent, { type: 'dataUpdating' }>[] = [];
    host.onEvent((event) => {
      if (event.type === 'dataUpdating') events.push(event);
    });
    try {
      await host.start();
      expect(host.state).toBe('running');
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.collection === 'delivery_log')).toBe(true);
      expect(events.at(-1)).toMatchObject({ handled: ENTRIES, total: ENTRIES });
      const handled = events.map((e) => e.handled);
      expect(handled).toEqual([...handled].sort((a, b) => a - b));
      expect(lines.filter((line) => line.includes('delivery_log'))).toEqual([
        `Updating delivery_log to this version's layout (${ENTRIES} documents, once after an update)…`,
        `Updated delivery_log to this version's layout (${ENTRIES} documents).`,
      ]);
      expect(await host.runtime.db.delivery_log.count().exec()).toBe(ENTRIES);
    } finally {
      await host.stop();
    }
  });
});
