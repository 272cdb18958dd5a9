/**
 * A tab's first Intl formatter loads ICU's data (tens of ms in a fresh tab on a busy machine). At start the page makes
 * its first ones while the host answers the list of locations (app/warm-intl.ts): not on the way from that answer to
 * the day's query, where the calendar made them, and not before the page's storage requests have left either.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { demoWorkdayHash } from './support/demo-days.ts';

const sessions = useDemoSessions();

interface FirstFormatters {
  dateTime?: number;
  number?: number;
}

/** Records the page-clock time of the first construction of each kind (installed before the app's code runs). */
async function watchFormatters(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const first: { dateTime?: number; number?: number } = {};
    (window as unknown as { __firstFormatters: typeof first }).__firstFormatters = first;
    const watch = <T extends object>(Original: new (...args: never[]) => T, kind: keyof typeof first) => {
      const Watched = function (...args: never[]) {
        first[kind] ??= performance.now();
        return new Original(...args);
      } as unknown as typeof Original & { supportedLocalesOf: unknown };
      Watched.prototype = Original.prototype;
      Watched.supportedLocalesOf = (Original as unknown as { supportedLocalesOf: unknown }).supportedLocalesOf;
      return Watched;
    };
    Intl.DateTimeFormat = watch(Intl.DateTimeFormat, 'dateTime') as typeof Intl.DateTimeFormat;
    Intl.NumberFormat = watch(Intl.NumberFormat, 'number') as typeof Intl.NumberFormat;
  });
}

describe('start: the first Intl formatters', () => {
  it('are made while the list of locations is on its way, after the storage collections were added', async () => {
    let reads: HeldReads | undefined;
    const { page } = await sessions.open({
      hash: demoWorkdayHash(),
      beforeOpen: async (p) => {
        await watchFormatters(p);
        reads = await holdableReads(p, 'locations');
        reads.hold();
      },
    });
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    const firstFormatters = () => page.evaluate(() => (window as unknown as { __firstFormatters: FirstFormatters }).__firstFormatters);
    await expect.poll(async () => (await firstFormatters()).number).toBeGreaterThan(0);
    const first = await firstFormatters();
    const marks = await page.evaluate(() => ({
      collectionsAdded: performance.getEntriesByName('frontdesk:collections_added')[0]?.startTime,
      locationsLoaded: performance.getEntriesByName('frontdesk:locations_loaded')[0]?.startTime,
    }));
    expect(marks.collectionsAdded).toBeGreaterThan(0);
    expect(first.dateTime).toBeGreaterThan(marks.collectionsAdded!);
    expect(first.number).toBeGreaterThan(marks.collectionsAdded!);
    expect(marks.locationsLoaded).toBeUndefined();

    reads!.release();
    await new CalendarPage(page).blocks.first().waitFor();
  });
});
