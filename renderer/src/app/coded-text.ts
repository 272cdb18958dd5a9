/**
 * Texts that arrive as codes + parameters: API errors (`error.<code>`), their field issues, and the reasons of jobs
 * and log entries (`reason.<code>`). Translated here, in the desk's language, at display time; no code, field path
 * or stack text reaches the screen. Parameter conventions are those of shared/notifications/reasons.ts.
 */
import type { ApiErrorBody, ErrorIssue, ErrorParams } from '../../../shared/ipc/result.ts';
import type { ReasonFields } from '../../../shared/notifications/reasons.ts';
import type { I18n, Vars } from './i18n.ts';

/** Formats an instant (epoch ms) for a parameter named `…At`: the salon's zone, the desk's locale. */
export type InstantFormat = (ms: number) => string;

const LABELLED: Readonly<Record<string, string>> = { type: 'type', channel: 'channel', status: 'apt.status', scenario: 'scenario' };

/** Parameters as the desk reads them: instants formatted, types/channels/statuses by their labels. */
export function displayParams(i18n: I18n, params: ErrorParams | undefined, instant?: InstantFormat): Vars {
  const out: Vars = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'number' && name.endsWith('At') && instant) out[name] = instant(value);
    else if (typeof value === 'string' && LABELLED[name]) out[name] = i18n.tryT(`${LABELLED[name]}.${value}`) ?? value;
    else out[name] = value;
  }
  return out;
}

/** One field issue in words; `undefined` when its code is unknown here (the caller then shows a general text). */
export function issueText(i18n: I18n, issue: Pick<ErrorIssue, 'code' | 'params'>, instant?: InstantFormat): string | undefined {
  return i18n.tryT(`error.${issue.code}`, displayParams(i18n, issue.params, instant));
}

interface ErrorLike {
  code?: string;
  reason?: string;
  params?: ErrorParams;
  issues?: ErrorIssue[];
  message?: string;
}

function asErrorLike(error: unknown): ErrorLike {
  if (error && typeof error === 'object') return error as ErrorLike;
  return { message: String(error) };
}

/**
 * An error as one text the desk can act on: the error's own code if known, else its issues' texts, else a general
 * sentence for its kind (invalid request, not found, unavailable…). The English message is never shown: it may
 * name fields and paths; it goes to the console for whoever debugs.
 */
export function errorText(i18n: I18n, error: unknown, instant?: InstantFormat): string {
  const e = asErrorLike(error);
  if (e.reason) {
    const own = i18n.tryT(`error.${e.reason}`, displayParams(i18n, e.params, instant));
    if (own) return own;
  }
  const issues = (e.issues ?? []).map((issue) => issueText(i18n, issue, instant)).filter((text): text is string => text !== undefined);
  if (issues.length > 0) return [...new Set(issues)].join(' ');
  if (e.message) console.warn('FrontDesk error without a known code:', e.code ?? '', e.reason ?? '', e.message);
  const kind = typeof e.code === 'string' ? i18n.tryT(`apiError.${e.code}`) : undefined;
  return kind ?? i18n.t('apiError.unexpected');
}

/** Field-level texts of an error, keyed by the request field they belong to (for inline form errors). */
export function fieldErrors(i18n: I18n, error: ApiErrorBody | unknown, instant?: InstantFormat): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of asErrorLike(error).issues ?? []) {
    if (!issue.field || out[issue.field]) continue;
    out[issue.field] = issueText(i18n, issue, instant) ?? i18n.t('apiError.fieldInvalid');
  }
  return out;
}

/**
 * Why a message went the way it did: the code's text in the desk's language; for entries written before codes
 * existed, the stored English text; a provider's own words (`detail`) are quoted as they came.
 */
export function reasonText(i18n: I18n, fields: ReasonFields, instant?: InstantFormat): string | undefined {
  if (fields.reasonCode) {
    const text = i18n.tryT(`reason.${fields.reasonCode}`, displayParams(i18n, fields.reasonParams, instant));
    if (text) return text;
  }
  return fields.reason;
}

/**
 * Why the page has no host, in the desk's language when the transport or host named a reason (a missing token, a page
 * from another address, a host gone); else the host's own words (why it could not start).
 */
export function connectionFailureText(i18n: I18n, error: Error & { reason?: string; params?: ErrorParams }): string {
  return (error.reason ? i18n.tryT(`error.${error.reason}`, displayParams(i18n, error.params)) : undefined) ?? error.message;
}
