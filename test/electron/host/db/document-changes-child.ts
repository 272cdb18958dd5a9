/**
 * Child of document-changes.test.ts (runs with --expose-gc): writes documents in bulks of 50 while one collection is
 * watched with documentChanges() and another with RxDB's `collection.$`, then reports how many of the written
 * documents are still reachable after a full garbage collection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openFrontDeskDatabase } from '../../../../electron/host/db/open-database.ts';
import { documentChanges } from '../../../../electron/host/db/document-changes.ts';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';

const BULKS = 10;
const PER_BULK = 50;
const COUNT = BULKS * PER_BULK;
const dir = mkdtempSync(path.join(tmpdir(), 'frontdesk-changes-'));
const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dir }), name: 'changes', multiInstance: false });
const seen = { helper: [] as WeakRef<object>[], rxdb: [] as WeakRef<object>[] };
const helper = documentChanges(db.delivery_log).subscribe((event) => seen.helper.push(new WeakRef(event.documentData)));
const rxdb = db.team_events.$.subscribe((event) => seen.rxdb.push(new WeakRef(event.documentData)));

async function write(): Promise<void> {
  const at = Date.UTC(2026, 10, 23, 9);
  const entries = Array.from({ length: COUNT }, (_, i) => ({
    id: `log${i}`, locationId: 'loc1', jobId: `job${i}`, type: 'reminder' as const, channel: 'email' as const, recipient: 'a@example.com',
    status: 'sent' as const, at: new Date(at + i).toISOString(), atMs: at + i,
  }));
  const events = Array.from({ length: COUNT }, (_, i) => ({
    id: `event${i}`, locationId: 'loc1', type: 'newBooking' as const, appointmentId: `a${i}`, clientId: 'c1', staffIds: ['s1'],
    title: 'New booking', body: 'Anna Petrova, Tue 24 Nov 10:00', at: new Date(at + i).toISOString(), atMs: at + i, readBy: [], read: false,
  }));
  for (let from = 0; from < COUNT; from += PER_BULK) {
    const logResult = await db.delivery_log.bulkInsert(entries.slice(from, from + PER_BULK) as never);
    const eventResult = await db.team_events.bulkInsert(events.slice(from, from + PER_BULK) as never);
    if (logResult.error.length + eventResult.error.length > 0) throw new Error(JSON.stringify([...logResult.error, ...eventResult.error][0]).slice(0, 500));
  }
}

await write();
const gc = (globalThis as { gc?: () => void }).gc!;
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const alive = (refs: WeakRef<object>[]) => refs.filter((ref) => ref.deref() !== undefined).length;
process.stdout.write(`${JSON.stringify({ written: COUNT, seen: { helper: seen.helper.length, rxdb: seen.rxdb.length }, alive: { helper: alive(seen.helper), rxdb: alive(seen.rxdb) } })}\n`);
helper.unsubscribe();
rxdb.unsubscribe();
await db.close();
rmSync(dir, { recursive: true, force: true });
