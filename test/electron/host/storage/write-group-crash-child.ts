/**
 * Child process of write-group.test.ts: writes one document to each of two collections of one file — together
 * (`group`) or one transaction each (`apart`) — says `written` after the second write and kills itself with SIGKILL
 * before the group's function returns, i.e. before a group could commit.
 * argv: <directory> group|apart
 */
import { getRxStorageNodeSqlite, writeTogether } from '../../../../electron/host/storage/index.ts';
import { makeAppointment, openInstance } from './storage-fixtures.ts';

const [directory, mode] = process.argv.slice(2);
const storage = getRxStorageNodeSqlite({ directory: directory! }) as never;
const jobs = await openInstance(storage, 'crashgroup', 'jobs');
const log = await openInstance(storage, 'crashgroup', 'log');

async function writeBoth(): Promise<void> {
  await jobs.bulkWrite([{ document: makeAppointment('job-1', 1, 1_700_000_000_001) }], 'child');
  await log.bulkWrite([{ document: makeAppointment('entry-1', 1, 1_700_000_000_001) }], 'child');
  process.stdout.write('written\n');
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => undefined);
}

if (mode === 'group') await writeTogether(jobs, writeBoth);
else await writeBoth();
