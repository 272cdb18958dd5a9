/**
 * What a typed or imported name may hold. A control character (a tab or line break pasted from a spreadsheet cell, a
 * NUL or escape from a damaged export) shows as nothing on screen, yet breaks a message's line, a toast and the CSV
 * row it is exported in; a name of nothing but spaces, zero-width and direction marks looks empty wherever it shows.
 */
import { issue, type Issue } from './issues.ts';

// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** White space and format characters (zero-width space and joiners, direction marks, soft hyphen…). */
const INVISIBLE = /[\s\p{Cf}]/gu;

/**
 * Explicit direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Nobody types them; they come
 * pasted from a phone's contact list, which wraps names in them, or on purpose: an unclosed right-to-left override in a
 * name turns every character after it backwards, in the desk's lists and in the SMS that names the client ("at 15:00"
 * reads "00:51 ta"). Arabic and Hebrew names need none of them, and the marks that only nudge neighbours (U+200E,
 * U+200F, U+061C) stay.
 */
const DIRECTION_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text without direction embeddings, overrides and isolates: what FrontDesk stores and sends of a name. */
export function withoutDirectionControls(text: string): string {
  return text.replace(DIRECTION_CONTROL, '');
}

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** True when nothing of the name would show. */
export function isBlankName(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}

/** A staff member's, service's, salon's or integration's name as stored and shown: no direction controls, trimmed. */
export function storedName(text: string): string {
  return withoutDirectionControls(text).trim();
}

/**
 * Problems of such a name: `<codePrefix>.required` when nothing of it would show, `<codePrefix>.controlCharacter` when
 * it holds a tab, line break or other control character (it goes into team toasts, the calendar header and the
 * client's messages, where a line break splits the text).
 */
export function nameIssues(text: string, codePrefix: string, field: string, requiredMessage: string): Issue[] {
  const name = storedName(text);
  if (isBlankName(name)) return [issue(`${codePrefix}.required`, field, requiredMessage)];
  if (hasControlCharacter(name)) return [issue(`${codePrefix}.controlCharacter`, field, 'the name holds a tab, a line break or another control character: type it again on one line')];
  return [];
}
