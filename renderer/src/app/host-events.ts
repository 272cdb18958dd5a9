/** Live screens refetch when the host pushes a change event; never by polling. */
import { useEffect, useRef } from 'react';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import { useConnection } from './connection-context.ts';

/**
 * Calls `onChange` (debounced by `debounceMs`) whenever the host pushes an event of `type`. The latest callback is
 * used, so callers need not memoise it.
 */
export function useHostEvent(type: HostEvent['type'], onChange: () => void, debounceMs = 0): void {
  const { onEvent } = useConnection();
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onEvent((event) => {
      if (event.type !== type) return;
      if (debounceMs <= 0) return latest.current();
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), debounceMs);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [onEvent, type, debounceMs]);
}

/** Calls `onEvent` with each pushed event of `type` and its data (no debounce: every event counts, e.g. a toast). */
export function useHostEventData<T extends HostEvent['type']>(type: T, onEvent: (event: Extract<HostEvent, { type: T }>) => void): void {
  const { onEvent: subscribe } = useConnection();
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  useEffect(
    () =>
      subscribe((event) => {
        if (event.type === type) latest.current(event as Extract<HostEvent, { type: T }>);
      }),
    [subscribe, type],
  );
}

/** Calls `onClosed` once the connection to the host is gone for good (web mode: the host stopped under the page). */
export function useConnectionClosed(onClosed: (error: Error) => void): void {
  const { onClosed: subscribe } = useConnection();
  const latest = useRef(onClosed);
  useEffect(() => {
    latest.current = onClosed;
  });
  useEffect(() => subscribe((error) => latest.current(error)), [subscribe]);
}
