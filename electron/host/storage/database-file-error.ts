/**
 * What can be wrong with a database file when it is opened, said the way a salon manager can act on it. Every message
 * says that nothing was changed and what to do; the README's Troubleshooting section quotes them.
 */

export type DatabaseFileProblem = 'damaged' | 'notWritable' | 'missingData' | 'notOurs';

export class DatabaseFileError extends Error {
  readonly code = 'DATABASE_FILE';
  readonly problem: DatabaseFileProblem;
  readonly filePath: string;
  /** What SQLite or the file system said (English), or what is wrong with the file ('missing', 'empty (0 bytes)'). */
  readonly detail: string;
  constructor(problem: DatabaseFileProblem, filePath: string, detail: string) {
    super(databaseFileMessage(problem, filePath, detail));
    this.name = 'DatabaseFileError';
    this.problem = problem;
    this.filePath = filePath;
    this.detail = detail;
  }
}

export function databaseFileMessage(problem: DatabaseFileProblem, filePath: string, detail: string): string {
  switch (problem) {
    case 'damaged':
      return (
        `The database ${filePath} is damaged (${detail}). FrontDesk did not change it. ` +
        'Quit FrontDesk and restore the data folder from your last backup, or open another folder with --data-dir.'
      );
    case 'notWritable':
      return (
        `FrontDesk cannot write to ${filePath} (${detail}). Nothing was changed. ` +
        'Fix its permissions so that your user can read and write it (for example: chmod u+rw), then start FrontDesk again.'
      );
    case 'notOurs':
      return (
        `The file ${filePath} is a database of another program (${detail}), not FrontDesk's. FrontDesk did not change it. ` +
        'Move it out of the data folder (or restore the folder from your last backup), or open another folder with --data-dir.'
      );
    case 'missingData':
      return (
        `The database ${filePath} is ${detail}, but this data folder held a salon. FrontDesk did not change anything. ` +
        'Restore the data folder from your last backup. To start over with an empty salon instead, move this folder aside.'
      );
  }
}

/** SQLite result codes (the primary code, without the extended bits) that say the file is not a sound database. */
const DAMAGED: Record<number, string> = { 11: 'the file is malformed', 26: 'the file is not a database' };
/** ... and the ones that say this user may not write it. */
const NOT_WRITABLE: Record<number, string> = { 3: 'access denied', 8: 'the file is read-only', 14: 'the file cannot be opened', 23: 'access denied' };

/** A DatabaseFileError for an error node:sqlite threw while opening or checking a file, or undefined for others. */
export function classifySqliteOpenError(filePath: string, error: unknown): DatabaseFileError | undefined {
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode !== 'number') return undefined;
  const primary = errcode & 0xff;
  if (DAMAGED[primary]) return new DatabaseFileError('damaged', filePath, DAMAGED[primary]);
  if (NOT_WRITABLE[primary]) return new DatabaseFileError('notWritable', filePath, NOT_WRITABLE[primary]);
  // SQLITE_IOERR_SHORT_READ and friends: a file shorter than its own header says.
  if (primary === 10) return new DatabaseFileError('damaged', filePath, `it could not be read: ${(error as Error).message}`);
  return undefined;
}
