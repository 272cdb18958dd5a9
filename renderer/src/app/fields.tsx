/**
 * Date and time inputs that read as the desk expects, whatever the browser's own locale: dates in the desk
 * language's order (25.11.2026, 25/11/2026), times on the salon's clock — 24-hour where the salon's locale uses it
 * (Germany, Russia), never "09:00 PM" in a 24-hour salon. Values stay "YYYY-MM-DD" and "HH:MM" strings.
 */
import { DateInput, DatesProvider, TimePicker } from '@mantine/dates';
import 'dayjs/locale/ru';
import 'dayjs/locale/en-gb';
import type { ReactNode } from 'react';
import { formattingLocale } from '../../../shared/notifications/zoned-time.ts';
import { useI18n, type UiLanguage } from './i18n.ts';

/** "DD.MM.YYYY"-style pattern of a locale, from Intl (so it follows the locale's own order and separator). */
export function datePattern(locale: string): string {
  const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(Date.UTC(2026, 10, 25, 12));
  return parts.map((p) => (p.type === 'day' ? 'DD' : p.type === 'month' ? 'MM' : p.type === 'year' ? 'YYYY' : p.value)).join('');
}

/** Whether the salon's clock is 12-hour (en-US) or 24-hour (almost everywhere else), for the desk's language. */
export function usesTwelveHours(language: UiLanguage, salonLocale: string | undefined): boolean {
  const locale = formattingLocale(language, salonLocale);
  const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12';
}

export function FieldsProvider({ children }: { children: ReactNode }) {
  const { language } = useI18n();
  return <DatesProvider settings={{ locale: language === 'ru' ? 'ru' : 'en-gb', firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}

interface FieldProps {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: ReactNode;
  disabled?: boolean;
  w?: number | string;
  'data-testid'?: string;
  description?: ReactNode;
  clearable?: boolean;
}

export function DateField({ label, value, onChange, error, disabled, w, description, clearable, ...rest }: FieldProps) {
  const { locale } = useI18n();
  return (
    <DateInput
      label={label}
      value={value || null}
      onChange={(next) => onChange(next ? String(next).slice(0, 10) : '')}
      valueFormat={datePattern(locale)}
      placeholder={datePattern(locale)}
      error={error}
      disabled={disabled}
      w={w}
      description={description}
      clearable={clearable}
      popoverProps={{ withinPortal: true }}
      data-testid={rest['data-testid']}
    />
  );
}

export function TimeField({ label, value, onChange, error, disabled, w, description, salonLocale, ...rest }: FieldProps & { salonLocale?: string }) {
  const { language } = useI18n();
  return (
    <TimePicker
      label={label}
      value={value}
      onChange={(next) => onChange(next.slice(0, 5))}
      format={usesTwelveHours(language, salonLocale) ? '12h' : '24h'}
      withDropdown
      minutesStep={5}
      error={error}
      disabled={disabled}
      w={w}
      description={description}
      data-testid={rest['data-testid']}
    />
  );
}
