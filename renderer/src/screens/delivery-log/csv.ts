/**
 * CSV export of delivery-log entries as a manager opens it in a spreadsheet: times in the salon's zone, the salon
 * locale's list separator (";" where the decimal mark is a comma, as in Germany — Excel splits on it), labels in the
 * desk's language with the raw codes in extra columns, RFC 4180 quoting of any cell holding the separator, a quote or
 * a line break, a BOM for spreadsheet apps, and no formula injection.
 */
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';

export const CSV_COLUMNS = [
  'when', 'client', 'type', 'channel', 'status', 'recipient', 'reason', 'subject', 'body',
  'atUtc', 'typeCode', 'channelCode', 'statusCode', 'reasonCode', 'clientId', 'appointmentId', 'jobId', 'providerReply', 'id',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvOptions {
  separator: ',' | ';';
  timeZone: string;
  headers: Readonly<Record<CsvColumn, string>>;
  typeLabel(code: string): string;
  channelLabel(code: string): string;
  statusLabel(code: string): string;
  reasonText(entry: DeliveryLogEntry): string | undefined;
  clientName(clientId: string): string | undefined;
}

/** ";" for locales whose decimal mark is a comma (spreadsheets there split on ";"), else ",". */
export function csvSeparator(locale: string): ',' | ';' {
  try {
    const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    return decimal === ',' ? ';' : ',';
  } catch {
    return ',';
  }
}

export function csvCell(value: unknown, separator: string): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // A cell starting with = + - @ (or a tab/CR) would run as a formula in spreadsheet apps.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const stampFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-12-02 18:00:05" on the salon's clock. */
export function salonStamp(ms: number, timeZone: string): string {
  let format = stampFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    stampFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

export function toCsv(entries: readonly DeliveryLogEntry[], o: CsvOptions): string {
  const row = (cells: readonly unknown[]) => cells.map((cell) => csvCell(cell, o.separator)).join(o.separator);
  const lines = [row(CSV_COLUMNS.map((c) => o.headers[c]))];
  for (const e of entries) {
    const values: Record<CsvColumn, unknown> = {
      when: salonStamp(e.atMs, o.timeZone),
      client: e.clientId ? (o.clientName(e.clientId) ?? '') : '',
      type: o.typeLabel(e.type),
      channel: o.channelLabel(e.channel),
      status: o.statusLabel(e.status),
      recipient: e.recipient,
      reason: o.reasonText(e) ?? '',
      subject: e.subject,
      body: e.body,
      atUtc: e.at,
      typeCode: e.type,
      channelCode: e.channel,
      statusCode: e.status,
      reasonCode: e.reasonCode,
      clientId: e.clientId,
      appointmentId: e.appointmentId,
      jobId: e.jobId,
      providerReply: e.providerReply,
      id: e.id,
    };
    lines.push(row(CSV_COLUMNS.map((c) => values[c])));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  document.body.removeChild(a);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
