/**
 * Contact details typed at the desk, checked and normalised by the same rules in the form (before Save) and in the
 * host (the one that writes): phone to E.164 for the location's country, email trimmed with a lower-case domain,
 * birthday a real date. Each problem is an issue with a code (`client.phone.length`, …) and the field it belongs to.
 */
import { BIRTHDAY_PATTERN, type Client } from './client.ts';
import { normalizeEmail } from './email.ts';
import { issue, type Issue } from './issues.ts';
import { hasControlCharacter, isBlankName, withoutDirectionControls } from './names.ts';
import { normalizePhone } from './phone.ts';
import { isCalendarDate } from './zoned-time.ts';

/** The editable contact fields as typed. Absent = leave as it is (on an update); '' = clear (phone, email, birthday). */
export interface ClientContactInput {
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  birthday?: string;
}

/** Normalised values; `null` means "clear this field", absent means "not given". */
export interface ClientContactChange {
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  email?: string | null;
  birthday?: string | null;
}

export type ClientContactResult = { ok: true; value: ClientContactChange } | { ok: false; issues: Issue[] };

const BIRTHDAY = new RegExp(BIRTHDAY_PATTERN);

/** "YYYY-MM-DD" of a day that exists, or "--MM-DD" of a day that exists in some year (29 February included). */
export function isBirthday(text: string): boolean {
  if (!BIRTHDAY.test(text)) return false;
  return isCalendarDate(text.startsWith('--') ? `2000${text.slice(1)}` : text);
}

export function checkClientContact(input: ClientContactInput, countryCode: string): ClientContactResult {
  const issues: Issue[] = [];
  const value: ClientContactChange = {};
  if (input.firstName !== undefined) {
    const firstName = withoutDirectionControls(input.firstName).trim();
    if (isBlankName(firstName)) issues.push(issue('client.firstName.required', 'firstName', 'enter the first name'));
    else if (hasControlCharacter(firstName)) issues.push(controlCharacterIssue('firstName'));
    else value.firstName = firstName;
  }
  if (input.lastName !== undefined) {
    const lastName = withoutDirectionControls(input.lastName).trim();
    if (isBlankName(lastName)) value.lastName = '';
    else if (hasControlCharacter(lastName)) issues.push(controlCharacterIssue('lastName'));
    else value.lastName = lastName;
  }
  if (input.phone !== undefined) {
    if (input.phone.trim() === '') value.phone = null;
    else {
      const phone = checkedPhone(input.phone, countryCode, issues);
      if (phone !== undefined) value.phone = phone;
    }
  }
  if (input.email !== undefined) {
    const email = checkedEmail(input.email, issues);
    if (email !== undefined) value.email = email;
  }
  if (input.birthday !== undefined) {
    const birthday = input.birthday.trim();
    if (birthday === '') value.birthday = null;
    else if (isBirthday(birthday)) value.birthday = birthday;
    else issues.push(issue('client.birthday.invalid', 'birthday', `birthday "${birthday}" is not a date: use YYYY-MM-DD, or --MM-DD without the year`, { birthday }));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

function controlCharacterIssue(field: 'firstName' | 'lastName'): Issue {
  return issue('client.name.controlCharacter', field, 'the name holds a tab, a line break or another control character: type it again on one line');
}

/** A typed phone in E.164 for the country, or undefined with the problem added to `issues` (field `phone`). */
export function checkedPhone(text: string, countryCode: string, issues: Issue[]): string | undefined {
  const phone = normalizePhone(text, countryCode);
  if (phone.ok) return phone.e164;
  issues.push(issue(`client.phone.${phone.problem}`, 'phone', phone.error, phone.params));
  return undefined;
}

/** A typed email: '' clears it (null), else normalised, or undefined with the problem added to `issues` (field `email`). */
export function checkedEmail(text: string, issues: Issue[]): string | null | undefined {
  if (text.trim() === '') return null;
  const email = normalizeEmail(text);
  if (email.ok) return email.email;
  issues.push(issue('client.email.invalid', 'email', email.error, { email: text.trim() }));
  return undefined;
}

/** The client after a change: `null` clears a field, absent keeps it. */
export function applyContactChange<T extends Pick<Client, 'firstName' | 'lastName' | 'phone' | 'email' | 'birthday'>>(client: T, change: ClientContactChange): T {
  const next = { ...client };
  if (change.firstName !== undefined) next.firstName = change.firstName;
  if (change.lastName !== undefined) next.lastName = change.lastName;
  for (const key of ['phone', 'email', 'birthday'] as const) {
    const v = change[key];
    if (v === null) delete next[key];
    else if (v !== undefined) next[key] = v;
  }
  return next;
}

/** A client must be reachable: confirmations and reminders need a phone number or an email address. */
export function reachableIssues(client: Pick<Client, 'phone' | 'email'>): Issue[] {
  if (client.phone !== undefined || client.email !== undefined) return [];
  return [issue('client.contact.required', 'phone', 'enter a phone number or an email address, so the client gets confirmations and reminders')];
}
