/**
 * Reading one row of a client import: the mapped cells become a client's fields, normalised the way the desk's
 * client card normalises them (phone to E.164 for the salon's country, email with a lower-case domain, birthday as an
 * ISO date). A row with anything the database would refuse is reported with every problem at once and written nowhere.
 */
import { normalizeEmail } from '../domain/email.ts';
import { hasControlCharacter, isBlankName, withoutDirectionControls } from '../domain/names.ts';
import { normalizePhone } from '../domain/phone.ts';
import { LANGUAGES, type Language } from '../notifications/catalog.ts';
import type { ColumnMapping, ImportField } from './import-columns.ts';

export type DateOrder = 'dmy' | 'mdy';

export interface RowReadOptions {
  /** ISO 3166-1 alpha-2 of the salon: local phone numbers are read with its rules. */
  countryCode: string;
  /** How to read "03/04/1990": day first (most of the world) or month first (US). ISO dates are always understood. */
  dateOrder: DateOrder;
  /** Birthdays after this year are refused as typos. */
  currentYear: number;
}

/** A client as the import read it; absent fields were empty or not mapped. */
export interface ImportedClient {
  firstName: string;
  lastName: string;
  phone?: string;
  email?: string;
  birthday?: string;
  language?: Language;
  marketingConsent?: boolean;
  notes?: string;
  loyaltyPoints?: number;
}

export interface RowIssue {
  /** The row's number in the file, the header being row 1 (as a spreadsheet shows it). */
  row: number;
  /** A stable key the desk translates: `import.phone.invalid`, `import.birthday.invalid`, … */
  code: string;
  field?: ImportField;
  params?: Record<string, string | number>;
  /** English fallback. */
  message: string;
}

export type RowResult = { ok: true; client: ImportedClient } | { ok: false; issues: RowIssue[] };

export const IMPORT_LIMITS = { name: 120, notes: 2000, points: 1_000_000, cell: 4000 } as const;

/** The cell as typed, without the apostrophe spreadsheet exports put before a leading + = - @. */
function clean(cell: string | undefined): string {
  const text = (cell ?? '').trim();
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'subscribed', 'opted in', 'opt in', 'да', 'д', 'ja', 'j', 'oui', 'si', 'sí', '+']);
const NO = new Set(['no', 'n', 'false', '0', 'unsubscribed', 'not subscribed', 'opted out', 'opt out', 'нет', 'н', 'nein', 'non', '-']);

export function parseConsent(text: string): boolean | undefined | 'invalid' {
  const value = text.trim().toLowerCase();
  if (value === '') return undefined;
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return 'invalid';
}

const LANGUAGE_NAMES: Readonly<Record<string, Language>> = {
  en: 'en', eng: 'en', english: 'en', английский: 'en', englisch: 'en',
  ru: 'ru', rus: 'ru', russian: 'ru', русский: 'ru', russisch: 'ru',
};

export function parseLanguage(text: string): Language | undefined | 'invalid' {
  const value = text.trim().toLowerCase();
  if (value === '') return undefined;
  const base = value.split(/[-_]/)[0]!;
  const known = LANGUAGE_NAMES[value] ?? LANGUAGE_NAMES[base];
  if (known) return known;
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'invalid';
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1]!;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A birthday in the formats exports use: 1990-05-17 (also with a time after it), 17.05.1990, 17/05/1990 or
 * 05/17/1990 by `order`, 17.05.90, or a day and month without the year (17.05, --05-17). Returns "YYYY-MM-DD" or
 * "--MM-DD", undefined for an empty cell, 'invalid' for anything else (a day that does not exist, a future year).
 */
export function parseBirthday(text: string, order: DateOrder, currentYear: number): string | undefined | 'invalid' {
  const value = text.trim();
  if (value === '') return undefined;
  let year: number | undefined;
  let month: number;
  let day: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(value))) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^--(\d{2})-(\d{2})$/.exec(value))) {
    [month, day] = [Number(m[1]), Number(m[2])];
  } else if ((m = /^(\d{1,2})([./-])(\d{1,2})(?:\2(\d{2}|\d{4}))?\.?$/.exec(value))) {
    const [a, b] = [Number(m[1]), Number(m[3])];
    // A dot is the day-first convention everywhere; slashes and dashes follow the salon's order.
    const dayFirst = m[2] === '.' || order === 'dmy';
    [day, month] = dayFirst ? [a, b] : [b, a];
    if (m[4] !== undefined) {
      year = Number(m[4]);
      // Two-digit years: a birthday is in the past, so "05" is 2005 and "90" is 1990.
      if (m[4].length === 2) year += year <= currentYear % 100 ? 2000 : 1900;
    }
  } else {
    return 'invalid';
  }
  if (year === undefined) return isRealDate(2000, month, day) ? `--${pad(month)}-${pad(day)}` : 'invalid';
  if (year < 1900 || year > currentYear || !isRealDate(year, month, day)) return 'invalid';
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** First name is everything but the last word; the last word is the surname ("Anna Maria Schmidt"). */
function splitName(full: string): { firstName: string; lastName: string } {
  const words = full.split(/\s+/).filter(Boolean);
  if (words.length <= 1) return { firstName: words[0] ?? '', lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1)! };
}

/** Reads one data row. `row` is its number in the file (header = 1), used in every issue. */
export function readImportRow(cells: readonly string[], mapping: ColumnMapping, row: number, options: RowReadOptions): RowResult {
  const value: Partial<Record<ImportField, string>> = {};
  mapping.forEach((field, column) => {
    if (field && value[field] === undefined) value[field] = clean(cells[column]);
  });
  const issues: RowIssue[] = [];
  const problem = (code: string, field: ImportField | undefined, message: string, params?: RowIssue['params']) =>
    issues.push({ row, code, ...(field ? { field } : {}), ...(params ? { params } : {}), message });

  // A name of nothing but zero-width or direction marks is no name.
  let firstName = isBlankName(value.firstName ?? '') ? '' : value.firstName!;
  let lastName = isBlankName(value.lastName ?? '') ? '' : value.lastName!;
  if (firstName === '' && value.fullName) ({ firstName, lastName } = { ...splitName(value.fullName), ...(lastName ? { lastName } : {}) });
  firstName = withoutDirectionControls(firstName).trim();
  lastName = withoutDirectionControls(lastName).trim();
  if (firstName === '' && lastName !== '') [firstName, lastName] = [lastName, ''];
  if (isBlankName(firstName)) problem('import.name.missing', value.firstName !== undefined ? 'firstName' : 'fullName', 'no name');
  else if (hasControlCharacter(firstName) || hasControlCharacter(lastName)) problem('import.name.controlCharacter', 'firstName', 'the name holds a tab, a line break or another control character');
  if (firstName.length > IMPORT_LIMITS.name || lastName.length > IMPORT_LIMITS.name) problem('import.name.tooLong', 'firstName', `the name is longer than ${IMPORT_LIMITS.name} characters`, { max: IMPORT_LIMITS.name });

  const client: ImportedClient = { firstName, lastName };
  if (value.phone) {
    const phone = normalizePhone(value.phone, options.countryCode);
    if (phone.ok) client.phone = phone.e164;
    // The phone rule's own problem and values ride along, so the desk can say why (too short, letters, …).
    else problem('import.phone.invalid', 'phone', phone.error, { ...phone.params, problem: phone.problem, phone: value.phone.slice(0, 40) });
  }
  if (value.email) {
    const email = normalizeEmail(value.email);
    if (email.ok) client.email = email.email;
    else problem('import.email.invalid', 'email', email.error, { email: value.email.slice(0, 80) });
  }
  if (value.birthday) {
    const birthday = parseBirthday(value.birthday, options.dateOrder, options.currentYear);
    if (birthday === 'invalid') problem('import.birthday.invalid', 'birthday', `"${value.birthday}" is not a date of birth`, { birthday: value.birthday.slice(0, 40) });
    else if (birthday) client.birthday = birthday;
  }
  if (value.language) {
    const language = parseLanguage(value.language);
    if (language === 'invalid') problem('import.language.invalid', 'language', `unknown language "${value.language}"`, { language: value.language.slice(0, 40) });
    else if (language) client.language = language;
  }
  if (value.marketingConsent) {
    const consent = parseConsent(value.marketingConsent);
    if (consent === 'invalid') problem('import.consent.invalid', 'marketingConsent', `"${value.marketingConsent}" is neither yes nor no`, { consent: value.marketingConsent.slice(0, 40) });
    else if (consent !== undefined) client.marketingConsent = consent;
  }
  if (value.notes) {
    if (value.notes.length > IMPORT_LIMITS.notes) problem('import.notes.tooLong', 'notes', `the notes are longer than ${IMPORT_LIMITS.notes} characters`, { max: IMPORT_LIMITS.notes });
    else client.notes = value.notes;
  }
  if (value.loyaltyPoints) {
    const points = Number(value.loyaltyPoints.replace(/[\s\u00a0]/g, ''));
    if (!Number.isInteger(points) || points < 0 || points > IMPORT_LIMITS.points) problem('import.points.invalid', 'loyaltyPoints', `"${value.loyaltyPoints}" is not a whole number of points`, { points: value.loyaltyPoints.slice(0, 40) });
    else client.loyaltyPoints = points;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, client };
}
