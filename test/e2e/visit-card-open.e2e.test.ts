/**
 * Opening a visit card from the keyboard (Enter on a focused visit: a click with no press before it). The visit's
 * jobs are asked for before the card renders, so the host reads them while the page renders the card; and the card is
 * in its place when it first shows, not sliding in from off screen.
 */
import { describe, expect, it } from 'vitest';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/**
 * Installed before the app's scripts: for every storage request that reads jobs by subject, whether the card's body was
 * on the page when it was sent; and, when the body first shows, where the drawer was.
 */
const RECORD_OPENING = `(() => {
  window.__jobReads = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const text = String(data);
    if (text.includes('"subjectId"')) window.__jobReads.push({ text, bodyShown: document.querySelector('[data-testid="visit-body"]') !== null });
    return send.call(this, data);
  };
  window.__firstBody = undefined;
  new MutationObserver(() => {
    if (window.__firstBody !== undefined || !document.querySelector('[data-testid="visit-body"]')) return;
    const content = document.querySelector('.mantine-Drawer-content');
    const box = content.getBoundingClientRect();
    window.__firstBody = { right: box.right, viewport: window.innerWidth, transform: getComputedStyle(content).transform, opacity: getComputedStyle(content).opacity };
  }).observe(document, { subtree: true, childList: true });
})();`;

interface Opening {
  jobReads: { text: string; bodyShown: boolean }[];
  firstBody: { right: number; viewport: number; transform: string; opacity: string } | undefined;
}

describe('visit card opened from the keyboard (demo salon, web mode)', () => {
  it('asks for the visit\'s jobs before rendering the card, and shows the card in place at once', async () => {
    const { host, page } = await sessions.open({ beforeOpen: async (p) => void (await p.addInitScript({ content: RECORD_OPENING })) });
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(2));
    const block = page.getByTestId('appointment-block').nth(3);
    const visitId = (await block.getAttribute('data-appointment-id'))!;

    await block.focus();
    await page.keyboard.press('Enter');
    await card.waitOpen();
    expect(await card.visitId()).toBe(visitId);
    await page.locator('[data-testid="visit-messages"], [data-testid="messages-empty"]').first().waitFor();

    const opening = await page.evaluate(() => {
      const w = window as unknown as { __jobReads: Opening['jobReads']; __firstBody: Opening['firstBody'] };
      return { jobReads: w.__jobReads, firstBody: w.__firstBody };
    });
    const reads = opening.jobReads.filter((read) => read.text.includes(visitId));
    expect(reads.length).toBeGreaterThan(0);
    // Sent while the card was still to be rendered: the host worked while the page rendered.
    expect(reads[0]!.bodyShown).toBe(false);
    // At its first render the drawer already stood at the right edge, fully opaque (no slide or fade-in to wait for).
    expect(opening.firstBody).toBeDefined();
    expect(Math.abs(opening.firstBody!.right - opening.firstBody!.viewport)).toBeLessThan(1);
    expect(opening.firstBody!.opacity).toBe('1');
  });
});
