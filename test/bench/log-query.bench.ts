/**
 * `npm run bench:log`: `log.list` (log-query.ts, newest first) per filter over the bench:ui book's 100k delivery-log
 * entries, and `teamEvents.list` (the desk's unread badge, the notification center) over BENCH_TEAM_EVENTS (100k)
 * events of which a tenth are unread, on node:sqlite as the host stores them. Each filter is what a screen asks: the log's type, status and channel
 * filters, a client card's messages and "only this client" (by client), a visit's link (by visit), a channel nobody
 * used. Baseline, in the same run: the same entries in a delivery_log of the previous schema (v2: indexes on atMs,
 * jobId, status and type only), where a filter by client, visit or channel walked the log. One JSON line per filter
 * (p50/p95 of BENCH_LOG_ROUNDS calls after two warm-ups, ratio to the baseline's p95) and one for the migration of
 * the copy (log v2 → v3, center v5 → v6), which a desk's first start after the update runs once. The center's baseline: the handler as it was (a
 * descending sort with a limit, which RxDB answers by reading every match, and the unread count) on team_events v5.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { newestLogEntries } from '../../electron/host/api/log-query.ts';
import { openFrontDeskDatabase } from '../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../electron/host/storage/index.ts';
import type { FrontDeskDatabase } from '../../shared/domain/database-types.ts';
import { deliveryLogSchemaV2, type DeliveryLogEntry } from '../../shared/domain/delivery-log.ts';
import { teamEventSchemaV5, type TeamEvent } from '../../shared/domain/team-event.ts';
import { newestFirst } from '../../electron/host/api/newest-first.ts';
import { emit, envInt, percentile, round } from './engine-bench-support.ts';
import { prepareUiBenchData } from './ui-bench-data.ts';

const ROUNDS = envInt('BENCH_LOG_ROUNDS', 15);
const TEAM_EVENTS = envInt('BENCH_TEAM_EVENTS', 100_000);
const LIMIT = 200;

type Filters = Record<string, string>;

/** The calls as the host makes them: `now` read at each (the same query twice in a row would be answered by RxDB's cache). */
async function time(db: FrontDeskDatabase, filters: Filters): Promise<{ ms: number[]; entries: number }> {
  const ms: number[] = [];
  let entries = 0;
  for (let i = 0; i < ROUNDS + 2; i++) {
    const started = performance.now();
    entries = (await newestLogEntries(db, { filters, limit: LIMIT, now: Date.now() })).length;
    if (i >= 2) ms.push(performance.now() - started);
  }
  return { ms, entries };
}

/** One call of the handler as it is (newest-first.ts on team_events v6) or as it was (a descending sort, v5). */
async function centerCall(db: FrontDeskDatabase, locationId: string, unreadOnly: boolean, limit: number, before: boolean): Promise<number> {
  const selector = unreadOnly ? { locationId, read: false } : { locationId };
  const events = before
    ? await db.team_events.find({ selector: { ...selector, atMs: { $lte: Date.now() } }, sort: [{ atMs: 'desc' }], limit }).exec()
    : await newestFirst<TeamEvent>(db.team_events, { equality: selector, limit, now: Date.now() });
  // The count's selector differs from call to call, as the host's did not: RxDB's query cache would answer it.
  await db.team_events.count({ selector: { locationId, read: false, atMs: { $lte: Date.now() } } }).exec();
  return events.length;
}

async function teamEventsLines(book: FrontDeskDatabase, old: FrontDeskDatabase): Promise<void> {
  const locationId = (await book.locations.find().exec())[0]!.id;
  const now = Date.now();
  // A busy salon's center after months: an event a minute, every tenth still unread.
  const events: TeamEvent[] = Array.from({ length: TEAM_EVENTS }, (_, i) => {
    const atMs = now - (TEAM_EVENTS - i) * 60_000;
    return { id: `bench-event-${i}`, locationId, type: 'newBooking', staffIds: [], title: 'New booking', body: `Visit ${i}`, at: new Date(atMs).toISOString(), atMs, readBy: i % 10 === 0 ? [] : ['desk'], read: i % 10 !== 0 };
  });
  for (let i = 0; i < events.length; i += 5000) {
    await book.team_events.bulkInsert(events.slice(i, i + 5000));
    await old.team_events.bulkInsert(events.slice(i, i + 5000));
  }
  for (const [name, unreadOnly, limit] of [['badge', true, 1], ['center_unread', true, 200], ['center_all', false, 200]] as const) {
    const run = async (db: FrontDeskDatabase, before: boolean) => {
      const ms: number[] = [];
      let found = 0;
      for (let i = 0; i < ROUNDS + 2; i++) {
        const started = performance.now();
        found = await centerCall(db, locationId, unreadOnly, limit, before);
        if (i >= 2) ms.push(performance.now() - started);
      }
      return { ms, found };
    };
    const ours = await run(book, false);
    const before = await run(old, true);
    if (ours.found !== before.found) throw new Error(`${name}: ${ours.found} events against ${before.found} before`);
    emit({
      bench: 'log', name: `team_events_list_${name}`, team_events: TEAM_EVENTS, unread: TEAM_EVENTS / 10, limit, events_found: ours.found,
      p50_ms: round(percentile(ours.ms, 50)), p95_ms: round(percentile(ours.ms, 95)), samples: ours.ms.length, target: null, meets_target: null,
      baseline: 'the handler as it was (descending sort with a limit, and the unread count) on team_events v5', baseline_p50_ms: round(percentile(before.ms, 50)), baseline_p95_ms: round(percentile(before.ms, 95)),
      ratio_p95_vs_baseline: round(percentile(ours.ms, 95) / percentile(before.ms, 95)),
    });
  }
}

async function main(): Promise<void> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const root = mkdtempSync(path.join(tmpdir(), 'frontdesk-bench-log-'));
  try {
    const now = Date.now();
    const bookDir = path.join(root, 'book');
    await prepareUiBenchData({ dataDir: bookDir, now });
    // The baseline: a copy of the book's entries in a delivery_log of schema v2 (a database of its own name: RxDB
    // refuses two open databases of one name), which the migration below then opens as the host opens a book.
    const oldDir = path.join(root, 'v2');
    const book = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: bookDir }), name: 'frontdesk', multiInstance: false });
    const entries = (await book.delivery_log.find().exec()).map((d) => d.toMutableJSON());
    const old = await createRxDatabase({ name: 'frontdesk-v2', storage: wrappedValidateAjvStorage({ storage: getRxStorageNodeSqlite({ directory: oldDir }) }), multiInstance: false });
    await old.addCollections({ delivery_log: { schema: deliveryLogSchemaV2 as never }, team_events: { schema: teamEventSchemaV5 as never } });
    const oldLog = old.collections.delivery_log as RxCollection<DeliveryLogEntry>;
    for (let i = 0; i < entries.length; i += 5000) await oldLog.bulkInsert(entries.slice(i, i + 5000));
    const sample = entries.find((e) => e.clientId && e.appointmentId)!;
    const cases: [string, Filters][] = [
      ['newest', {}],
      ['type', { type: 'reminder' }],
      ['status_failed', { status: 'failed' }],
      ['channel_sms', { channel: 'sms' }],
      ['channel_unused', { channel: 'telegram' }],
      ['type_and_channel', { type: 'reminder', channel: 'email' }],
      ['client', { locationId: sample.locationId, clientId: sample.clientId! }],
      ['visit', { appointmentId: sample.appointmentId! }],
    ];
    for (const [name, filters] of cases) {
      const ours = await time(book, filters);
      const before = await time(old as unknown as FrontDeskDatabase, filters);
      const p95 = percentile(ours.ms, 95);
      const baseP95 = percentile(before.ms, 95);
      emit({
        bench: 'log', name: `log_list_${name}`, filters, entries_found: ours.entries, log_entries: entries.length,
        p50_ms: round(percentile(ours.ms, 50)), p95_ms: round(p95), samples: ours.ms.length, target: null, meets_target: null,
        baseline: 'the same call on schema v2 (no client, visit or channel index)', baseline_p50_ms: round(percentile(before.ms, 50)), baseline_p95_ms: round(baseP95),
        ratio_p95_vs_baseline: round(p95 / baseP95),
      });
      if (ours.entries !== before.entries) throw new Error(`${name}: ${ours.entries} entries against ${before.entries} on v2`);
    }
    await teamEventsLines(book, old as unknown as FrontDeskDatabase);
    await book.close();
    await old.close();
    // The update's one-time migration of the copy (every entry and event copied into the new collections).
    cpSync(oldDir, path.join(root, 'migrated'), { recursive: true });
    const started = performance.now();
    const migrated = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: path.join(root, 'migrated') }), name: 'frontdesk-v2', multiInstance: false });
    const opened = performance.now() - started;
    const count = await migrated.delivery_log.count().exec();
    const teamEvents = await migrated.team_events.count().exec();
    await migrated.close();
    emit({ bench: 'log', name: 'migration', log_entries: count, team_events: teamEvents, ms: round(opened), how: 'open of a book whose delivery_log is schema v2 and team_events v5: every entry and event copied into v3 and v6 (once, at the first start after the update)' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
