/**
 * Refused commands in a form: each issue translated by its code (`error.<code>`, as in coded-text.ts) and placed next
 * to the input its request field belongs to; what no input claims, and errors without issues, are the form's general
 * message. Codes, field paths and the host's English never reach the screen.
 */
import type { ErrorIssue, ErrorParams } from '../../../shared/ipc/result.ts';
import { displayParams, errorText } from './coded-text.ts';
import type { I18n, Vars } from './i18n.ts';

const STATUSES = new Set(['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'noShow']);
const WEEKDAY_INDEX: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function statusLabel(i18n: I18n, value: string): string {
  return STATUSES.has(value) ? (i18n.tryT(`apt.status.${value}`) ?? value) : value;
}

function weekdayName(locale: string, day: string): string {
  const index = WEEKDAY_INDEX[day];
  // 4 January 1970 was a Sunday.
  return index === undefined ? day : new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(1970, 0, 4 + index));
}

/**
 * Parameters in the desk's words: on top of coded-text's labels (status, channel, type, scenario), the two ends of a
 * status transition and its allowed list, and weekday ids as the locale's weekday names.
 */
export function issueParams(i18n: I18n, params: ErrorParams | undefined): Vars {
  const out = displayParams(i18n, params);
  for (const key of ['from', 'to'] as const) if (typeof out[key] === 'string') out[key] = statusLabel(i18n, out[key]);
  if (typeof out['allowed'] === 'string') out['allowed'] = out['allowed'].split(',').map((s) => statusLabel(i18n, s)).join(', ');
  if (typeof out['weekday'] === 'string') out['weekday'] = weekdayName(i18n.locale, out['weekday']);
  return out;
}

/** One issue as a sentence in the UI language (a general one when this renderer does not know the code yet). */
export function issueText(i18n: I18n, issue: Pick<ErrorIssue, 'code' | 'params'>): string {
  return i18n.tryT(`error.${issue.code}`, issueParams(i18n, issue.params)) ?? i18n.t('apiError.fieldInvalid');
}

export interface Refusal {
  /** Text per form input, by the input's request field. */
  fields: Readonly<Record<string, string>>;
  /** What no input shows: whole-command problems, a conflict, a lost connection. */
  general: readonly string[];
}

export const NO_REFUSAL: Refusal = { fields: {}, general: [] };

/** The input an issue's field belongs to: the longest of `inputs` it is or starts ("start.time" → "start.time" before "start"). */
function inputOf(field: string | undefined, inputs: readonly string[]): string | undefined {
  if (!field) return undefined;
  let best: string | undefined;
  for (const input of inputs) {
    const inside = field === input || field.startsWith(`${input}.`) || field.startsWith(`${input}[`);
    if (inside && (best === undefined || input.length > best.length)) best = input;
  }
  return best;
}

function issuesOf(error: unknown): readonly ErrorIssue[] {
  const issues = error && typeof error === 'object' ? (error as { issues?: unknown }).issues : undefined;
  return Array.isArray(issues) ? (issues as ErrorIssue[]) : [];
}

/** A failed command split into texts next to `inputs` and a general message. */
export function refusalOf(error: unknown, i18n: I18n, inputs: readonly string[]): Refusal {
  const issues = issuesOf(error);
  if (issues.length === 0) return { fields: {}, general: [errorText(i18n, error)] };
  return refusalOfIssues(issues, i18n, inputs);
}

/** Issues a form found itself, with the host's codes, shown the same way before anything is sent. */
export function refusalOfIssues(issues: readonly ErrorIssue[], i18n: I18n, inputs: readonly string[]): Refusal {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const text = issueText(i18n, issue);
    const input = inputOf(issue.field, inputs);
    if (input === undefined) {
      if (!general.includes(text)) general.push(text);
    } else if (!fields[input]?.includes(text)) {
      fields[input] = fields[input] ? `${fields[input]} ${text}` : text;
    }
  }
  return { fields, general };
}
