/**
 * A failed start as the desk is told it: the host's English text (logs, terminals) and a reason with parameters that
 * the desktop dialog and an open page translate (shared/i18n/start-failure.ts).
 */
import type { StartFailure } from '../../shared/i18n/start-failure.ts';
import { DataFolderError } from './data-folder.ts';
import { DataFolderInUseError } from './data-folder-lock.ts';
import { NewerDatabaseError } from './db/open-database.ts';
import { DatabaseFileError } from './storage/database-file-error.ts';

const DETAIL_CHARS = 300;

export function startFailureOf(error: unknown): StartFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DataFolderInUseError) {
    const holder = error.holder;
    if (!holder) return { message, reason: 'hostStart.dataFolderBusy', params: { dataDir: error.dataDir } };
    return { message, reason: 'hostStart.dataFolderInUse', params: { dataDir: error.dataDir, pid: holder.pid, hostname: holder.hostname, since: holder.since.slice(0, 16).replace('T', ' ') } };
  }
  if (error instanceof DataFolderError) {
    const reasons = { notAFolder: 'hostStart.dataFolderNotAFolder', notWritable: 'hostStart.dataFolderNotWritable', diskFull: 'hostStart.dataFolderDiskFull', readOnly: 'hostStart.dataFolderReadOnly' } as const;
    const reason = reasons[error.problem];
    return { message, reason, params: { dataDir: error.dataDir } };
  }
  if (error instanceof NewerDatabaseError) {
    return { message, reason: 'hostStart.newerDatabase', params: { collection: error.collection, storedVersion: error.storedVersion, knownVersion: error.knownVersion } };
  }
  if (error instanceof DatabaseFileError) {
    const params = { filePath: error.filePath, detail: error.detail.slice(0, DETAIL_CHARS) };
    switch (error.problem) {
      case 'damaged':
        return { message, reason: 'hostStart.databaseDamaged', params };
      case 'notWritable':
        return { message, reason: 'hostStart.databaseNotWritable', params };
      case 'notOurs':
        return { message, reason: 'hostStart.databaseNotOurs', params };
      case 'missingData':
        return { message, reason: error.detail === 'missing' ? 'hostStart.databaseMissing' : 'hostStart.databaseEmpty', params: { filePath: error.filePath } };
    }
  }
  return { message, reason: 'hostStart.unexpected', params: { detail: message.slice(0, DETAIL_CHARS) } };
}
