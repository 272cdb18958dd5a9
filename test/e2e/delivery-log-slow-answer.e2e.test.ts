/**
 * A reload of the delivery log that the host is slow to answer keeps the rows it will replace, marks the table busy at
 * once and dims the rows only after DIM_AFTER_MS (most answers come sooner, and then nothing dims), in one step; the
 * answer shows undimmed. The host's `log.list` answers are held here to make the reload slow.
 */
import { describe, expect, it } from 'vitest';
import { DIM_AFTER_MS } from '../../renderer/src/screens/delivery-log/log-table.tsx';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableAnswers, type HeldAnswers } from './support/held-api-answers.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';

const sessions = useDemoSessions();

describe('delivery log while the host is slow to answer (demo salon, web mode)', () => {
  it('keeps the old rows, marks the table busy at once and dims it only once the answer is late', async () => {
    let answers: HeldAnswers | undefined;
    const { page } = await sessions.open({ beforeOpen: async (p) => (answers = await holdableAnswers(p)) });
    const log = new DeliveryLogPage(page);
    await log.open();
    await log.rows.first().waitFor();
    const table = page.getByTestId('log-table');
    const rowsBefore = await log.rows.count();
    // When the table went busy and when it dimmed, on the page's clock.
    await table.evaluate((element) => {
      const marks: { busyAt?: number; dimAt?: number } = {};
      (window as unknown as { __logMarks: typeof marks }).__logMarks = marks;
      new MutationObserver(() => {
        if (marks.busyAt === undefined && element.getAttribute('aria-busy') === 'true') marks.busyAt = performance.now();
        if (marks.dimAt === undefined && element.hasAttribute('data-dim')) marks.dimAt = performance.now();
      }).observe(element, { attributes: true });
    });

    answers!.hold('log.list');
    await log.filter('status', 'Sandbox — not sent');
    await expect.poll(() => answers!.held()).toBeGreaterThan(0);
    await expect.poll(() => table.getAttribute('data-dim')).toBe('');
    const marks = await page.evaluate(() => (window as unknown as { __logMarks: { busyAt?: number; dimAt?: number } }).__logMarks);
    expect(marks.busyAt).toBeDefined();
    // Not at once: the timer starts in the commit that marks the table busy, which the observer hears of only after
    // the rest of the click's task (ms to tens of ms on a loaded machine).
    expect(marks.dimAt! - marks.busyAt!).toBeGreaterThanOrEqual(DIM_AFTER_MS / 2);
    // The rows it will replace stay while it waits.
    expect(await log.rows.count()).toBe(rowsBefore);
    expect(await table.getAttribute('aria-busy')).toBe('true');

    answers!.release();
    await expect.poll(() => table.getAttribute('aria-busy')).toBe('false');
    expect(await table.getAttribute('data-dim')).toBeNull();
    expect(new Set(await log.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status'))))).toEqual(new Set(['sandboxed']));
  });
});
