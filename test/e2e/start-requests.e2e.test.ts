/**
 * The start's own files fit in the six connections Chromium opens to one host over HTTP/1.1: a seventh request waits
 * until one of them is free. The page asks for them all at once (the document names every start chunk as a module
 * preload), so it is their count that decides, not their order.
 */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';

const sessions = useDemoSessions();

/** Chromium's connections per host over HTTP/1.1. */
const CONNECTIONS_PER_HOST = 6;

describe('start: the page\'s own files', () => {
  it('are at most six requests, all asked before the app\'s modules ran, and none is a screen loaded later', async () => {
    const { page } = await sessions.open();
    const start = await page.evaluate(() => {
      const evaluated = performance.getEntriesByName('frontdesk:modules_evaluated')[0]?.startTime ?? Infinity;
      return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((entry) => entry.startTime < evaluated && new URL(entry.name).origin === location.origin)
        .map((entry) => new URL(entry.name).pathname);
    });
    expect(start.length).toBeGreaterThan(0);
    expect(start.length, start.join(', ')).toBeLessThanOrEqual(CONNECTIONS_PER_HOST);
    // The other screens' chunks follow once the page is idle (lazy-screens.tsx): none of them is on the way to the first paint.
    expect(start.filter((file) => /\/(clients|settings|staff|services|setup|delivery-log|notification-center)-/.test(file))).toEqual([]);
  });
});
