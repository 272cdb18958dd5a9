/**
 * Which columns of the day grid get their blocks rendered: those in the grid's horizontal scroll viewport, one more on
 * each side (so Tab and a short scroll never reach an empty column), and any column holding the focused or the dragged
 * block. With 29 specialists only about ten columns are on screen; mounting the other nineteen made a day switch lay
 * out and paint 600 blocks where 200 are seen (content-visibility alone skipped only the columns far to the right).
 * When the grid shows another day, the columns beside the view wait until the page is idle (time-grid.tsx).
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/** Inclusive index range of mounted columns. */
export type ColumnRange = readonly [first: number, last: number];

export interface ColumnGeometry {
  /** The grid's scrollLeft and clientWidth. */
  scrollLeft: number;
  clientWidth: number;
  /** Width of the sticky hour gutter in front of the first column. */
  gutter: number;
  columnWidth: number;
  count: number;
  /** Columns kept mounted beyond each edge of the viewport. */
  overscan: number;
}

/** Columns intersecting the viewport right of the sticky gutter, widened by `overscan` on each side. */
export function visibleColumns({ scrollLeft, clientWidth, gutter, columnWidth, count, overscan }: ColumnGeometry): ColumnRange {
  if (count <= 0) return [0, -1];
  if (!(columnWidth > 0) || !(clientWidth > 0)) return [0, count - 1];
  // Column i covers [gutter + i·w, gutter + (i+1)·w) in content coordinates; the gutter hides what scrolls under it.
  const from = Math.floor(scrollLeft / columnWidth);
  const to = Math.ceil((scrollLeft + clientWidth - gutter) / columnWidth) - 1;
  return [Math.max(0, Math.min(from, count - 1) - overscan), Math.min(count - 1, Math.max(to, 0) + overscan)];
}

/** The smallest range holding `range` and column `index` (when there is one). */
export function widenTo(range: ColumnRange, index: number | undefined): ColumnRange {
  if (index === undefined || index < 0) return range;
  return [Math.min(range[0], index), Math.max(range[1], index)];
}

export interface ColumnWindow {
  /** The columns to mount: those in view, `overscan` more on each side, and those of a focused or dragged block. */
  mounted: ColumnRange;
  /** The same without the overscan. */
  inView: ColumnRange;
}

/**
 * Tracks the column window for a grid element whose children with `data-testid="calendar-column"` are the columns,
 * in order. Measured before paint (layout effect) and again on scroll and resize; renders only when a range changes.
 */
export function useColumnWindow(gridRef: RefObject<HTMLElement | null>, count: number, gutter: number, overscan = 1): ColumnWindow {
  // Before the first measurement, no column: the layout effect measures the grid of empty columns and its render mounts
  // the columns in view, in the same task, before paint. A first guess of a dozen columns rendered, laid out (the
  // measurement forces a layout) and removed three of them at every start in a 1600 px window, where nine are mounted.
  const [columnWindow, setColumnWindow] = useState<ColumnWindow>(UNMEASURED);
  const measure = useCallback(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const columns = grid.querySelectorAll<HTMLElement>(':scope > [data-testid="calendar-column"]');
    const first = columns[0];
    const columnWidth = first ? first.getBoundingClientRect().width : 0;
    const geometry = { scrollLeft: grid.scrollLeft, clientWidth: grid.clientWidth, gutter, columnWidth, count };
    // A focused block keeps its column (focus would fall to the page), a dragged one too (the drag holds its element).
    const indexOf = (element: Element | null) => {
      const column = element?.closest('[data-testid="calendar-column"]');
      return column ? [...columns].indexOf(column as HTMLElement) : undefined;
    };
    const focused = grid.contains(document.activeElement) ? indexOf(document.activeElement) : undefined;
    const dragged = indexOf(grid.querySelector('[data-dragging]'));
    const held = (range: ColumnRange) => widenTo(widenTo(range, focused), dragged);
    const mounted = held(visibleColumns({ ...geometry, overscan }));
    const inView = held(visibleColumns({ ...geometry, overscan: 0 }));
    setColumnWindow((current) => (sameRange(current.mounted, mounted) && sameRange(current.inView, inView) ? current : { mounted, inView }));
  }, [gridRef, count, gutter, overscan]);

  useLayoutEffect(() => {
    measure();
    const grid = gridRef.current;
    if (!grid) return;
    grid.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(grid);
    return () => {
      grid.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [gridRef, measure]);
  return columnWindow;
}

const UNMEASURED: ColumnWindow = { mounted: [0, -1], inView: [0, -1] };

function sameRange(a: ColumnRange, b: ColumnRange): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
