/**
 * Driving a client import over the API from a desk (or a benchmark): the file's rows go to the host in chunks that
 * stay within the request limits, the host's counts come back after each (a progress bar), and a cancel between
 * chunks closes the import on the host — nothing was written, because only `clients.importCommit` writes.
 */
import type { ApiClient } from '../ipc/client.ts';
import type { RequestOf, ResponseOf } from '../ipc/contract.ts';
import type { ImportSummary } from './import-plan.ts';
import type { RowIssue } from './import-rows.ts';

/** A chunk's rows at most (the contract's bound) and its approximate JSON size at most (the request limit is 256 KiB). */
export const CHUNK_ROWS = 500;
export const CHUNK_BYTES = 160 * 1024;
/** The contract's bounds on a row: the importer reads no more columns, and no cell longer (longer ones are refused by it anyway). */
export const MAX_COLUMNS = 60;
export const MAX_CELL = 4000;

export type ImportStart = RequestOf<'clients.importStart'>;

export interface CheckProgress {
  sentRows: number;
  totalRows: number;
  summary: ImportSummary;
}

export type CheckResult = { cancelled: true } | { cancelled: false; importId: string; summary: ImportSummary; issues: RowIssue[] };

/** Rows as the contract accepts them: at most MAX_COLUMNS cells of at most MAX_CELL characters. */
function bounded(row: readonly string[]): string[] {
  const cells = row.length > MAX_COLUMNS ? row.slice(0, MAX_COLUMNS) : [...row];
  for (let i = 0; i < cells.length; i++) if (cells[i]!.length > MAX_CELL) cells[i] = cells[i]!.slice(0, MAX_CELL);
  return cells;
}

/** Splits data rows into chunks by count and size; `first` is the file row of each chunk's first row (header = 1). */
export function chunkRows(rows: readonly (readonly string[])[]): { first: number; rows: string[][] }[] {
  const chunks: { first: number; rows: string[][] }[] = [];
  let current: string[][] = [];
  let bytes = 0;
  let first = 2;
  rows.forEach((row, i) => {
    const cells = bounded(row);
    const size = cells.reduce((sum, c) => sum + c.length * 2 + 3, 2);
    if (current.length > 0 && (current.length >= CHUNK_ROWS || bytes + size > CHUNK_BYTES)) {
      chunks.push({ first, rows: current });
      current = [];
      bytes = 0;
      first = i + 2;
    }
    current.push(cells);
    bytes += size;
  });
  if (current.length > 0) chunks.push({ first, rows: current });
  return chunks;
}

/**
 * Sends every row to a new import on the host and answers the plan's counts and invalid rows, or `cancelled` when
 * `isCancelled()` turned true between two chunks (the host's import is then closed). A failure closes it too.
 */
export async function checkImport(
  api: ApiClient,
  start: ImportStart,
  rows: readonly (readonly string[])[],
  options: { onProgress?(progress: CheckProgress): void; isCancelled?(): boolean } = {},
): Promise<CheckResult> {
  const { importId } = await api.call('clients.importStart', start);
  const issues: RowIssue[] = [];
  let summary: ImportSummary = { rows: 0, toCreate: 0, toUpdate: 0, duplicates: 0, invalid: 0 };
  let sentRows = 0;
  try {
    for (const chunk of chunkRows(rows)) {
      if (options.isCancelled?.()) {
        await api.call('clients.importCancel', { importId });
        return { cancelled: true };
      }
      const answer: ResponseOf<'clients.importRows'> = await api.call('clients.importRows', { importId, firstRow: chunk.first, rows: chunk.rows });
      summary = answer.summary;
      issues.push(...(answer.issues as RowIssue[]));
      sentRows += chunk.rows.length;
      options.onProgress?.({ sentRows, totalRows: rows.length, summary });
    }
    if (options.isCancelled?.()) {
      await api.call('clients.importCancel', { importId });
      return { cancelled: true };
    }
  } catch (error) {
    await api.request('clients.importCancel', { importId });
    throw error;
  }
  return { cancelled: false, importId, summary, issues };
}
