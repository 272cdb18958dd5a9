import { CLIENT_NOTIFICATION_TYPES } from '../notifications/catalog.ts';
import type { ClientNotificationType } from '../notifications/catalog.ts';
import type { Client } from '../domain/client.ts';
import {
  asciiLower,
  EMAIL_DOMAINS,
  EN_FIRST_NAMES_F,
  EN_FIRST_NAMES_M,
  EN_LAST_NAMES,
  RU_FIRST_NAMES_F,
  RU_FIRST_NAMES_M,
  RU_LAST_NAMES,
} from './names.ts';
import type { Random } from './prng.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MOBILE_PREFIXES = ['151', '152', '157', '159', '160', '162', '170', '171', '172', '175', '176', '177', '178', '179'];

function digits(rnd: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rnd.int(0, 9));
  return s;
}

/** Clients of a Berlin salon: most German/English-speaking, about a third Russian-speaking. */
export function demoClients(rnd: Random, o: { now: number; count: number; locationId: string }): Client[] {
  const phones = new Set<string>();
  const emails = new Set<string>();
  const nowYear = new Date(o.now).getUTCFullYear();
  const out: Client[] = [];
  for (let i = 0; i < o.count; i++) {
    const ru = rnd.chance(0.32);
    const female = rnd.chance(0.82);
    let firstName: string;
    let lastName: string;
    let firstLatin: string;
    let lastLatin: string;
    if (ru) {
      const [f, fl] = rnd.pick(female ? RU_FIRST_NAMES_F : RU_FIRST_NAMES_M);
      const [lf, lm, ll] = rnd.pick(RU_LAST_NAMES);
      [firstName, lastName, firstLatin, lastLatin] = [f, female ? lf : lm, fl, female ? `${ll}a` : ll];
    } else {
      firstName = rnd.pick(female ? EN_FIRST_NAMES_F : EN_FIRST_NAMES_M);
      lastName = rnd.pick(EN_LAST_NAMES);
      [firstLatin, lastLatin] = [asciiLower(firstName), asciiLower(lastName)];
    }

    let phone: string;
    do {
      const prefix = rnd.pick(MOBILE_PREFIXES);
      phone = `+49${prefix}${digits(rnd, prefix === '151' || prefix.startsWith('17') ? 8 : 7)}`;
    } while (phones.has(phone));
    phones.add(phone);

    const client: Client = {
      id: `client-${String(i + 1).padStart(4, '0')}`,
      locationId: o.locationId,
      firstName,
      lastName,
      phone,
      language: ru ? 'ru' : 'en',
      apps: { aggregator: rnd.chance(0.35) },
      optOuts: [],
      marketingConsent: rnd.chance(0.7),
      loyaltyPoints: rnd.chance(0.6) ? rnd.int(1, 60) * 10 : 0,
      createdAt: new Date(Math.floor((o.now - rnd.int(20, 900) * DAY) / MINUTE) * MINUTE).toISOString(),
    };
    // A few clients have only a phone, so the cascade's "could not be tried" path shows up in the demo.
    if (rnd.chance(0.88)) {
      const base = `${firstLatin}.${lastLatin}`;
      let email = `${base}@${rnd.pick(EMAIL_DOMAINS)}`;
      for (let n = 2; emails.has(email); n++) email = `${base}${n}@${rnd.pick(EMAIL_DOMAINS)}`;
      emails.add(email);
      client.email = email;
    }
    if (rnd.chance(0.15)) client.apps.brandedPushTokens = [`demo-push-${digits(rnd, 16)}`];
    if (rnd.chance(0.9)) {
      const month = rnd.int(1, 12);
      const day = rnd.int(1, month === 2 ? 28 : [4, 6, 9, 11].includes(month) ? 30 : 31);
      const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      client.birthday = rnd.chance(0.8) ? `${nowYear - rnd.int(18, 70)}-${md}` : `--${md}`;
    }
    if (rnd.chance(0.06)) {
      const type: ClientNotificationType = rnd.pick(
        CLIENT_NOTIFICATION_TYPES.filter((t) => t === 'winBack' || t === 'repeatVisit' || t === 'birthdayGreeting'),
      );
      client.optOuts = [type];
    }
    if (rnd.chance(0.05)) client.notes = rnd.pick(['Allergic to latex', 'Prefers mornings', 'Sensitive scalp', 'Pays by card']);
    out.push(client);
  }
  return out;
}
