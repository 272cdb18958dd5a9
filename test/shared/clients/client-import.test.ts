import { describe, expect, it } from 'vitest';
import { csvLine, detectSeparator, parseCsv, readCsv } from '../../../shared/csv/csv.ts';
import { detectFormat, guessMapping, mappingProblems, TEMPLATE_COLUMNS, TEMPLATE_HEADERS } from '../../../shared/clients/import-columns.ts';
import { ClientImportPlan, type ExistingClient } from '../../../shared/clients/import-plan.ts';
import { parseBirthday, parseConsent, readImportRow } from '../../../shared/clients/import-rows.ts';
import { messyImportFile } from '../../support/client-import-file.ts';

const DE = { countryCode: 'DE', dateOrder: 'dmy' as const, currentYear: 2026 };

describe('CSV', () => {
  it('reads quoted cells with separators, quotes and line breaks, any line ending, and a BOM', () => {
    const text = '\uFEFFname;note\r\n"Anna; Maria";"says ""hi""\nthen leaves"\n\nBob;\rCarl;x';
    expect(detectSeparator(text)).toBe(';');
    expect(parseCsv(text)).toEqual([['name', 'note'], ['Anna; Maria', 'says "hi"\nthen leaves'], ['Bob', ''], ['Carl', 'x']]);
  });

  it('detects tab and comma files, and writes cells a spreadsheet reads back', () => {
    expect(detectSeparator('a\tb\tc\n1\t2\t3')).toBe('\t');
    expect(detectSeparator('"a,b";c\n')).toBe(';');
    expect(detectSeparator('a,b,c')).toBe(',');
    const line = csvLine(['Anna, M.', 'says "hi"', '+49151', '=1+1', undefined], ',');
    expect(line).toBe('"Anna, M.","says ""hi""",\'+49151,\'=1+1,');
    expect(parseCsv(line)[0]).toEqual(['Anna, M.', 'says "hi"', "'+49151", "'=1+1", '']);
  });

  it('tells on which line a quote opened that never closes (the rows below it were read into that one cell)', () => {
    const clients = Array.from({ length: 300 }, (_, i) => `C${i},Meier,+4915112${String(i).padStart(5, '0')},x`);
    const broken = ['first_name,last_name,phone,notes', 'Anna,Schmidt,+4915112345678,ok', 'Bob,Weber,+4915112345670,"VIP', ...clients].join('\r\n');
    const reading = readCsv(broken);
    expect(reading.unclosedQuoteLine).toBe(3);
    expect(reading.rows).toHaveLength(3);
    expect(readCsv('a,b\n"multi\nline",x\r\n"two\r\nlines","y"\n"open,z').unclosedQuoteLine).toBe(6);
    expect(readCsv('a,b\n"multi\nline",x\n"say ""hi""",y\n')).toEqual({ rows: [['a', 'b'], ['multi\nline', 'x'], ['say "hi"', 'y']] });
  });
});

describe('columns', () => {
  it('recognises the exports of common salon systems and maps their columns', () => {
    expect(detectFormat(['First Name', 'Last Name', 'Mobile Number', 'Email', 'Date of Birth', 'Accepts Marketing'])).toBe('fresha');
    expect(detectFormat(['Имя', 'Фамилия', 'Телефон', 'Email', 'Дата рождения', 'Комментарий'])).toBe('yclients');
    expect(detectFormat(['First Name', 'Last Name', 'Email Address', 'Phone Number', 'Birthday', 'Email Subscription Status'])).toBe('square');
    expect(detectFormat(Object.values(TEMPLATE_HEADERS))).toBe('frontdesk');
    expect(detectFormat(['Kunde', 'Handy'])).toBe('other');
    expect(guessMapping(['Имя', 'Фамилия', 'Телефон', 'Email', 'Дата рождения', 'Комментарий', 'Пол'])).toEqual(['firstName', 'lastName', 'phone', 'email', 'birthday', 'notes', null]);
    expect(guessMapping(['Клиент', 'Телефон', 'Телефон'])).toEqual(['fullName', 'phone', null]);
    // A full-name column is ignored when first names have their own column.
    expect(guessMapping(['Name', 'First Name', 'Last Name'])).toEqual([null, 'firstName', 'lastName']);
    expect(guessMapping(Object.values(TEMPLATE_HEADERS))).toEqual(TEMPLATE_COLUMNS);
  });

  it('says what is wrong with a mapping before any row is read', () => {
    expect(mappingProblems(['phone', 'email'])).toEqual([{ code: 'import.mapping.noName' }]);
    expect(mappingProblems(['firstName', 'phone', 'phone'])).toEqual([{ code: 'import.mapping.twice', params: { field: 'phone' } }]);
    expect(mappingProblems(['fullName', null])).toEqual([]);
  });
});

describe('rows', () => {
  it('reads birthdays in the formats exports use and refuses days that do not exist', () => {
    expect(parseBirthday('1990-05-17', 'dmy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('1990-05-17T00:00:00Z', 'dmy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('17.05.1990', 'mdy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('05/17/1990', 'mdy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('17/05/1990', 'dmy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('17.05.90', 'dmy', 2026)).toBe('1990-05-17');
    expect(parseBirthday('17.05.05', 'dmy', 2026)).toBe('2005-05-17');
    expect(parseBirthday('29.02', 'dmy', 2026)).toBe('--02-29');
    expect(parseBirthday('--05-17', 'dmy', 2026)).toBe('--05-17');
    expect(parseBirthday('', 'dmy', 2026)).toBeUndefined();
    for (const bad of ['31.02.1990', '17.13.1985', '29.02.2001', '01.01.2030', 'soon', '1990', '05/17/1990']) expect(parseBirthday(bad, 'dmy', 2026), bad).toBe('invalid');
  });

  it('reads consent in several languages', () => {
    expect(['yes', 'Ja', 'да', 'TRUE', '1', 'subscribed'].map(parseConsent)).toEqual([true, true, true, true, true, true]);
    expect(['no', 'Nein', 'нет', 'false', '0', 'unsubscribed'].map(parseConsent)).toEqual([false, false, false, false, false, false]);
    expect(parseConsent('maybe')).toBe('invalid');
  });

  it('normalises a row and lists every problem of a bad one with its row number', () => {
    const mapping = guessMapping(['Name', 'Phone', 'Email', 'Birthday', 'Language', 'Marketing', 'Points']);
    expect(readImportRow(['Anna Maria Schmidt', "'+49 151 2345678", 'Anna@Example.ORG', '17.05.1990', 'Russian', 'yes', '120'], mapping, 2, DE)).toEqual({
      ok: true,
      client: { firstName: 'Anna Maria', lastName: 'Schmidt', phone: '+491512345678', email: 'Anna@example.org', birthday: '1990-05-17', language: 'ru', marketingConsent: true, loyaltyPoints: 120 },
    });
    const bad = readImportRow(['', '12', 'anna@', '31.02.1990', 'Klingon', 'perhaps', '-5'], mapping, 7, DE);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => [i.row, i.code])).toEqual([
      [7, 'import.name.missing'],
      [7, 'import.phone.invalid'],
      [7, 'import.email.invalid'],
      [7, 'import.birthday.invalid'],
      [7, 'import.language.invalid'],
      [7, 'import.consent.invalid'],
      [7, 'import.points.invalid'],
    ]);
  });

  it('refuses a name with a tab, a line break or another control character, and counts a name of invisible marks as none', () => {
    const mapping = guessMapping(['first name', 'last name', 'phone']);
    const codes = (cells: string[]) => {
      const result = readImportRow(cells, mapping, 3, DE);
      return result.ok ? [] : result.issues.map((i) => i.code);
    };
    expect(codes(['Anna\nMaria', 'Schmidt', '0151 2345678'])).toEqual(['import.name.controlCharacter']);
    expect(codes(['Anna', 'Sch\u0000midt', '0151 2345678'])).toEqual(['import.name.controlCharacter']);
    expect(codes(['Anna', 'Sch\tmidt', '0151 2345678'])).toEqual(['import.name.controlCharacter']);
    expect(codes(['\u200B\u200F', '', '0151 2345678'])).toEqual(['import.name.missing']);
    expect(readImportRow(['\u200B', 'Schmidt', '0151 2345678'], mapping, 3, DE)).toMatchObject({ ok: true, client: { firstName: 'Schmidt', lastName: '' } });
    expect(readImportRow(['\u05E9\u05E8\u05D4\u200F', 'Cohen', '0151 2345678'], mapping, 3, DE)).toMatchObject({ ok: true, client: { firstName: 'שרה\u200F' } });
    // Direction overrides and isolates (a phone's contact list wraps names in them) are dropped, as at the desk.
    expect(readImportRow(['\u2068Anna\u2069', 'Sch\u202Emidt', '0151 2345678'], mapping, 3, DE)).toMatchObject({ ok: true, client: { firstName: 'Anna', lastName: 'Schmidt' } });
    expect(codes(['\u202E', '', '0151 2345678'])).toEqual(['import.name.missing']);
  });
});

describe('import plan', () => {
  const existing: ExistingClient[] = [
    { id: 'cli-anna', firstName: 'Anna', lastName: '', phone: '+491511000001', language: 'en', marketingConsent: true, loyaltyPoints: 10 },
  ];

  it('merges duplicates by phone or email into the existing client or an earlier row, never overwriting what is there', () => {
    const mapping = guessMapping(['first name', 'last name', 'phone', 'email', 'birthday', 'marketing']);
    const plan = new ClientImportPlan(existing, mapping, { ...DE, duplicates: 'merge' });
    plan.addRows(
      [
        ['Anna', 'Schmidt', '0151 1000001', 'anna@example.org', '17.05.1990', 'no'],
        ['Bob', 'Meyer', '', 'bob@example.org', '', 'yes'],
        ['Robert', 'Meyer', '0151 2000002', 'BOB@example.org', '01.02.1980', ''],
        ['Carl', '', '0151 3000003', '', '', ''],
      ],
      2,
    );
    expect(plan.summary()).toEqual({ rows: 4, toCreate: 2, toUpdate: 1, duplicates: 2, invalid: 0 });
    expect(plan.changedClients()).toEqual([{ ...existing[0], lastName: 'Schmidt', email: 'anna@example.org', birthday: '1990-05-17', marketingConsent: false }]);
    expect(plan.creates()).toEqual([
      { client: { firstName: 'Bob', lastName: 'Meyer', email: 'bob@example.org', marketingConsent: true, phone: '+491512000002', birthday: '1980-02-01' }, rows: [3, 4] },
      { client: { firstName: 'Carl', lastName: '', phone: '+491513000003' }, rows: [5] },
    ]);
  });

  it('skips duplicates when told to', () => {
    const plan = new ClientImportPlan(existing, ['firstName', 'phone'], { ...DE, duplicates: 'skip' });
    plan.addRows([['Anna', '+49 151 1000001'], ['Dora', '0151 4000004'], ['Dora', '0049 151 4000004']], 2);
    expect(plan.summary()).toEqual({ rows: 3, toCreate: 1, toUpdate: 0, duplicates: 2, invalid: 0 });
  });

  it('counts a 5,000-row export with duplicates, bad phones and bad dates exactly', () => {
    const file = messyImportFile(5000);
    const [header, ...rows] = parseCsv(file.csv);
    expect(rows).toHaveLength(5000);
    const plan = new ClientImportPlan([], guessMapping(header!), { ...DE, duplicates: 'merge' });
    for (let i = 0; i < rows.length; i += 500) plan.addRows(rows.slice(i, i + 500), i + 2);
    expect(plan.summary()).toEqual({ rows: 5000, toCreate: file.expected.unique, toUpdate: 0, duplicates: file.expected.duplicates, invalid: file.expected.invalid });
    expect(file.expected.badPhones).toBeGreaterThan(40);
    expect(file.expected.badDates).toBeGreaterThan(40);
    expect(file.expected.duplicates).toBeGreaterThan(100);
    const issues = plan.issues();
    for (const sample of file.samples) expect(issues.find((i) => i.row === sample.row)?.code).toBe(sample.code);
    expect(plan.creates().find((c) => c.rows[0] === 12)?.client.notes).toBe('Prefers; mornings');
  });
});
