/**
 * Long lists that change as someone types render a screenful first and the rest of their rows after the frame that
 * shows it. Typing in the clients screen's search over 20,000 clients, the 100 rows of a page (Mantine NavLinks with
 * avatars) took two to three frames to render per key: bench:ui's client_search_typing, keydown → results painted, p95
 * 63–67 ms with all 100 rows against 41–42 ms with 24.
 */
import { startTransition, useEffect, useState } from 'react';

/** More rows than a full-height window shows of a one-line list. */
const FIRST_ROWS = 24;

/**
 * How many of `rows` to render: the first FIRST_ROWS in the commit that shows a new list, all of them in a transition
 * started after that commit's frame, so that the next key typed meanwhile interrupts it (and its own list starts over).
 */
export function useRowsAfterFrame(rows: readonly unknown[]): number {
  const [state, setState] = useState(() => ({ rows, count: Math.min(FIRST_ROWS, rows.length) }));
  let count = state.count;
  if (state.rows !== rows) {
    count = Math.min(FIRST_ROWS, rows.length);
    setState({ rows, count });
  }
  useEffect(() => {
    if (count >= rows.length) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setState((s) => (s.rows === rows ? { rows, count: rows.length } : s))), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [rows, count]);
  return count;
}
