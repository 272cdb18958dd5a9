/** Small formatting helpers for the screens, in the UI locale and (where it matters) the salon's time zone. */

export function formatDateTime(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** The calendar day of a time ("11 Dec 2026"), in the salon's zone when given. */
export function formatDay(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** A time of day, 24-hour as the salon's desk shows times ("19:30"). */
export function formatClock(ms: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).format(ms);
}

/** "3 min ago", "yesterday", … in the UI language. */
export function formatRelative(ms: number, now: number, locale: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(ms);
}

/** "2 h 30 min" style for minute amounts. */
export function formatMinutes(minutes: number, language: 'en' | 'ru'): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const units = language === 'ru' ? { d: 'дн.', h: 'ч', m: 'мин' } : { d: 'd', h: 'h', m: 'min' };
  const parts = [d ? `${d} ${units.d}` : '', h ? `${h} ${units.h}` : '', m ? `${m} ${units.m}` : ''].filter(Boolean);
  return parts.join(' ') || `0 ${units.m}`;
}

/** A stable id for this desk (browser profile), used as the reader in "mark read". */
export function deskId(): string {
  const key = 'frontdesk.deskId';
  let id = localStorage.getItem(key);
  if (!id) {
    id = `desk-${Math.random().toString(36).slice(2, 10)}`;
    localStorage.setItem(key, id);
  }
  return id;
}
