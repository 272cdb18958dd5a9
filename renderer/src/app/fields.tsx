/**
 * Date and time inputs that read as the desk expects, whatever the browser's own locale (a native date or time input
 * follows the browser's, and showed "12/02/2026" and "09:00 PM" in a German salon): dates in the desk language's
 * order (25.11.2026, 25/11/2026), times always as 24-hour "HH:MM" on the salon's clock. Values stay "YYYY-MM-DD" and
 * "HH:MM" strings. Both accept what people type: a date in the shown order or as YYYY-MM-DD, a time as 14:30, 1430,
 * 14.30 or 9 — tidied to HH:MM when the input is left.
 */
import { TextInput, type MantineSize } from '@mantine/core';
import { DateInput, DatesProvider } from '@mantine/dates';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/ru';
import 'dayjs/locale/en-gb';
import { useContext, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from './i18n.ts';
import { UnfinishedDatesContext } from './unfinished-dates.ts';
import { useUnsavedChanges } from './unsaved.ts';

dayjs.extend(customParseFormat);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Patterns per locale: an Intl.DateTimeFormat per date field and render cost milliseconds in every form. */
const datePatterns = new Map<string, string>();

/** "DD.MM.YYYY"-style pattern of a locale, from Intl (so it follows the locale's own order and separator). */
export function datePattern(locale: string): string {
  let pattern = datePatterns.get(locale);
  if (pattern === undefined) {
    const parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(Date.UTC(2026, 10, 25, 12));
    pattern = parts.map((p) => (p.type === 'day' ? 'DD' : p.type === 'month' ? 'MM' : p.type === 'year' ? 'YYYY' : p.value)).join('');
    datePatterns.set(locale, pattern);
  }
  return pattern;
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
  size?: MantineSize;
}

/** A typed date as YYYY-MM-DD: ISO as is, else strictly in the locale's pattern; null when it is no calendar date. */
export function parseTypedDate(text: string, pattern: string): string | null {
  const typed = text.trim();
  const parsed = ISO_DATE.test(typed) ? dayjs(typed, 'YYYY-MM-DD', true) : dayjs(typed, pattern, true);
  return parsed.isValid() ? parsed.format('YYYY-MM-DD') : null;
}

const ISO_BIRTHDAY = /^(\d{4}|-)-\d{2}-\d{2}$/;

/** The locale's date pattern without its year ("DD.MM", "DD/MM"): a birthday may be known without one. */
export function yearlessPattern(pattern: string): string {
  return pattern.replace(/[^DMY]*YYYY[^DMY]*/, '');
}

/** A stored birthday ("1996-12-20", or "--12-20" without the year) in the locale's order; what is no date, as it is. */
export function formatBirthday(value: string, pattern: string): string {
  if (dayjs(value, 'YYYY-MM-DD', true).isValid()) return dayjs(value, 'YYYY-MM-DD', true).format(pattern);
  const yearless = dayjs(`2000${value.slice(1)}`, 'YYYY-MM-DD', true);
  if (value.startsWith('--') && yearless.isValid()) return yearless.format(yearlessPattern(pattern));
  return value;
}

/**
 * A typed birthday as stored: "20.12.1996" → "1996-12-20", "20.12" or "20.12." → "--12-20" (in the locale's order),
 * ISO as it is. What is no date comes back as typed, for the form's own check to name.
 */
export function parseTypedBirthday(text: string, pattern: string): string {
  const typed = text.trim();
  if (typed === '' || ISO_BIRTHDAY.test(typed)) return typed;
  const full = dayjs(typed, pattern, true);
  if (full.isValid()) return full.format('YYYY-MM-DD');
  // Without a year, read in a leap year so that 29 February is a birthday too.
  const dayMonth = typed.replace(/[./\-\s]+$/, '');
  const yearless = dayjs(`${dayMonth} 2000`, `${yearlessPattern(pattern)} YYYY`, true);
  return yearless.isValid() ? yearless.format('--MM-DD') : typed;
}

/**
 * A typed time as HH:MM (24-hour): "14:30", "14.30", "1430", "930", "9" → "09:00"; what cannot be a time of day is
 * returned as typed, for the form's own check to name.
 */
export function tidyTime(text: string): string {
  const typed = text.trim();
  const match = /^(\d{1,2})(?:[:.h ]?(\d{2}))?$/.exec(typed);
  if (!match) return typed;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? '0');
  if (hours > 23 || minutes > 59) return typed;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/**
 * The calendar goes the moment it closes: fading out (Mantine's 150 ms), it still counted as an open dropdown, and an
 * Escape pressed then was taken for it and closed nothing (useEscapeClosesTopmost).
 */
const DATE_POPOVER = { withinPortal: true, transitionProps: { duration: 0 } };

/** A typed text as the value it stands for: '' for nothing, YYYY-MM-DD for a whole date, null for anything else. */
function typedValue(text: string, pattern: string): string | null {
  return text.trim() === '' ? '' : parseTypedDate(text, pattern);
}

/** The date the text seems to be heading for ("15.12" → 15.12.2026, in the value's year), else the value itself. */
function exampleDate(text: string, value: string, pattern: string): string {
  const year = (value || dayjs().format('YYYY-MM-DD')).slice(0, 4);
  const dayMonth = text.trim().replace(/[./\-\s]+$/, '');
  const completed = dayjs(`${dayMonth} ${year}`, `${yearlessPattern(pattern)} YYYY`, true);
  return (completed.isValid() ? completed : dayjs(value || undefined)).format(pattern);
}

/**
 * A date typed in the desk locale's order, or picked from a calendar. Its calendar opens on typing, ArrowDown, Enter
 * or a click, not when the field is merely reached with Tab (it covered the fields below). While its text is not its
 * value — a date half typed, or no date — Enter submits nothing, leaving it keeps the text and says what to finish,
 * and a form around it (UnfinishedDatesContext) refuses to save: the value is still the last whole date typed.
 */
export function DateField({ label, value, onChange, error, disabled, w, description, clearable, size, ...rest }: FieldProps) {
  const { locale, t } = useI18n();
  const pattern = datePattern(locale);
  // The pattern in the desk's letters (ДД.ММ.ГГГГ in Russian).
  const placeholder = pattern.replace('DD', t('common.dayLetters')).replace('MM', t('common.monthLetters')).replace('YYYY', t('common.yearLetters'));
  const [opened, setOpened] = useState(false);
  // What was typed since the value was last shown, and whether the field has said it is unfinished.
  const [typed, setTyped] = useState<string | undefined>();
  const [told, setTold] = useState(false);
  // A value set from outside (a day picked, the field cleared, the form reset) replaces what was typed.
  const [shownValue, setShownValue] = useState(value);
  if (shownValue !== value) {
    setShownValue(value);
    if (typed !== undefined && typedValue(typed, pattern) !== value) setTyped(undefined);
  }
  const unfinished = typed !== undefined && typedValue(typed, pattern) !== value;
  const input = useRef<HTMLInputElement>(null);
  const form = useContext(UnfinishedDatesContext);
  useEffect(() => form?.add({ input: input.current, unfinished: () => unfinished, tell: () => setTold(true) }), [form, unfinished]);
  // In a form, a date being typed is an edit like any other: closing the form asks before dropping it.
  useUnsavedChanges(unfinished && form !== null);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') setOpened(true);
    // Enter submits no form around it: see the field's comment. Enter in the time field saves.
    if (event.key === 'Enter') event.preventDefault();
    if (event.key === 'Escape') setOpened(false);
  };
  return (
    <DateInput
      ref={input}
      label={label}
      value={value || null}
      onChange={(next) => onChange(next ? String(next).slice(0, 10) : '')}
      valueFormat={pattern}
      placeholder={placeholder}
      dateParser={(text) => parseTypedDate(text, pattern)}
      error={unfinished && told ? t('dates.unfinished', { example: exampleDate(typed, value, pattern) }) : error}
      disabled={disabled}
      w={w}
      description={description}
      clearable={clearable}
      {...(size ? { size } : {})}
      popoverProps={{ ...DATE_POPOVER, opened, onClose: () => setOpened(false) }}
      getDayProps={() => ({ onClick: () => setOpened(false) })}
      ariaLabels={{
        previousMonth: t('dates.previousMonth'), nextMonth: t('dates.nextMonth'), previousYear: t('dates.previousYear'), nextYear: t('dates.nextYear'),
        previousDecade: t('dates.previousDecade'), nextDecade: t('dates.nextDecade'), monthLevelControl: t('dates.chooseMonth'), yearLevelControl: t('dates.chooseYear'),
      }}
      onInput={(event) => {
        const text = event.currentTarget.value;
        setTyped(text);
        setOpened(true);
        if (typedValue(text, pattern) !== null) setTold(false);
      }}
      onClick={() => setOpened(true)}
      onKeyDown={onKeyDown}
      onBlur={() => {
        setOpened(false);
        if (unfinished) setTold(true);
        else setTyped(undefined);
      }}
      // A whole date is tidied into the locale's order when left; an unfinished text stays, with what to finish.
      fixOnBlur={!unfinished}
      data-testid={rest['data-testid']}
    />
  );
}

/** A birthday, with or without the year, typed and shown in the desk locale's order; the form gets the stored form. */
export function BirthdayField({ label, value, onChange, error, disabled, w, ...rest }: FieldProps) {
  const { locale, t } = useI18n();
  const pattern = datePattern(locale);
  const letters = (p: string) => p.replace('DD', t('common.dayLetters')).replace('MM', t('common.monthLetters')).replace('YYYY', t('common.yearLetters'));
  // What is being typed, until the input is left (then the stored value is shown in the locale's order).
  const [typing, setTyping] = useState<string | undefined>();
  return (
    <TextInput
      label={label}
      value={typing ?? formatBirthday(value, pattern)}
      onChange={(event) => {
        setTyping(event.currentTarget.value);
        onChange(parseTypedBirthday(event.currentTarget.value, pattern));
      }}
      onBlur={() => setTyping(undefined)}
      placeholder={t('clients.birthdayPlaceholder', { full: letters(pattern), dayMonth: letters(yearlessPattern(pattern)) })}
      autoComplete="off"
      maxLength={16}
      error={error}
      disabled={disabled}
      w={w}
      data-testid={rest['data-testid']}
    />
  );
}

/** A 24-hour "HH:MM" time (the salon's clock), typed; tidied when left. */
export function TimeField({ label, value, onChange, error, disabled, w, description, ...rest }: FieldProps) {
  const { t } = useI18n();
  // What is being typed, until the input is left; the form sees every keystroke (so Save reads what is shown).
  const [typing, setTyping] = useState<string | undefined>();
  return (
    <TextInput
      label={label}
      value={typing ?? value}
      onChange={(event) => {
        setTyping(event.currentTarget.value);
        onChange(tidyTime(event.currentTarget.value));
      }}
      onBlur={() => setTyping(undefined)}
      placeholder={t('common.timePlaceholder')}
      inputMode="numeric"
      autoComplete="off"
      maxLength={5}
      error={error}
      disabled={disabled}
      w={w}
      description={description}
      data-testid={rest['data-testid']}
      styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
    />
  );
}
