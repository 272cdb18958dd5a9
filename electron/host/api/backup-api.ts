/** Backups of the book: the list in the data folder's backups/ folder, and "Back up now" (backup/backup-service.ts). */
import { ApiError } from '../../../shared/ipc/result.ts';
import type { BackupError } from '../backup/backup-service.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';

export function backupHandlers(runtime: () => SalonRuntime): Pick<Handlers, 'backup.status' | 'backup.now'> {
  return {
    'backup.status': () => runtime().backups.status(),
    'backup.now': async () => {
      const backups = runtime().backups;
      try {
        await backups.backupNow();
      } catch (error) {
        const problem = (error as Partial<BackupError>).problem;
        if (!problem) throw error;
        throw new ApiError('unavailable', `The backup could not be made: ${problem.params['detail'] ?? ''}`, { reason: problem.code, params: problem.params });
      }
      return backups.status();
    },
  };
}
