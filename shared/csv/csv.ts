/**
 * CSV as salons exchange it: RFC 4180 quoting, any line ending, an optional BOM, and the separator the exporting
 * program used (",", ";" from spreadsheet apps in comma-decimal locales, or a tab). Reading never throws: a file that
 * is not CSV still parses into rows, and the importer reports what it cannot use.
 */

export type CsvSeparator = ',' | ';' | '\t';

const SEPARATORS: readonly CsvSeparator[] = [',', ';', '\t'];

/**
 * The separator of a file, from its first line: the candidate that splits the header into the most fields outside
 * quotes (a header line has no empty fields, so the count is a fair vote).
 */
export function detectSeparator(text: string): CsvSeparator {
  const firstLine = firstRecord(text);
  let best: CsvSeparator = ',';
  let bestCount = 0;
  for (const separator of SEPARATORS) {
    let count = 0;
    let quoted = false;
    for (const char of firstLine) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === separator) count++;
    }
    if (count > bestCount) {
      best = separator;
      bestCount = count;
    }
  }
  return best;
}

function firstRecord(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return text.slice(0, i);
  }
  return text.slice(0, 64 * 1024);
}

/**
 * Parses CSV text into rows of cells. Quoted cells may hold separators, quotes ("") and line breaks. Lines that are
 * entirely empty are dropped; a missing closing quote ends the cell at the end of the text.
 */
export function parseCsv(input: string, separator: CsvSeparator = detectSeparator(input)): string[][] {
  return readCsv(input, separator).rows;
}

export interface CsvReading {
  rows: string[][];
  /**
   * The line (1 = the first) where a quoted cell opened that never closed: every line after it was read into that one
   * cell, so the rows below it are not in `rows` — an importer must say so rather than import the rows above only.
   */
  unclosedQuoteLine?: number;
}

/** parseCsv, and where a quote that never closes swallowed the rest of the text. */
export function readCsv(input: string, separator: CsvSeparator = detectSeparator(input)): CsvReading {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let openedLine = 1;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    cell = '';
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line++;
      cell += char;
      i++;
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      // A quote opens a quoted cell only at its start (spaces before it are dropped, as spreadsheet apps do).
      cell = '';
      quoted = true;
      openedLine = line;
    } else if (char === separator) {
      row.push(cell);
      cell = '';
    } else if (char === '\r') {
      endRow();
      line++;
      if (text[i + 1] === '\n') i++;
    } else if (char === '\n') {
      endRow();
      line++;
    } else {
      cell += char;
    }
    i++;
  }
  if (cell !== '' || row.length > 0) endRow();
  return quoted ? { rows, unclosedQuoteLine: openedLine } : { rows };
}

/**
 * One cell for a spreadsheet: quoted when it holds the separator, a quote or a line break; a leading = + - @ (a
 * formula in spreadsheet apps) is defused with an apostrophe.
 */
export function csvCell(value: unknown, separator: string): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[], separator: string): string {
  return cells.map((cell) => csvCell(cell, separator)).join(separator);
}

/** ";" for locales whose decimal mark is a comma (spreadsheets there split on ";"), else ",". */
export function csvSeparatorFor(locale: string): ',' | ';' {
  try {
    const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    return decimal === ',' ? ';' : ',';
  } catch {
    return ',';
  }
}
