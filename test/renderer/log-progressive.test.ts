/** The delivery log renders a new list's first rows, more as they are scrolled to, and never shrinks what was shown. */
import { describe, expect, it } from 'vitest';
import { FIRST_ROWS, MIN_ROW_PX, NEAR_PX, ROWS_PER_STEP, rowsAfterStep, rowsForNewList, rowsToFill } from '../../renderer/src/screens/delivery-log/log-table.tsx';

describe('delivery log rows rendered', () => {
  it('a new filter starts with the first rows and grows a step each time the end comes near, up to the whole list', () => {
    let shown = rowsForNewList(200, 200, true);
    expect(shown).toBe(FIRST_ROWS);
    const steps: number[] = [];
    while (shown < 200) steps.push((shown = rowsAfterStep(shown, 200)));
    expect(steps.at(-1)).toBe(200);
    expect(steps.length).toBe(Math.ceil((200 - FIRST_ROWS) / ROWS_PER_STEP));
  });

  it('a short list is rendered whole at once', () => {
    expect(rowsForNewList(0, 12, true)).toBe(12);
    expect(rowsForNewList(0, 12, false)).toBe(12);
  });

  it('a live refresh or "load more" keeps every row shown (no jump back to the first rows); the new ones follow on scrolling', () => {
    expect(rowsForNewList(200, 200, false)).toBe(200);
    expect(rowsForNewList(200, 450, false)).toBe(200);
    expect(rowsForNewList(80, 200, false)).toBe(80);
    expect(rowsForNewList(10, 200, false)).toBe(FIRST_ROWS);
  });

  it('a new filter renders the rows that fill the view and the margin below it, rows as high as in the last list', () => {
    // A 670 px view of two-line rows (60 px): the margin is 150 px, so 14 rows reach past it and one more is kept.
    const first = rowsToFill({ viewPx: 670, rowPx: 60 });
    expect(first).toBe(15);
    expect((first - 1) * 60).toBeGreaterThan(670 + NEAR_PX);
    expect(rowsForNewList(200, 200, true, first)).toBe(15);
    // Never more than FIRST_ROWS, nor as if rows were shorter than one line; FIRST_ROWS until measured.
    expect(rowsToFill({ viewPx: 670, rowPx: 10 })).toBe(Math.min(FIRST_ROWS, Math.ceil((670 + NEAR_PX) / MIN_ROW_PX) + 1));
    expect(rowsToFill({ viewPx: 2000, rowPx: 60 })).toBe(FIRST_ROWS);
    expect(rowsToFill({})).toBe(FIRST_ROWS);
    // A live refresh still keeps what was shown.
    expect(rowsForNewList(80, 200, false, first)).toBe(80);
  });
});
