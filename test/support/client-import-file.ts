/**
 * A deterministic, messy client export as salons bring it (German salon, ";"-separated like Excel writes it there):
 * phones in every local format, some typed wrong, birthdays as dd.mm.yyyy with some impossible, duplicates by phone and
 * by email. The expected counts are computed alongside, so tests assert exact numbers.
 */
export interface MessyImportFile {
  csv: string;
  rows: number;
  expected: { valid: number; invalid: number; badPhones: number; badDates: number; duplicates: number; unique: number };
  /** Row numbers (header = 1) of a few invalid rows and why. */
  samples: { row: number; code: string }[];
}

const FIRST = ['Anna', 'Maria', 'Sophie', 'Lena', 'Olga', 'Irina', 'Jonas', 'Lukas', 'Felix', 'Emma', 'Mia', 'Hannah'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Ivanova', 'Petrova'];

export function messyImportFile(rows: number): MessyImportFile {
  const lines = ['Vorname;Nachname;Telefon;E-Mail;Geburtsdatum;Notizen'];
  const expected = { valid: 0, invalid: 0, badPhones: 0, badDates: 0, duplicates: 0, unique: 0 };
  const samples: { row: number; code: string }[] = [];
  const invalidAt = (i: number) => i % 97 === 13 || i % 89 === 7;
  for (let i = 0; i < rows; i++) {
    const row = i + 2;
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7) % LAST.length]!;
    // Unique subscriber numbers and emails; every 50th row repeats the previous row's phone (in another format),
    // every 77th the previous row's email.
    const phoneDuplicate = i > 0 && i % 50 === 0;
    const emailDuplicate = i > 0 && !phoneDuplicate && i % 77 === 0;
    const n = 1_000_000 + (phoneDuplicate ? i - 1 : i);
    const email = `${FIRST[(emailDuplicate ? i - 1 : i) % FIRST.length]!.toLowerCase()}.${emailDuplicate ? i - 1 : i}@example.org`;
    const formats = [`0151 ${n}`, `+49 151 ${n}`, `0049151${n}`, `(0151) ${String(n).slice(0, 3)}-${String(n).slice(3)}`];
    let phone = formats[i % formats.length]!;
    let birthday = `${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${1960 + (i % 40)}`;
    const badPhone = i % 97 === 13;
    const badDate = !badPhone && i % 89 === 7;
    if (badPhone) phone = i % 2 === 0 ? '0151 1' : '0151-CALL-ME';
    if (badDate) birthday = i % 2 === 0 ? '31.02.1990' : '17.13.1985';
    lines.push([first, last, phone, email, birthday, i % 10 === 0 ? '"Prefers; mornings"' : ''].join(';'));
    if (badPhone || badDate) {
      expected.invalid++;
      if (badPhone) expected.badPhones++;
      if (badDate) expected.badDates++;
      if (samples.length < 6) samples.push({ row, code: badPhone ? 'import.phone.invalid' : 'import.birthday.invalid' });
      continue;
    }
    expected.valid++;
    // A repeat of a row that was itself invalid is not a duplicate: that row was never read in.
    if ((phoneDuplicate || emailDuplicate) && !invalidAt(i - 1)) expected.duplicates++;
    else expected.unique++;
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows, expected, samples };
}
