/**
 * Phone numbers typed at the desk ("0151 2345 6789", "8 (912) 345-67-89", "+49 151…") normalised to E.164 for the
 * location's country. A table of the countries salons use reads national input (trunk prefix, national number length)
 * and explains a wrong length with an example; libphonenumber-js (its small metadata: calling codes and possible
 * lengths of every country) then checks the result, and reads national numbers of countries outside the table.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';

export interface CountryPhoneRule {
  callingCode: string;
  /** National (trunk) prefix dialled before the number inside the country, dropped in E.164. */
  trunkPrefix: string;
  /** Allowed lengths of the national significant number (after the trunk prefix). */
  minLength: number;
  maxLength: number;
  /** An example in national format, for error messages. */
  example: string;
}

export const PHONE_RULES: Readonly<Record<string, CountryPhoneRule>> = {
  DE: { callingCode: '49', trunkPrefix: '0', minLength: 6, maxLength: 13, example: '0151 23456789' },
  AT: { callingCode: '43', trunkPrefix: '0', minLength: 4, maxLength: 13, example: '0664 1234567' },
  CH: { callingCode: '41', trunkPrefix: '0', minLength: 9, maxLength: 9, example: '078 123 45 67' },
  FR: { callingCode: '33', trunkPrefix: '0', minLength: 9, maxLength: 9, example: '06 12 34 56 78' },
  NL: { callingCode: '31', trunkPrefix: '0', minLength: 9, maxLength: 9, example: '06 12345678' },
  BE: { callingCode: '32', trunkPrefix: '0', minLength: 8, maxLength: 9, example: '0470 12 34 56' },
  GB: { callingCode: '44', trunkPrefix: '0', minLength: 9, maxLength: 10, example: '07400 123456' },
  IE: { callingCode: '353', trunkPrefix: '0', minLength: 7, maxLength: 9, example: '085 123 4567' },
  ES: { callingCode: '34', trunkPrefix: '', minLength: 9, maxLength: 9, example: '612 34 56 78' },
  IT: { callingCode: '39', trunkPrefix: '', minLength: 6, maxLength: 11, example: '312 345 6789' },
  PL: { callingCode: '48', trunkPrefix: '', minLength: 9, maxLength: 9, example: '512 345 678' },
  CZ: { callingCode: '420', trunkPrefix: '', minLength: 9, maxLength: 9, example: '601 123 456' },
  US: { callingCode: '1', trunkPrefix: '1', minLength: 10, maxLength: 10, example: '(201) 555-0123' },
  CA: { callingCode: '1', trunkPrefix: '1', minLength: 10, maxLength: 10, example: '(506) 234-5678' },
  RU: { callingCode: '7', trunkPrefix: '8', minLength: 10, maxLength: 10, example: '8 (912) 345-67-89' },
  KZ: { callingCode: '7', trunkPrefix: '8', minLength: 10, maxLength: 10, example: '8 (771) 000-99-98' },
  BY: { callingCode: '375', trunkPrefix: '8', minLength: 9, maxLength: 9, example: '8 029 491-19-11' },
  UA: { callingCode: '380', trunkPrefix: '0', minLength: 9, maxLength: 9, example: '050 123 4567' },
  AE: { callingCode: '971', trunkPrefix: '0', minLength: 8, maxLength: 9, example: '050 123 4567' },
  IL: { callingCode: '972', trunkPrefix: '0', minLength: 8, maxLength: 9, example: '050-234-5678' },
};

/** Why a number was refused, as a stable code (the UI translates `client.phone.<problem>`) with its parameters. */
export type PhoneProblem = 'empty' | 'characters' | 'plus' | 'international' | 'length' | 'country' | 'invalid';

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; error: string; problem: PhoneProblem; params: Record<string, string | number> };

function refused(problem: PhoneProblem, error: string, params: Record<string, string | number>): PhoneResult {
  return { ok: false, error, problem, params };
}

const E164 = /^\+[1-9]\d{7,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

const shown = new Map<string, string>();
const SHOWN_CAP = 10_000;

/**
 * A stored number as people read it aloud, grouped as its country writes it ("+49 151 23456789", "+7 912 345 67 89");
 * what is not E.164 as it is. Only for showing: numbers are stored, searched and sent in E.164.
 */
export function displayPhone(value: string): string {
  let text = shown.get(value);
  if (text === undefined) {
    text = isE164(value) ? (parsePhoneNumberFromString(value)?.formatInternational() ?? value) : value;
    if (shown.size >= SHOWN_CAP) shown.clear();
    shown.set(value, text);
  }
  return text;
}

/**
 * A stored number a provider can be given: E.164 whose calling code exists and whose length fits the country. A
 * number that is not (typed before validation existed, replicated from an older desk) is never sent to a provider:
 * SMS to it could not be tried, with the reason.
 */
export function isDialable(value: string): boolean {
  return E164.test(value) && parsePhoneNumberFromString(value)?.isValid() === true;
}

/**
 * Normalises `input` for `country` (ISO 3166-1 alpha-2). International input ("+…" or "00…") is accepted for any
 * country; national input is read with the country's trunk prefix. Errors say what is wrong and show an example.
 */
export function normalizePhone(input: string, country: string): PhoneResult {
  const raw = input.trim();
  if (raw === '') return refused('empty', 'phone number is empty', {});
  if (/[^\d\s()+\-./]/.test(raw)) {
    return refused('characters', `phone number "${raw}" contains characters other than digits, spaces, ( ) - . / and +`, { phone: raw });
  }
  if (raw.lastIndexOf('+') > 0) return refused('plus', `phone number "${raw}": "+" may only come first`, { phone: raw });
  const digits = raw.replace(/\D/g, '');

  let international: string | undefined;
  if (raw.startsWith('+')) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  if (international !== undefined) {
    const e164 = `+${international}`;
    if (!isE164(e164)) {
      return refused('international', `phone number "${raw}" is not a valid international number (8–15 digits after "+")`, { phone: raw });
    }
    const rule = Object.values(PHONE_RULES).find((r) => international.startsWith(r.callingCode));
    if (rule !== undefined) {
      const nsn = international.slice(rule.callingCode.length);
      if (nsn.length < rule.minLength || nsn.length > rule.maxLength) {
        return lengthError(raw, nsn.length, rule);
      }
    }
    return checked(raw, e164, country);
  }

  const rule = PHONE_RULES[country.toUpperCase()];
  if (rule === undefined) {
    const upper = country.toUpperCase();
    if (isSupportedCountry(upper)) {
      const parsed = parsePhoneNumberFromString(raw, upper);
      if (parsed?.isValid()) return { ok: true, e164: parsed.number };
      return refused('invalid', `phone number "${raw}" is not a valid number for ${country}`, { phone: raw, country });
    }
    return refused('country', `phone number "${raw}": no local number rules for country "${country}"; enter it with "+" and the country code`, { phone: raw, country });
  }
  let nsn = digits;
  if (rule.trunkPrefix !== '' && nsn.startsWith(rule.trunkPrefix) && nsn.length > rule.minLength) {
    nsn = nsn.slice(rule.trunkPrefix.length);
  } else if (nsn.startsWith(rule.callingCode) && nsn.length - rule.callingCode.length >= rule.minLength) {
    // Typed with the country code but without "+", e.g. "49151…".
    nsn = nsn.slice(rule.callingCode.length);
  }
  if (nsn.length < rule.minLength || nsn.length > rule.maxLength) {
    return lengthError(raw, nsn.length, rule);
  }
  const e164 = `+${rule.callingCode}${nsn}`;
  if (!isE164(e164)) return refused('invalid', `phone number "${raw}" is not a valid number for ${country}`, { phone: raw, country });
  return checked(raw, e164, country);
}

/** The number as libphonenumber-js sees it: a calling code that exists, a length that country's numbers can have. */
function checked(raw: string, e164: string, country: string): PhoneResult {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return refused('invalid', `phone number "${raw}" is not a valid number`, { phone: raw, country });
  return { ok: true, e164 };
}

function lengthError(raw: string, got: number, rule: CountryPhoneRule): PhoneResult {
  const want = rule.minLength === rule.maxLength ? `${rule.minLength}` : `${rule.minLength}–${rule.maxLength}`;
  const error = `phone number "${raw}" has ${got} digits after the country code +${rule.callingCode}; expected ${want} (e.g. ${rule.example})`;
  return refused('length', error, { phone: raw, digits: got, expected: want, callingCode: `+${rule.callingCode}`, example: rule.example });
}
