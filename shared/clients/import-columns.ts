/**
 * Which column of a salon's client export holds what. Salon systems name their columns differently ("Mobile Number",
 * "Телефон", "Phone Number"…); the importer recognises the usual names in English, Russian and German, tells which
 * export it looks like, and the desk can correct any column before importing.
 */

export const IMPORT_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'phone',
  'email',
  'birthday',
  'language',
  'marketingConsent',
  'notes',
  'loyaltyPoints',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Per column of the file, the client field it fills, or null to ignore the column. */
export type ColumnMapping = (ImportField | null)[];

/** The plain template FrontDesk offers for download, and writes when it exports clients. */
export const TEMPLATE_HEADERS: Readonly<Record<Exclude<ImportField, 'fullName'>, string>> = {
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  email: 'email',
  birthday: 'birthday',
  language: 'language',
  marketingConsent: 'marketing_consent',
  notes: 'notes',
  loyaltyPoints: 'loyalty_points',
};

export const TEMPLATE_COLUMNS = Object.keys(TEMPLATE_HEADERS) as Exclude<ImportField, 'fullName'>[];

/**
 * Export layouts of common salon systems, by the headers that identify them. The names are those systems' usual
 * column titles; an export whose columns differ still imports through the synonyms below and the desk's mapping.
 */
export const KNOWN_FORMATS = {
  frontdesk: ['first_name', 'last_name', 'phone', 'email', 'birthday', 'marketing_consent'],
  fresha: ['first name', 'last name', 'mobile number', 'email', 'date of birth', 'accepts marketing'],
  square: ['first name', 'last name', 'email address', 'phone number', 'birthday', 'email subscription status'],
  timely: ['first name', 'last name', 'mobile', 'email', 'birthday', 'notes'],
  yclients: ['имя', 'фамилия', 'телефон', 'email', 'дата рождения', 'комментарий'],
  dikidi: ['клиент', 'телефон', 'e-mail', 'день рождения', 'примечание'],
} as const;
export type ImportFormat = keyof typeof KNOWN_FORMATS | 'other';

const SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  fullName: ['name', 'full name', 'client', 'client name', 'customer', 'customer name', 'фио', 'клиент', 'имя клиента', 'name des kunden', 'kunde'],
  firstName: ['first_name', 'first name', 'firstname', 'given name', 'forename', 'имя', 'vorname'],
  lastName: ['last_name', 'last name', 'lastname', 'surname', 'family name', 'фамилия', 'nachname'],
  phone: [
    'phone', 'phone number', 'mobile', 'mobile number', 'mobile phone', 'cell', 'cell phone', 'telephone', 'tel',
    'телефон', 'мобильный', 'мобильный телефон', 'номер телефона', 'telefon', 'handy', 'mobilnummer', 'telefonnummer',
  ],
  email: ['email', 'e-mail', 'email address', 'e-mail address', 'mail', 'почта', 'электронная почта', 'e-mail-adresse'],
  birthday: ['birthday', 'birth date', 'date of birth', 'dob', 'birthdate', 'дата рождения', 'день рождения', 'geburtstag', 'geburtsdatum'],
  language: ['language', 'lang', 'язык', 'sprache'],
  marketingConsent: [
    'marketing_consent', 'marketing consent', 'accepts marketing', 'marketing', 'email subscription status', 'newsletter',
    'subscribed', 'opt in', 'согласие на рассылку', 'рассылка', 'согласие', 'werbeeinwilligung',
  ],
  notes: ['notes', 'note', 'client notes', 'memo', 'comment', 'comments', 'комментарий', 'примечание', 'заметки', 'notiz', 'notizen'],
  loyaltyPoints: ['loyalty_points', 'loyalty points', 'points', 'bonus points', 'баллы', 'бонусы', 'бонусные баллы', 'punkte'],
};

export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** The export a header row most likely comes from (at least four of its identifying columns present). */
export function detectFormat(headers: readonly string[]): ImportFormat {
  const present = new Set(headers.map(normalizeHeader));
  let best: ImportFormat = 'other';
  let bestScore = 3;
  for (const [format, names] of Object.entries(KNOWN_FORMATS) as [keyof typeof KNOWN_FORMATS, readonly string[]][]) {
    const score = names.filter((name) => present.has(name)).length;
    if (score > bestScore) {
      best = format;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The field of each column by its header; each field is taken once (the first column that names it). A full-name
 * column is used only when there is no first-name column.
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const taken = new Set<ImportField>();
  const mapping: ColumnMapping = headers.map((header) => {
    const name = normalizeHeader(header);
    const field = IMPORT_FIELDS.find((f) => !taken.has(f) && SYNONYMS[f].includes(name));
    if (field) taken.add(field);
    return field ?? null;
  });
  if (taken.has('firstName') && taken.has('fullName')) return mapping.map((f) => (f === 'fullName' ? null : f));
  return mapping;
}

/** What is wrong with a mapping before any row is read: no name column, or a field taken twice. */
export function mappingProblems(mapping: ColumnMapping): { code: 'import.mapping.noName' | 'import.mapping.twice'; params?: { field: string } }[] {
  const problems: { code: 'import.mapping.noName' | 'import.mapping.twice'; params?: { field: string } }[] = [];
  const seen = new Set<ImportField>();
  for (const field of mapping) {
    if (!field) continue;
    if (seen.has(field)) problems.push({ code: 'import.mapping.twice', params: { field } });
    seen.add(field);
  }
  if (!seen.has('firstName') && !seen.has('fullName')) problems.push({ code: 'import.mapping.noName' });
  return problems;
}
