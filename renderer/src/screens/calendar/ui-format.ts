/**
 * Dates and times for the front-desk screens: always in the salon's time zone, in the UI language (not the
 * browser's), and the labels of appointment statuses and changes in that language. One formatter per
 * (language, zone, currency), built once.
 */
import { useMemo } from 'react';
import type { AppointmentStatus, ChangeKind } from '../../../../shared/domain/appointment.ts';
import { useI18n, type MessageKey, type Translate } from '../../app/i18n.ts';
import { useSalon } from '../../data/salon.ts';

export interface UiFormat {
  locale: string;
  /** 09:30 (24-hour in both languages). */
  time(ms: number): string;
  /** 12 Mar 2025 / 12 мар. 2025 г. */
  date(ms: number): string;
  dateTime(ms: number): string;
  /** Tuesday, 12 March 2025 */
  longDate(ms: number): string;
  /** Tue 12 Mar */
  dayHeader(ms: number): string;
  /** 12 Mar (for week ranges) */
  dayMonth(ms: number): string;
  money(minor: number): string;
  /** "{count} visits" with the language's plural rules. */
  visits(count: number): string;
}

const cache = new Map<string, Omit<UiFormat, 'visits'>>();

export function uiFormatter(locale: string, timeZone: string, currency: string): Omit<UiFormat, 'visits'> {
  const key = `${locale}|${timeZone}|${currency}`;
  let f = cache.get(key);
  if (!f) {
    const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const date = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
    const long = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    const header = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
    const dayMonth = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' });
    let money: Intl.NumberFormat;
    try {
      money = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2 });
    }
    f = {
      locale,
      time: (ms) => time.format(ms),
      date: (ms) => date.format(ms),
      dateTime: (ms) => `${date.format(ms)}, ${time.format(ms)}`,
      longDate: (ms) => capitalize(long.format(ms)),
      dayHeader: (ms) => capitalize(header.format(ms)),
      dayMonth: (ms) => dayMonth.format(ms),
      money: (minor) => money.format(minor / 100),
    };
    cache.set(key, f);
  }
  return f;
}

export function useUiFormat(): UiFormat {
  const { locale, t } = useI18n();
  const { location } = useSalon();
  return useMemo(() => {
    const base = uiFormatter(locale, location.timeZone, location.currency);
    return { ...base, visits: (count: number) => t('cal.visits', { count }) };
  }, [locale, location.timeZone, location.currency, t]);
}

export function statusLabel(t: Translate, status: AppointmentStatus): string {
  return t(`apt.status.${status}` as MessageKey);
}

export function changeLabel(t: Translate, kind: ChangeKind): string {
  return t(`apt.change.${kind}` as MessageKey);
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
