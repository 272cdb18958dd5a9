/**
 * The backup channels of the IPC contract (merged into `contract`): what backups of the book this desk keeps in its
 * data folder, and "Back up now". A failed copy answers `unavailable` with the reason `backup.diskFull`,
 * `backup.readOnly` or `backup.failed` (params: folder, detail), which the desk translates.
 */
import { z } from 'zod';

const empty = z.object({}).strict();

export const backupView = z.object({
  /** False when the book is not kept in a file on this computer: nothing to back up. */
  available: z.boolean(),
  folder: z.string(),
  running: z.boolean(),
  /** Newest first. */
  backups: z.array(z.object({ file: z.string(), at: z.string(), bytes: z.number() })),
  nextAt: z.string().optional(),
  /** The last automatic or asked-for backup failed (cleared by the next one that works). */
  problem: z.object({ code: z.string(), params: z.record(z.string(), z.string()), at: z.string() }).optional(),
});

export const backupContract = {
  'backup.status': { request: empty, response: backupView },
  'backup.now': { request: empty, response: backupView },
} as const;

export type BackupView = z.infer<typeof backupView>;
