/** The day grid mounts blocks only in columns on screen (plus overscan): the range must cover exactly those. */
import { describe, expect, it } from 'vitest';
import { visibleColumns, widenTo } from '../../renderer/src/screens/calendar/column-window.ts';

const base = { gutter: 56, columnWidth: 170, count: 29, overscan: 0 };

/** Columns with any pixel in the viewport right of the sticky gutter, found by walking every column. */
function byWalking(scrollLeft: number, clientWidth: number): [number, number] {
  const seen: number[] = [];
  for (let i = 0; i < base.count; i++) {
    const left = base.gutter + i * base.columnWidth;
    const right = left + base.columnWidth;
    if (right > scrollLeft + base.gutter && left < scrollLeft + clientWidth) seen.push(i);
  }
  return [seen[0]!, seen[seen.length - 1]!];
}

describe('visibleColumns', () => {
  it('matches a walk over the columns at every scroll position and width', () => {
    const maxScroll = base.gutter + base.count * base.columnWidth;
    for (const clientWidth of [300, 1244, 1300, 1600]) {
      for (let scrollLeft = 0; scrollLeft + clientWidth <= maxScroll; scrollLeft += 17) {
        expect(visibleColumns({ ...base, scrollLeft, clientWidth }), `${scrollLeft}/${clientWidth}`).toEqual(byWalking(scrollLeft, clientWidth));
      }
    }
  });

  it('a column ending exactly at the gutter is hidden; one starting exactly at the right edge too', () => {
    expect(visibleColumns({ ...base, scrollLeft: 170, clientWidth: 56 + 340 })).toEqual([1, 2]);
  });

  it('widens by the overscan, clamped to the columns there are', () => {
    expect(visibleColumns({ ...base, overscan: 1, scrollLeft: 0, clientWidth: 1300 })).toEqual([0, 8]);
    expect(visibleColumns({ ...base, overscan: 1, scrollLeft: 170 * 10 + 5, clientWidth: 1300 })).toEqual([9, 18]);
    expect(visibleColumns({ ...base, overscan: 2, scrollLeft: 56 + 29 * 170 - 1300, clientWidth: 1300 })).toEqual([19, 28]);
  });

  it('mounts everything while the grid has no size yet, nothing when there are no columns', () => {
    expect(visibleColumns({ ...base, scrollLeft: 0, clientWidth: 0 })).toEqual([0, 28]);
    expect(visibleColumns({ ...base, columnWidth: 0, scrollLeft: 0, clientWidth: 1300 })).toEqual([0, 28]);
    expect(visibleColumns({ ...base, count: 0, scrollLeft: 0, clientWidth: 1300 })).toEqual([0, -1]);
  });
});

describe('widenTo', () => {
  it('keeps a column outside the range (focused or dragged block) mounted', () => {
    expect(widenTo([3, 8], 20)).toEqual([3, 20]);
    expect(widenTo([3, 8], 0)).toEqual([0, 8]);
    expect(widenTo([3, 8], 5)).toEqual([3, 8]);
    expect(widenTo([3, 8], undefined)).toEqual([3, 8]);
    expect(widenTo([3, 8], -1)).toEqual([3, 8]);
  });
});
