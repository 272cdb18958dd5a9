/**
 * `npm run bench:import`: a client import as the desk runs it — a messy salon export of BENCH_IMPORT_ROWS rows
 * (default 5,000; duplicates, bad phones, bad dates) checked chunk by chunk through the host's API and committed in one
 * go — on a host with its SQLite files, against a baseline measured in the same run on the same database: RxDB's
 * bulkInsert of as many ready-made client documents (the least a write of those clients costs). Prints one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FrontDeskHost } from '../../electron/host/host.ts';
import { guessMapping } from '../../shared/clients/import-columns.ts';
import { checkImport } from '../../shared/clients/import-run.ts';
import { parseCsv } from '../../shared/csv/csv.ts';
import type { Client } from '../../shared/domain/client.ts';
import { createApiClient } from '../../shared/ipc/client.ts';
import { LOCATION_ID, salonClient, seedSalon } from '../electron/host/engine/integration/support/salon.ts';
import { messyImportFile } from '../support/client-import-file.ts';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 5000);
/** What a receptionist waits for a 5,000-client base, end to end: well under a minute. */
const TARGET_MS_PER_1000_ROWS = 2000;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bench-import-'));
const keyDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-bench-import-keys-'));
const host = new FrontDeskHost({ dataDir, keyDir, mode: 'web', version: 'bench' });
try {
  await host.start();
  const db = host.runtime.db;
  const now = Date.now();
  await seedSalon(db, { now, clients: Array.from({ length: 300 }, (_, i) => salonClient(`c-existing-${i}`, now, { phone: `+4917000${String(i).padStart(5, '0')}`, email: `existing.${i}@example.net` })) });
  await host.runtime.engine.idle();

  const file = messyImportFile(rows);
  const parseStart = performance.now();
  const [header, ...data] = parseCsv(file.csv);
  const parseMs = performance.now() - parseStart;
  const api = createApiClient({ call: (channel, payload) => host.api.call(channel, payload) });

  const checkStart = performance.now();
  const checked = await checkImport(api, { locationId: LOCATION_ID, mapping: guessMapping(header!), duplicates: 'merge', dateOrder: 'dmy' }, data);
  const checkMs = performance.now() - checkStart;
  if (checked.cancelled) throw new Error('the import was cancelled');
  const commitStart = performance.now();
  const committed = await api.call('clients.importCommit', { importId: checked.importId });
  const commitMs = performance.now() - commitStart;
  if (committed.created !== file.expected.unique) throw new Error(`imported ${committed.created} clients, expected ${file.expected.unique}`);

  // Baseline: as many finished client documents, written by RxDB's bulkInsert into the same database.
  const ready: Client[] = Array.from({ length: committed.created }, (_, i) => salonClient(`c-baseline-${i}`, now, { locationId: 'loc-baseline', phone: `+4916000${String(i).padStart(6, '0')}`, email: `baseline.${i}@example.net` }));
  const baseStart = performance.now();
  await db.clients.bulkInsert(ready);
  const baselineMs = performance.now() - baseStart;

  const totalMs = parseMs + checkMs + commitMs;
  const round = (n: number) => +n.toFixed(1);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'clients.import',
      rows,
      created: committed.created,
      duplicates: committed.summary.duplicates,
      invalid: committed.summary.invalid,
      parse_ms: round(parseMs),
      check_ms: round(checkMs),
      commit_ms: round(commitMs),
      total_ms: round(totalMs),
      rows_per_s: Math.round(rows / (totalMs / 1000)),
      target: `< ${TARGET_MS_PER_1000_ROWS} ms per 1,000 rows end to end`,
      meets_target: totalMs < (TARGET_MS_PER_1000_ROWS * rows) / 1000,
      baseline: 'RxDB bulkInsert of the same number of ready client documents, same database',
      baseline_ms: round(baselineMs),
      ratio_total: round(totalMs / baselineMs),
      ratio_commit: round(commitMs / baselineMs),
      load_average_1m: +os.loadavg()[0]!.toFixed(2),
    })}\n`,
  );
} finally {
  await host.stop();
  await rm(dataDir, { recursive: true, force: true });
  await rm(keyDir, { recursive: true, force: true });
}
