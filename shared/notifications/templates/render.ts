/**
 * Rendering: fills placeholders from a plain context the engine builds from its documents. Text comes from the
 * client's language; dates, times, lists and money are formatted with that language in the location's region and
 * time zone (see formattingLocale), so the same appointment reads naturally in every language.
 */
import type { Language } from '../catalog.ts';
import type { LocalDate } from '../zoned-time.ts';
import { formatLocalDate, formatLocalDateTime, formatLocalTime, formatWeekday, formattingLocale } from '../zoned-time.ts';
import { withoutDirectionControls } from '../../domain/names.ts';
import type { PlaceholderName } from './placeholders.ts';
import { isPlaceholderName } from './placeholders.ts';
import { parseTemplate } from './syntax.ts';

export type DiscountValue = { readonly kind: 'percent'; readonly percent: number } | { readonly kind: 'amount'; readonly amount: number };

/** Everything a message can mention. Each part is optional; types only use the parts listed in PLACEHOLDERS_BY_TYPE. */
export interface TemplateContext {
  readonly client?: { readonly name: string; readonly firstName?: string };
  readonly appointment?: { readonly start: number; readonly services: readonly string[]; readonly specialist?: string };
  /** The appointment as it was before a change (change alert, reschedule). */
  readonly previous?: { readonly start: number; readonly specialist?: string; readonly services?: readonly string[] };
  readonly salon?: { readonly name: string; readonly address?: string; readonly phone?: string };
  readonly links?: { readonly booking?: string; readonly review?: string };
  readonly bonus?: { readonly amount: number; readonly balance: number };
  /** expiresOn is the last valid day, a calendar date in the salon's zone. */
  readonly discount?: { readonly name: string; readonly value: DiscountValue; readonly expiresOn: LocalDate };
  readonly payment?: { readonly amount: number };
  readonly caller?: { readonly phone: string };
}

export interface RenderOptions {
  /** The recipient's language: picks the template and the words of lists and dates. */
  readonly language: Language;
  /** The location's locale, e.g. "en-GB", "ru-RU", "en-US": contributes the region (12/24-hour clock, date order). */
  readonly locale?: string;
  /** The location's IANA zone. */
  readonly timeZone: string;
  /** ISO 4217 code of the location's currency, for money values. */
  readonly currency?: string;
}

export interface MessageTemplate {
  /** Email only (required there). */
  readonly subject?: string;
  /** Push and desktop notifications. */
  readonly title?: string;
  readonly body: string;
}

export interface RenderedText {
  readonly text: string;
  /** Placeholders with no value in the context (rendered empty), or unknown names (rendered verbatim). */
  readonly missing: readonly string[];
}

export interface RenderedMessage {
  readonly subject?: string;
  readonly title?: string;
  readonly body: string;
  readonly missing: readonly string[];
}

export function renderText(text: string, context: TemplateContext, options: RenderOptions): RenderedText {
  const fmt = formatter(options);
  const missing: string[] = [];
  let out = '';
  for (const part of parseTemplate(text).parts) {
    if (part.kind === 'text') {
      out += part.value;
      continue;
    }
    const value = isPlaceholderName(part.name) ? placeholderValue(part.name, context, fmt) : undefined;
    if (value === undefined) {
      if (!missing.includes(part.name)) missing.push(part.name);
      // An unknown name is shown as written so that a preview makes the mistake visible.
      if (!isPlaceholderName(part.name)) out += `{{${part.name}}}`;
      continue;
    }
    // A name stored before direction controls were dropped at the desk (or arriving from a peer) must not turn the rest of
    // the message backwards, nor break it into lines of the name's own (the desk's forms refuse control characters; a
    // peer's client named "Anna\n\nYour card is blocked…" made the salon's SMS look like two messages).
    out += plainSpaces(withoutControlCharacters(withoutDirectionControls(value)));
  }
  return { text: out, missing };
}

export function renderTemplate(template: MessageTemplate, context: TemplateContext, options: RenderOptions): RenderedMessage {
  const missing = new Set<string>();
  const render = (text: string): string => {
    const r = renderText(text, context, options);
    for (const m of r.missing) missing.add(m);
    return r.text;
  };
  const body = render(template.body);
  const subject = template.subject === undefined ? undefined : render(template.subject);
  const title = template.title === undefined ? undefined : render(template.title);
  return {
    ...(subject === undefined ? {} : { subject }),
    ...(title === undefined ? {} : { title }),
    body,
    missing: [...missing],
  };
}

/**
 * Intl puts no-break and narrow no-break spaces into numbers, dates and "8:30 AM"; none is in the GSM alphabet, so
 * one of them would turn a whole SMS into UCS-2 (70 instead of 160 characters a segment). Plain spaces read the same.
 */
/** Each run of control characters (line breaks, tabs, NUL, escapes) in a value becomes one space. */
function withoutControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this replaces
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ');
}

interface Formatter {
  readonly display: { readonly locale: string; readonly timeZone: string };
  readonly list: (items: readonly string[]) => string;
  readonly integer: (n: number) => string;
  readonly money: (n: number) => string;
  readonly percent: (n: number) => string;
  readonly calendarDate: (d: LocalDate) => string;
}

// Building Intl formatters costs far more than using them; the dispatcher renders thousands of messages.
const formatters = new Map<string, Formatter>();

function formatter(o: RenderOptions): Formatter {
  const key = `${o.language}|${o.locale ?? ''}|${o.timeZone}|${o.currency ?? ''}`;
  let cached = formatters.get(key);
  if (cached === undefined) {
    cached = buildFormatter(o);
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, cached);
  }
  return cached;
}

function buildFormatter(o: RenderOptions): Formatter {
  const locale = formattingLocale(o.language, o.locale);
  const display = { locale, timeZone: o.timeZone };
  const list = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const money =
    o.currency === undefined
      ? new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : new Intl.NumberFormat(locale, { style: 'currency', currency: o.currency });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  return {
    display,
    list: (items) => list.format(items),
    integer: (n) => integer.format(n),
    money: (n) => money.format(n),
    percent: (n) => percent.format(n / 100),
    // A calendar date has no zone: format it at noon UTC as UTC, so no offset can shift the day.
    calendarDate: (d) => formatLocalDate(Date.UTC(d.year, d.month - 1, d.day, 12), { locale, timeZone: 'UTC' }),
  };
}

function placeholderValue(name: PlaceholderName, c: TemplateContext, f: Formatter): string | undefined {
  const a = c.appointment;
  const p = c.previous;
  switch (name) {
    case 'clientName':
      return c.client?.name;
    case 'clientFirstName':
      return c.client === undefined ? undefined : (c.client.firstName ?? c.client.name.trim().split(/\s+/)[0] ?? c.client.name);
    case 'date':
      return a && formatLocalDate(a.start, f.display);
    case 'time':
      return a && formatLocalTime(a.start, f.display);
    case 'dateTime':
      return a && formatLocalDateTime(a.start, f.display);
    case 'weekday':
      return a && formatWeekday(a.start, f.display);
    case 'services':
      return a && f.list(a.services);
    case 'specialist':
      return a?.specialist;
    case 'oldDate':
      return p && formatLocalDate(p.start, f.display);
    case 'oldTime':
      return p && formatLocalTime(p.start, f.display);
    case 'oldDateTime':
      return p && formatLocalDateTime(p.start, f.display);
    case 'oldSpecialist':
      return p?.specialist;
    case 'oldServices':
      return p?.services && f.list(p.services);
    case 'salonName':
      return c.salon?.name;
    case 'salonAddress':
      return c.salon?.address;
    case 'salonPhone':
      return c.salon?.phone;
    case 'bookingLink':
      return c.links?.booking;
    case 'reviewLink':
      return c.links?.review;
    case 'bonusAmount':
      return c.bonus && f.integer(c.bonus.amount);
    case 'bonusBalance':
      return c.bonus && f.integer(c.bonus.balance);
    case 'discountName':
      return c.discount?.name;
    case 'discountValue': {
      const v = c.discount?.value;
      if (v === undefined) return undefined;
      return v.kind === 'percent' ? f.percent(v.percent) : f.money(v.amount);
    }
    case 'discountExpiry':
      return c.discount && f.calendarDate(c.discount.expiresOn);
    case 'paymentAmount':
      return c.payment && f.money(c.payment.amount);
    case 'callerPhone':
      return c.caller?.phone;
  }
}
