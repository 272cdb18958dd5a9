/**
 * Child process of crash.test.ts: writes batches forever and prints each batch's sequence number once bulkWrite has
 * resolved (= committed). The parent SIGKILLs it at random moments.
 * argv: <directory> <first sequence number> <docs per batch>
 */
import { getRxStorageNodeSqlite, REDERIVABLE_WRITE_CONTEXT } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance } from './storage-fixtures.ts';

const [directory, firstArg, perBatchArg] = process.argv.slice(2);
const perBatch = Number(perBatchArg);
const instance = await openInstance(getRxStorageNodeSqlite({ directory: directory! }) as never, 'crash');
let counter = (await instance.findDocumentsById(['counter'], true))[0];

for (let seq = Number(firstArg); ; seq++) {
  const lwt = 1_700_000_000_000 + seq;
  const rows = [];
  for (let j = 0; j < perBatch; j++) {
    rows.push({ document: { ...makeAppointment(`b${seq}-${j}`, seq * perBatch + j, lwt), note: `batch ${seq}` } });
  }
  // One update per batch too: an update must be as atomic with its batch as the inserts.
  const next = { ...makeAppointment('counter', seq, lwt, `${seq}-c`), note: String(seq) };
  rows.push(counter ? { previous: counter, document: next } : { document: next });
  // Every third batch is written as re-derivable (no fsync of its own): a process kill must not tell them apart.
  const result = await instance.bulkWrite(rows as never, seq % 3 === 0 ? REDERIVABLE_WRITE_CONTEXT : 'crash');
  if (result.error.length > 0) {
    throw new Error(`unexpected write error: ${JSON.stringify(result.error[0])}`);
  }
  counter = next as never;
  process.stdout.write(`${seq}\n`);
}
