/**
 * What a typed or imported name may hold. A control character (a tab or line break pasted from a spreadsheet cell, a
 * NUL or escape from a damaged export) shows as nothing on screen, yet breaks a message's line, a toast and the CSV
 * row it is exported in; a name of nothing but spaces, zero-width and direction marks looks empty wherever it shows.
 */

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
