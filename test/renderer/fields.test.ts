/** What the date and time inputs make of what people type (the values the forms get). */
import { describe, expect, it } from 'vitest';
import { datePattern, parseTypedDate, tidyTime } from '../../renderer/src/app/fields.tsx';

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
});
