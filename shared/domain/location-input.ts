/**
 * A location's profile as typed in the first-run wizard or the salon settings, checked and normalised by the same
 * rules in the form and in the host (the one that writes): a real IANA time zone and ISO currency, a country whose
 * phone numbers FrontDesk can read, the salon phone in E.164, http(s) links, and opening hours that end after they
 * start without overlapping. Every problem is an issue with a code the UI translates and the field it belongs to.
 */
import type { Language } from '../notifications/catalog.ts';
import { checkedEmail, checkedPhone } from './client-input.ts';
import { issue, type Issue } from './issues.ts';
import type { Address } from './location.ts';
import { PHONE_RULES } from './phone.ts';
import { nameIssues, storedName } from './names.ts';
import type { WorkingHours } from './staff.ts';
import { workingHoursIssues } from './staff-input.ts';

/** The countries a salon can be in: those whose local phone numbers FrontDesk reads. */
export const SALON_COUNTRIES: readonly string[] = Object.keys(PHONE_RULES);

/** The usual currency of each salon country (the wizard's default; any ISO 4217 code may be chosen). */
export const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  DE: 'EUR', AT: 'EUR', CH: 'CHF', FR: 'EUR', NL: 'EUR', BE: 'EUR', GB: 'GBP', IE: 'EUR', ES: 'EUR', IT: 'EUR', PL: 'PLN',
  CZ: 'CZK', US: 'USD', CA: 'CAD', RU: 'RUB', KZ: 'KZT', BY: 'BYN', UA: 'UAH', AE: 'AED', IL: 'ILS',
};

/** A BCP 47 locale for dates and money in messages, from the salon's country and first client language. */
export function localeFor(countryCode: string, language: Language): string {
  return `${language}-${countryCode}`;
}

export interface LocationProfileInput {
  name?: string | undefined;
  address?: { line1: string; line2?: string | undefined; city: string; postalCode: string } | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  countryCode?: string | undefined;
  timeZone?: string | undefined;
  currency?: string | undefined;
  clientLanguages?: Language[] | undefined;
  openingHours?: WorkingHours | undefined;
  bookingUrl?: string | undefined;
  reviewUrl?: string | undefined;
}

/** Normalised values; `null` = remove (email, links); absent = not given. */
export interface LocationProfile {
  name?: string;
  address?: Address;
  phone?: string;
  email?: string | null;
  countryCode?: string;
  timeZone?: string;
  currency?: string;
  clientLanguages?: Language[];
  openingHours?: WorkingHours;
  bookingUrl?: string | null;
  reviewUrl?: string | null;
}

export type LocationProfileResult = { ok: true; value: LocationProfile } | { ok: false; issues: Issue[] };

export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

let currencies: Set<string> | undefined;
export function isCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(code);
}

/** http(s), a host name, no spaces (shared/ has no URL class: it runs where no DOM or Node types are assumed). */
const WEB_LINK = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?([/?#][^\s]*)?$/i;

export function isWebLink(text: string): boolean {
  return WEB_LINK.test(text);
}

/**
 * Checks the fields given. `countryCode` is the salon's country for reading the phone: the one in the input, else
 * `currentCountry` (an edit that changes only the phone).
 */
export function checkLocationProfile(input: LocationProfileInput, currentCountry?: string): LocationProfileResult {
  const issues: Issue[] = [];
  const value: LocationProfile = {};
  if (input.name !== undefined) {
    const nameProblems = nameIssues(input.name, 'location.name', 'name', 'enter the salon name');
    if (nameProblems.length > 0) issues.push(...nameProblems);
    else value.name = storedName(input.name);
  }
  let country = currentCountry;
  if (input.countryCode !== undefined) {
    const code = input.countryCode.trim().toUpperCase();
    if (!SALON_COUNTRIES.includes(code)) {
      issues.push(issue('location.country.unsupported', 'countryCode', `FrontDesk cannot read phone numbers of "${code}" yet; choose one of ${SALON_COUNTRIES.join(', ')}`, { country: code }));
      country = undefined;
    } else {
      value.countryCode = code;
      country = code;
    }
  }
  if (input.address !== undefined) {
    const line1 = input.address.line1.trim();
    const city = input.address.city.trim();
    if (line1 === '') issues.push(issue('location.address.line1.required', 'address.line1', 'enter the street and number'));
    if (city === '') issues.push(issue('location.address.city.required', 'address.city', 'enter the city'));
    const line2 = input.address.line2?.trim();
    if (country) value.address = { line1, ...(line2 ? { line2 } : {}), city, postalCode: input.address.postalCode.trim(), country };
  }
  if (input.phone !== undefined) {
    const phone = country ? checkedPhone(input.phone, country, issues) : undefined;
    if (phone !== undefined) value.phone = phone;
  }
  if (input.email !== undefined) {
    const email = checkedEmail(input.email, issues);
    if (email !== undefined) value.email = email;
  }
  if (input.timeZone !== undefined) {
    const zone = input.timeZone.trim();
    if (isTimeZone(zone)) value.timeZone = zone;
    else issues.push(issue('location.timeZone.unknown', 'timeZone', `"${zone}" is not a time zone: choose one like Europe/Berlin`, { zone }));
  }
  if (input.currency !== undefined) {
    const code = input.currency.trim().toUpperCase();
    if (/^[A-Z]{3}$/.test(code) && isCurrency(code)) value.currency = code;
    else issues.push(issue('location.currency.unknown', 'currency', `"${code}" is not a currency code: use one like EUR`, { currency: code }));
  }
  if (input.clientLanguages !== undefined) {
    if (input.clientLanguages.length === 0) issues.push(issue('location.languages.required', 'clientLanguages', 'choose at least one language for client messages'));
    else value.clientLanguages = [...new Set(input.clientLanguages)];
  }
  if (input.openingHours !== undefined) {
    const problems = workingHoursIssues(input.openingHours, 'openingHours');
    if (problems.length > 0) issues.push(...problems);
    else value.openingHours = input.openingHours;
  }
  for (const field of ['bookingUrl', 'reviewUrl'] as const) {
    const text = input[field]?.trim();
    if (text === undefined) continue;
    if (text === '') value[field] = null;
    else if (isWebLink(text)) value[field] = text;
    else issues.push(issue('location.link.invalid', field, `"${text}" is not a web address: it starts with https://`, { url: text }));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** Opening hours a new salon starts with: Monday to Friday 09:00–19:00, Saturday 10:00–16:00, closed on Sunday. */
export function defaultOpeningHours(): WorkingHours {
  const weekday = [{ start: '09:00', end: '19:00' }];
  return { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ start: '10:00', end: '16:00' }], sun: [] };
}
