/** CSV export of delivery-log entries: RFC 4180 quoting, a BOM for spreadsheet apps, and no formula injection. */
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';

export const CSV_COLUMNS = ['at', 'type', 'channel', 'status', 'recipient', 'reason', 'subject', 'body', 'clientId', 'appointmentId', 'jobId', 'providerReply', 'locationId', 'id'] as const;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // A cell starting with = + - @ (or a tab/CR) would run as a formula in spreadsheet apps.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(entries: readonly DeliveryLogEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((c) => csvCell(entry[c])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
