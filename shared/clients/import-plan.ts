/**
 * A client import as a plan, built row by row before anything is written: which rows become new clients, which are
 * duplicates (of a client already in the salon or of an earlier row, by phone number or email address) to merge or
 * skip, and which are invalid, with why. The host writes the finished plan in one transaction, so an import either
 * happens whole or not at all.
 */
import type { Client } from '../domain/client.ts';
import type { ColumnMapping } from './import-columns.ts';
import { readImportRow, type ImportedClient, type RowIssue, type RowReadOptions } from './import-rows.ts';

export type DuplicatePolicy = 'merge' | 'skip';

export interface ImportPlanOptions extends RowReadOptions {
  duplicates: DuplicatePolicy;
}

export interface ImportSummary {
  /** Data rows read so far. */
  rows: number;
  toCreate: number;
  /** Existing clients that get fields from the file (merge). */
  toUpdate: number;
  /** Rows that were duplicates: merged into an existing client or an earlier row, or skipped. */
  duplicates: number;
  invalid: number;
}

/** A new client and the rows of the file it came from (more than one when later rows were merged into it). */
export interface PlannedClient {
  client: ImportedClient;
  rows: number[];
}

export type ExistingClient = Pick<Client, 'id' | 'firstName' | 'lastName' | 'phone' | 'email' | 'birthday' | 'language' | 'marketingConsent' | 'notes' | 'loyaltyPoints'>;

/** Invalid rows kept for the report; the count goes on beyond it. */
export const MAX_REPORTED_ISSUES = 5000;

type Merged = ImportedClient | ExistingClient;

/**
 * Fills what the target lacks from the row; never overwrites what the salon already has. A "no" to marketing is
 * honoured (a withdrawn consent), a "yes" never grants consent a client already has not given. Notes are appended.
 */
export function mergeInto<T extends Merged>(target: T, row: ImportedClient, keyFree: (key: string) => boolean): T {
  const next = { ...target };
  if (next.lastName === '' && row.lastName !== '') next.lastName = row.lastName;
  if (next.phone === undefined && row.phone !== undefined && keyFree(`p:${row.phone}`)) next.phone = row.phone;
  if (next.email === undefined && row.email !== undefined && keyFree(`e:${row.email.toLowerCase()}`)) next.email = row.email;
  if (next.birthday === undefined && row.birthday !== undefined) next.birthday = row.birthday;
  if (row.marketingConsent === false) next.marketingConsent = false;
  else if (row.marketingConsent === true && next.marketingConsent === undefined) next.marketingConsent = true;
  if ('id' in next) {
    if (row.notes && !(next.notes ?? '').includes(row.notes)) next.notes = [next.notes, row.notes].filter(Boolean).join('\n').slice(0, 2000);
  } else {
    if (next.language === undefined && row.language !== undefined) next.language = row.language;
    if (row.notes && !(next.notes ?? '').includes(row.notes)) next.notes = [next.notes, row.notes].filter(Boolean).join('\n').slice(0, 2000);
    if (next.loyaltyPoints === undefined && row.loyaltyPoints !== undefined) next.loyaltyPoints = row.loyaltyPoints;
  }
  return next;
}

function keysOf(client: { phone?: string | undefined; email?: string | undefined }): string[] {
  return [...(client.phone ? [`p:${client.phone}`] : []), ...(client.email ? [`e:${client.email.toLowerCase()}`] : [])];
}

export class ClientImportPlan {
  readonly options: ImportPlanOptions;
  readonly mapping: ColumnMapping;
  readonly #existing = new Map<string, ExistingClient>();
  /** Phone ("p:+49…") and email ("e:…") keys to an existing client's id or a planned client's index ("#3"). */
  readonly #keys = new Map<string, string>();
  readonly #creates: PlannedClient[] = [];
  readonly #updates = new Map<string, { before: ExistingClient; after: ExistingClient; rows: number[] }>();
  readonly #issues: RowIssue[] = [];
  #rows = 0;
  #duplicates = 0;
  #invalid = 0;

  constructor(existing: readonly ExistingClient[], mapping: ColumnMapping, options: ImportPlanOptions) {
    this.options = options;
    this.mapping = mapping;
    for (const client of existing) {
      this.#existing.set(client.id, client);
      for (const key of keysOf(client)) if (!this.#keys.has(key)) this.#keys.set(key, client.id);
    }
  }

  /** Reads data rows; `firstRow` is the file row number of the first one (2 for the row after the header). */
  addRows(rows: readonly (readonly string[])[], firstRow: number): void {
    rows.forEach((cells, i) => this.#addRow(cells, firstRow + i));
  }

  #addRow(cells: readonly string[], row: number): void {
    this.#rows++;
    const read = readImportRow(cells, this.mapping, row, this.options);
    if (!read.ok) {
      this.#invalid++;
      const room = MAX_REPORTED_ISSUES - this.#issues.length;
      if (room > 0) this.#issues.push(...read.issues.slice(0, room));
      return;
    }
    const client = read.client;
    const match = keysOf(client).map((key) => this.#keys.get(key)).find((owner) => owner !== undefined);
    if (match === undefined) {
      const index = this.#creates.length;
      this.#creates.push({ client, rows: [row] });
      for (const key of keysOf(client)) this.#keys.set(key, `#${index}`);
      return;
    }
    this.#duplicates++;
    // The row's other phone or email belongs to the same person: a later row with it is a duplicate too.
    for (const key of keysOf(client)) if (!this.#keys.has(key)) this.#keys.set(key, match);
    if (this.options.duplicates === 'skip') return;
    if (match.startsWith('#')) {
      const planned = this.#creates[Number(match.slice(1))]!;
      planned.client = mergeInto(planned.client, client, (key) => this.#claim(key, match));
      planned.rows.push(row);
      return;
    }
    const update = this.#updates.get(match) ?? { before: this.#existing.get(match)!, after: this.#existing.get(match)!, rows: [] };
    update.after = mergeInto(update.after, client, (key) => this.#claim(key, match));
    update.rows.push(row);
    this.#updates.set(match, update);
  }

  /** A phone or email may be filled in by a merge only if no other client has it. */
  #claim(key: string, owner: string): boolean {
    const current = this.#keys.get(key);
    if (current !== undefined && current !== owner) return false;
    this.#keys.set(key, owner);
    return true;
  }

  summary(): ImportSummary {
    return { rows: this.#rows, toCreate: this.#creates.length, toUpdate: this.changedClients().length, duplicates: this.#duplicates, invalid: this.#invalid };
  }

  /** Problems of invalid rows, in file order (the first MAX_REPORTED_ISSUES). */
  issues(): readonly RowIssue[] {
    return this.#issues;
  }

  creates(): readonly PlannedClient[] {
    return this.#creates;
  }

  /** Existing clients a merge actually changed, as they will be. */
  changedClients(): ExistingClient[] {
    return [...this.#updates.values()].filter((u) => JSON.stringify(u.before) !== JSON.stringify(u.after)).map((u) => u.after);
  }
}
