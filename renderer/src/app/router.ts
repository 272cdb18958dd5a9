/**
 * A tiny hash router: the desk app has a handful of screens and one overlay (the visit card), and hash routes
 * survive reloads in both the app:// protocol and the web mode without server support.
 */
import { useEffect, useState } from 'react';
import { confirmDiscard, hasUnsavedChanges } from './unsaved.ts';
import { whenIdle } from './when-idle.ts';

export const SCREENS = ['calendar', 'clients', 'notifications', 'settings', 'log', 'staff', 'services', 'setup'] as const;
export type Screen = (typeof SCREENS)[number];

export interface Route {
  screen: Screen;
  /** Screen-specific rest of the path, e.g. a date for the calendar or a client id. */
  params: string[];
  /** The visit card overlay, open over any screen. */
  visitId?: string;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first, ...params] = path.split('/').filter(Boolean).map(decodeURIComponent);
  const screen = (SCREENS as readonly string[]).includes(first ?? '') ? (first as Screen) : 'calendar';
  const visitId = new URLSearchParams(query).get('visit') ?? undefined;
  return { screen, params, ...(visitId ? { visitId } : {}) };
}

export function formatRoute(route: Route): string {
  const path = [route.screen, ...route.params].map(encodeURIComponent).join('/');
  return `#/${path}${route.visitId ? `?visit=${encodeURIComponent(route.visitId)}` : ''}`;
}

/**
 * Goes to a route. Leaving the screen or what it shows (another client, type, tab) asks first when a form there has
 * unsaved edits; opening or closing the visit card over the same screen does not.
 */
/** The same screen with the same content (only the visit card overlay may differ). */
function samePage(a: Route, b: Route): boolean {
  return formatRoute({ ...a, visitId: undefined }) === formatRoute({ ...b, visitId: undefined });
}

/** A hash change already asked about (by navigate, or after the question below): let it through once. */
let allowNextChange = false;
let shownHash = typeof window === 'undefined' ? '' : window.location.hash;

/** A route shown whose history entry waits for the page to be idle (navigate's historyAfterPaint). */
let entryAfterPaint: { target: string; cancel: () => void } | undefined;

/** The hash of the route on screen: the address, or the one shown whose history entry is still to come. */
function currentHash(): string {
  return entryAfterPaint?.target ?? window.location.hash;
}

/** At the latest this long after a route was shown, its history entry is made even if the page was never idle. */
const ENTRY_AFTER_PAINT_MS = 300;

/** Makes the waiting history entry now (before another one, so they stay in order). */
function pushEntryAfterPaint(): void {
  if (!entryAfterPaint) return;
  const { target, cancel } = entryAfterPaint;
  entryAfterPaint = undefined;
  cancel();
  // Routes shown and left before the page was idle (a card opened and closed at once) leave the address as it was.
  if (target !== window.location.hash) history.pushState(null, '', target);
}

/**
 * Hash changes navigate() did not make — the browser's Back and Forward, a typed address, a link — ask too: while a
 * form has unsaved edits, the change is held (the address put back, the screens never see it) until the person
 * chose to discard them. Registered when this module loads, before any screen listens, so it can stop the event.
 */
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', (event) => {
    // The browser moved (Back, Forward, a typed address): an entry still waiting would land on top of the wrong one.
    entryAfterPaint?.cancel();
    entryAfterPaint = undefined;
    const target = window.location.hash;
    if (allowNextChange || samePage(parseRoute(shownHash), parseRoute(target)) || !hasUnsavedChanges()) {
      allowNextChange = false;
      shownHash = target;
      return;
    }
    event.stopImmediatePropagation();
    history.replaceState(history.state, '', shownHash || '#/');
    void confirmDiscard().then((discard) => {
      if (!discard) return;
      allowNextChange = true;
      window.location.hash = target;
    });
  });
}

export interface NavigateOptions {
  /**
   * The history entry is made once the page is idle after the route was painted (at the latest 300 ms later), not in
   * the caller's task: history.pushState waits for the browser process (0.3-14 ms, median ~5 ms, in bench:ui's page
   * on a loaded machine), time a day switch's frame waited for. The address then follows the screen; Back and Forward
   * work as before. Routes shown before the page was idle (a held arrow key, quick clicks) make one entry, the last.
   */
  historyAfterPaint?: boolean;
}

/**
 * Goes to a route. Leaving the screen or what it shows (another client, type, tab) asks first when a form there has
 * unsaved edits; opening or closing the visit card over the same screen does not.
 */
export function navigate(route: Route, options: NavigateOptions = {}): void {
  const target = formatRoute(route);
  const afterPaint = options.historyAfterPaint === true;
  // Shown in the caller's task when there is nothing to ask about: after confirmDiscard's promise, even a resolved
  // one, the screens' update came from a microtask outside the click or key press, so React rendered it in a task of
  // its own, often only after the browser had painted a frame of the old screen (a day switch waited a frame for it).
  if (samePage(parseRoute(currentHash()), route) || !hasUnsavedChanges()) {
    show(target, afterPaint);
    return;
  }
  void confirmDiscard().then((discard) => {
    if (discard) show(target, afterPaint);
  });
}

/** The screens' useRoute hooks, told of a route navigate() showed (it fires no hashchange). */
const routeListeners = new Set<() => void>();

/**
 * Shows a route in this task: a new history entry (Back and Forward then fire hashchange as before) and the screens
 * re-rendered at once. Setting location.hash instead made the browser scroll to the fragment and run the screens only
 * from the hashchange task after it, a task later; a click on a visit waited for both before its card began to render.
 */
function show(target: string, historyAfterPaint: boolean): void {
  if (target === currentHash()) return;
  if (historyAfterPaint) {
    entryAfterPaint?.cancel();
    entryAfterPaint = { target, cancel: whenIdle(pushEntryAfterPaint, ENTRY_AFTER_PAINT_MS) };
  } else {
    pushEntryAfterPaint();
    history.pushState(null, '', target);
  }
  shownHash = target;
  for (const listener of routeListeners) listener();
}

/** Opens or closes the visit card; its history entry follows the painted card (historyAfterPaint: ~5 ms less for it). */
export function openVisit(visitId: string | undefined): void {
  navigate({ ...parseRoute(currentHash()), ...(visitId ? { visitId } : { visitId: undefined }) }, { historyAfterPaint: true });
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(currentHash()));
  useEffect(() => {
    const update = () => setRoute(parseRoute(currentHash()));
    window.addEventListener('hashchange', update);
    routeListeners.add(update);
    return () => {
      window.removeEventListener('hashchange', update);
      routeListeners.delete(update);
    };
  }, []);
  return route;
}
