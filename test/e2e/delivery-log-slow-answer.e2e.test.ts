/**
 * A reload of the delivery log that the host is slow to answer keeps the rows it will replace, marks the table busy at
 * once and dims the rows only after DIM_AFTER_MS (most answers come sooner, and then nothing dims), in one step; the
 * answer shows undimmed. The host's `log.list` answers are held here to make the reload slow, and a deliveryLogChanged
 * event sent first makes the page's recent entries wait for theirs too, so that the filter is the host's to answer.
 */
import type { Page } from 'playwright-core';
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
    await log.sandboxedShown();
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
    answers!.hostEvent({ type: 'deliveryLogChanged' });
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

  it('marks "load more" busy while a reload waits, in the disabled look and with its label, without an animation', async () => {
    let answers: PaddedLogAnswers | undefined;
    const { page } = await sessions.open({ beforeOpen: async (p) => (answers = await paddedLogAnswers(p)) });
    const log = new DeliveryLogPage(page);
    await log.open();
    await log.sandboxedShown();
    const more = page.getByTestId('log-load-more');
    await more.waitFor();
    // Every CSS transition that starts on the button or inside it (Mantine's loading look slid the label out).
    await page.evaluate(() => {
      const runs: string[] = [];
      (window as unknown as { __moreTransitions: string[] }).__moreTransitions = runs;
      document.addEventListener('transitionrun', (event) => {
        if ((event.target as Element).closest('[data-testid="log-load-more"]')) runs.push(event.propertyName);
      }, true);
    });

    answers!.hold();
    answers!.hostEvent({ type: 'deliveryLogChanged' });
    await log.filter('status', 'Sandbox — not sent');
    await expect.poll(() => answers!.held()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('log-table').getAttribute('data-dim')).toBe('');
    expect(await more.getAttribute('data-loading')).not.toBeNull();
    expect(await more.isDisabled()).toBe(true);
    const look = () =>
      more.evaluate((button) => {
        const inner = getComputedStyle(button.querySelector('.mantine-Button-inner')!);
        return { labelOpacity: inner.opacity, labelTransform: inner.transform, overlay: getComputedStyle(button, '::before').display };
      });
    await expect.poll(look).toEqual({ labelOpacity: '1', labelTransform: 'none', overlay: 'none' });

    answers!.release();
    await expect.poll(() => more.getAttribute('data-loading')).toBeNull();
    expect(await more.isDisabled()).toBe(false);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => (window as unknown as { __moreTransitions: string[] }).__moreTransitions)).toEqual([]);
  });
});

interface PaddedLogAnswers {
  hold(): void;
  held(): number;
  release(): void;
  hostEvent(event: Record<string, unknown>): void;
}

/**
 * The demo salon's log fits in one page, and "load more" shows only below a full one: the host's `log.list` answers
 * reach the page with their entries repeated (fresh ids) up to the limit asked, and can be held back like
 * holdableAnswers'.
 */
async function paddedLogAnswers(page: Page): Promise<PaddedLogAnswers> {
  const limits = new Map<number, number>();
  const held: string[] = [];
  let holding = false;
  let toPage: (message: string) => void = () => {};
  await page.routeWebSocket(/\/api\?token=/, (socket) => {
    const host = socket.connectToServer();
    toPage = (message) => socket.send(message);
    socket.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; channel?: string; payload?: { limit?: number } };
      if (call.channel === 'log.list' && call.id !== undefined) limits.set(call.id, call.payload?.limit ?? 200);
      host.send(message);
    });
    host.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { type?: string; id?: number; result?: { ok: boolean; value?: { entries: { id: string }[] } } };
      const limit = answer.id === undefined ? undefined : limits.get(answer.id);
      const entries = answer.result?.value?.entries;
      if (answer.type !== 'result' || limit === undefined || !entries?.length) return toPage(String(message));
      limits.delete(answer.id!);
      const padded = Array.from({ length: limit }, (_, i) => (i < entries.length ? entries[i]! : { ...entries[i % entries.length]!, id: `${entries[i % entries.length]!.id}-copy-${i}` }));
      const sent = JSON.stringify({ ...answer, result: { ...answer.result, value: { ...answer.result!.value, entries: padded } } });
      if (holding) held.push(sent);
      else toPage(sent);
    });
  });
  return {
    hold: () => (holding = true),
    held: () => held.length,
    release() {
      holding = false;
      for (const message of held.splice(0)) toPage(message);
    },
    hostEvent: (event) => toPage(JSON.stringify({ type: 'event', event })),
  };
}
