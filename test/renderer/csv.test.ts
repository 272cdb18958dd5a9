import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, csvSeparator, salonStamp, toCsv, type CsvColumn } from '../../renderer/src/screens/delivery-log/csv.ts';
import type { DeliveryLogEntry } from '../../shared/domain/delivery-log.ts';

const at = Date.UTC(2026, 11, 2, 17, 0, 5);
const entry: DeliveryLogEntry = {
  id: 'e1', locationId: 'loc1', jobId: 'reminder|a1|120m@1|cascade', type: 'reminder', channel: 'sms', recipient: '+4915112345678', status: 'notTried',
  reason: 'no SMS: the client has no phone number', reasonCode: 'channel.noPhone', subject: 'Hello; "friend"', body: 'line 1\nline 2', clientId: 'c1', appointmentId: 'a1',
  at: new Date(at).toISOString(), atMs: at,
};
const headers = Object.fromEntries(CSV_COLUMNS.map((c) => [c, `H-${c}`])) as Record<CsvColumn, string>;

describe('delivery-log CSV', () => {
  it('uses the salon locale’s separator: ";" where the decimal mark is a comma', () => {
    expect(csvSeparator('de-DE')).toBe(';');
    expect(csvSeparator('ru-RU')).toBe(';');
    expect(csvSeparator('en-GB')).toBe(',');
    expect(csvSeparator('en-US')).toBe(',');
  });

  it('writes salon time, human labels, raw codes in their own columns, and quotes what needs quoting', () => {
    const csv = toCsv([entry], {
      separator: ';', timeZone: 'Europe/Berlin', headers,
      typeLabel: () => 'Reminder', channelLabel: () => 'SMS', statusLabel: () => 'Not tried', reasonText: () => 'No SMS: the client has no phone number', clientName: () => 'Anna Klein',
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [head, row] = csv.slice(1).split('\r\n');
    expect(head).toBe(CSV_COLUMNS.map((c) => `H-${c}`).join(';'));
    expect(row).toContain('2026-12-02 18:00:05;Anna Klein;Reminder;SMS;Not tried;');
    expect(row).toContain(';"Hello; ""friend""";"line 1\nline 2";');
    expect(row).toContain(`;${entry.at};reminder;sms;notTried;channel.noPhone;c1;a1;`);
    // A phone number starting with + would be a formula.
    expect(row).toContain(";'+4915112345678;");
  });

  it('quotes cells holding the separator in use, whichever it is', () => {
    expect(csvCell('a,b', ',')).toBe('"a,b"');
    expect(csvCell('a,b', ';')).toBe('a,b');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('=SUM(A1)', ',')).toBe("'=SUM(A1)");
    expect(salonStamp(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin')).toBe('2026-03-29 03:30:00');
  });
});
