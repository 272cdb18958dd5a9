/** Builds and checks client documents typed at the desk: phone normalised for the location's country, email checked. */
import type { Client } from '../../../shared/domain/client.ts';
import { normalizeEmail } from '../../../shared/domain/email.ts';
import { normalizePhone } from '../../../shared/domain/phone.ts';
import type { Language } from '../../../shared/notifications/catalog.ts';

export interface ClientInput {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  birthday?: string;
  language: Language;
}

export type ClientErrors = Partial<Record<keyof ClientInput, string>>;

/** The contact fields, normalised, or field errors (an empty phone or email is allowed: one of them is required). */
export function checkClientInput(input: ClientInput, countryCode: string): { ok: true; value: Pick<Client, 'firstName' | 'lastName' | 'phone' | 'email' | 'language' | 'birthday'> } | { ok: false; errors: ClientErrors } {
  const errors: ClientErrors = {};
  const firstName = input.firstName.trim();
  if (firstName === '') errors.firstName = 'Enter the first name';
  let phone: string | undefined;
  if (input.phone.trim() !== '') {
    const result = normalizePhone(input.phone, countryCode);
    if (result.ok) phone = result.e164;
    else errors.phone = capitalize(result.error);
  }
  let email: string | undefined;
  if (input.email.trim() !== '') {
    const result = normalizeEmail(input.email);
    if (result.ok) email = result.email;
    else errors.email = capitalize(result.error);
  }
  if (!errors.phone && !errors.email && phone === undefined && email === undefined) errors.phone = 'Enter a phone number or an email address, so the client gets confirmations and reminders';
  const birthday = input.birthday?.trim() ?? '';
  if (birthday !== '' && !/^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(birthday)) errors.birthday = 'Use YYYY-MM-DD';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      firstName,
      lastName: input.lastName.trim(),
      language: input.language,
      ...(phone !== undefined ? { phone } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(birthday !== '' ? { birthday } : {}),
    },
  };
}

export function newClientDoc(id: string, locationId: string, fields: Pick<Client, 'firstName' | 'lastName' | 'phone' | 'email' | 'language' | 'birthday'>, now: number): Client {
  return {
    id,
    locationId,
    ...fields,
    apps: { aggregator: false },
    optOuts: [],
    marketingConsent: false,
    loyaltyPoints: 0,
    createdAt: new Date(now).toISOString(),
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
