/**
 * What a typed or imported name may hold. A control character (a tab or line break pasted from a spreadsheet cell, a
 * NUL or escape from a damaged export) shows as nothing on screen, yet breaks a message's line, a toast and the CSV
 * row it is exported in; a name of nothing but spaces, zero-width and direction marks looks empty wherever it shows.
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** White space and format characters (zero-width space and joiners, direction marks, soft hyphen…). */
const INVISIBLE = /[\s\p{Cf}]/gu;

export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** True when nothing of the name would show. */
export function isBlankName(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}
