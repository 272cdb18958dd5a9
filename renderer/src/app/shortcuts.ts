/**
 * Keyboard navigation between the screens: Alt+1…5 in nav order, or Gmail-style sequences "g c" (calendar),
 * "g l" (clients), "g n" (notification center), "g d" (delivery log), "g s" (settings), "g t" (staff), "g v" (services). Ignored while typing.
 */
import { useEffect } from 'react';
import type { Screen } from './router.ts';

export const SEQUENCE_KEYS: Readonly<Partial<Record<Screen, string>>> = { calendar: 'c', clients: 'l', notifications: 'n', log: 'd', settings: 's', staff: 't', services: 'v' };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useScreenShortcuts(order: readonly Screen[], go: (screen: Screen) => void): void {
  useEffect(() => {
    let awaitingSecond = 0;
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[1-9]$/.test(event.code)) {
        const screen = order[Number(event.code.slice(5)) - 1];
        if (screen) {
          event.preventDefault();
          go(screen);
        }
        return;
      }
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (awaitingSecond > Date.now()) {
        awaitingSecond = 0;
        const screen = order.find((s) => SEQUENCE_KEYS[s] === event.key.toLowerCase());
        if (screen) {
          event.preventDefault();
          go(screen);
        }
        return;
      }
      if (event.key === 'g') awaitingSecond = Date.now() + 1500;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [order, go]);
}
