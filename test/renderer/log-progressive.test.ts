/** The delivery log renders a new list's first rows, more as they are scrolled to, and never shrinks what was shown. */
import { describe, expect, it } from 'vitest';
import { FIRST_ROWS, ROWS_PER_STEP, rowsAfterStep, rowsForNewList } from '../../renderer/src/screens/delivery-log/log-table.tsx';

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
});
