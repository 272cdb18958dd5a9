/** What the date and time inputs make of what people type (the values the forms get). */
import { describe, expect, it } from 'vitest';
import { datePattern, formatBirthday, parseTypedBirthday, parseTypedDate, tidyTime, yearlessPattern } from '../../renderer/src/app/fields.tsx';

describe('typed dates and times', () => {
  it('reads dates in the desk locale order or as ISO, and refuses days the calendar lacks', () => {
    expect(datePattern('ru-RU')).toBe('DD.MM.YYYY');
    expect(datePattern('en-GB')).toBe('DD/MM/YYYY');
    expect(parseTypedDate('28.03.2027', 'DD.MM.YYYY')).toBe('2027-03-28');
    expect(parseTypedDate('28/03/2027', 'DD/MM/YYYY')).toBe('2027-03-28');
    expect(parseTypedDate('2027-03-28', 'DD.MM.YYYY')).toBe('2027-03-28');
    expect(parseTypedDate('30.02.1990', 'DD.MM.YYYY')).toBeNull();
    expect(parseTypedDate('1990-02-30', 'DD.MM.YYYY')).toBeNull();
    expect(parseTypedDate('03/28/2027', 'DD/MM/YYYY')).toBeNull();
  });

  it('tidies times to 24-hour HH:MM and leaves what is no time of day as typed', () => {
    expect(tidyTime('14:30')).toBe('14:30');
    expect(tidyTime('1430')).toBe('14:30');
    expect(tidyTime('930')).toBe('09:30');
    expect(tidyTime('9')).toBe('09:00');
    expect(tidyTime('21.15')).toBe('21:15');
    expect(tidyTime('')).toBe('');
    expect(tidyTime('25:00')).toBe('25:00');
    expect(tidyTime('9 PM')).toBe('9 PM');
  });

  it('read and show birthdays in the desk locale order, with or without the year, and keep what is no date as typed', () => {
    expect(yearlessPattern('DD.MM.YYYY')).toBe('DD.MM');
    expect(yearlessPattern('DD/MM/YYYY')).toBe('DD/MM');
    expect(yearlessPattern('YYYY-MM-DD')).toBe('MM-DD');
    expect(parseTypedBirthday('20.12.1996', 'DD.MM.YYYY')).toBe('1996-12-20');
    expect(parseTypedBirthday('20/12/1996', 'DD/MM/YYYY')).toBe('1996-12-20');
    expect(parseTypedBirthday('20.12', 'DD.MM.YYYY')).toBe('--12-20');
    expect(parseTypedBirthday(' 20.12. ', 'DD.MM.YYYY')).toBe('--12-20');
    expect(parseTypedBirthday('29.02', 'DD.MM.YYYY')).toBe('--02-29');
    expect(parseTypedBirthday('1996-12-20', 'DD.MM.YYYY')).toBe('1996-12-20');
    expect(parseTypedBirthday('--12-20', 'DD/MM/YYYY')).toBe('--12-20');
    expect(parseTypedBirthday('', 'DD.MM.YYYY')).toBe('');
    // No such day, or the wrong order: passed on as typed, for the form's check to name.
    expect(parseTypedBirthday('30.02.1990', 'DD.MM.YYYY')).toBe('30.02.1990');
    expect(parseTypedBirthday('12/20/1996', 'DD/MM/YYYY')).toBe('12/20/1996');
    expect(parseTypedBirthday('31.04', 'DD.MM.YYYY')).toBe('31.04');
    expect(formatBirthday('1996-12-20', 'DD.MM.YYYY')).toBe('20.12.1996');
    expect(formatBirthday('--12-20', 'DD/MM/YYYY')).toBe('20/12');
    expect(formatBirthday('1990-02-30', 'DD.MM.YYYY')).toBe('1990-02-30');
    expect(formatBirthday('--02-29', 'DD.MM.YYYY')).toBe('29.02');
    expect(formatBirthday('not a date', 'DD.MM.YYYY')).toBe('not a date');
  });
});
