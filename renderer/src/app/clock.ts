/**
 * The desk's clock. Event handlers read it with `deskClock.now()`; rendering uses `useNow()`, a value that changes on
 * a timer, so a component renders the same output for the same state (React's purity rule) and still moves on.
 */
import { useEffect, useState } from 'react';
import type { Clock } from '../../../shared/time/clock.ts';

export const deskClock: Clock = { now: () => Date.now() };

/** The current time, refreshed every `everyMs` (default: a minute). */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => deskClock.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(deskClock.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
