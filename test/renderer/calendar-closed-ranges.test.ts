/** The day grid hatches the hours outside work: the complement of the working ranges within the grid's hours. */
import { describe, expect, it } from 'vitest';
import { closedRanges } from '../../renderer/src/screens/calendar/calendar-model.ts';

const h = (hours: number) => hours * 60;

describe('closedRanges', () => {
  it('leaves the working ranges open and closes what is before, between and after them', () => {
    expect(closedRanges([{ start: '09:00', end: '13:00' }, { start: '14:00', end: '17:00' }], h(8), h(20))).toEqual([[h(8), h(9)], [h(13), h(14)], [h(17), h(20)]]);
  });

  it('closes the whole grid on a day without hours and nothing when work fills it', () => {
    expect(closedRanges([], h(8), h(20))).toEqual([[h(8), h(20)]]);
    expect(closedRanges([{ start: '07:00', end: '21:00' }], h(8), h(20))).toEqual([]);
  });

  it('merges unsorted and overlapping ranges and clips them to the grid', () => {
    expect(closedRanges([{ start: '15:00', end: '22:00' }, { start: '06:00', end: '10:00' }, { start: '09:30', end: '12:00' }], h(8), h(20))).toEqual([[h(12), h(15)]]);
    expect(closedRanges([{ start: '10:00', end: '10:00' }, { start: '20:00', end: '21:00' }], h(8), h(20))).toEqual([[h(8), h(20)]]);
  });
});
