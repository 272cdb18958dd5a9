/**
 * An edit on the visit card is done when the card shows it: the host answers the command on the API socket and the
 * visit's new version comes on the storage socket, sometimes after the answer. Held here (the storage's appointment
 * reads and changes), the card keeps the move form busy until the new version is there; it used to close the form at
 * the answer while still showing the old time, and an edit sent meanwhile carried the old revision and was refused as
 * "changed at another desk" (calendar.e2e moves a visit twice in a row).
 */
import { describe, expect, it } from 'vitest';
import { minutesToHhmm } from '../../shared/domain/zoned-time.ts';
import { countApiAnswers } from './support/api-answers.ts';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { LoyaltyPage } from './support/pages/loyalty.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

describe('visit card edits while the new version is on its way (demo salon, web mode)', () => {
  it('keeps a move busy until the card shows the moved visit, so the next edit starts from it', async () => {
    let reads: HeldReads | undefined;
    let answers: (channel: string) => number = () => 0;
    const { host, page } = await sessions.open({
      beforeOpen: async (p) => {
        answers = countApiAnswers(p);
        reads = await holdableReads(p, 'appointments', { changes: true });
      },
    });
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    const date = demoWorkday(2);
    await calendar.open(host.openUrl, 'day', date);
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const block = sophie.locator('[data-testid="appointment-block"][data-draggable]').first();
    const startMin = Number(await block.getAttribute('data-start-min'));
    const movedTo = minutesToHhmm(startMin <= 14 * 60 ? startMin + 60 : startMin - 60);
    const laterStill = minutesToHhmm(startMin <= 14 * 60 ? startMin + 90 : startMin - 90);
    await block.click();
    await card.waitOpen();
    const when = await card.when.textContent();

    reads!.hold();
    await page.getByTestId('visit-move').click();
    await page.getByTestId('move-date').fill(date);
    await page.getByTestId('move-time').fill(movedTo);
    await page.getByTestId('move-save').click();
    // The host moved the visit and said so; the new version is held.
    await expect.poll(() => answers('appointments.move')).toBe(1);
    await expect.poll(() => reads!.held()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await card.when.textContent()).toBe(when);
    expect(await page.getByTestId('move-save').count()).toBe(1);
    expect(await page.getByTestId('move-save').getAttribute('data-loading')).not.toBeNull();

    reads!.release();
    await page.getByTestId('move-save').waitFor({ state: 'detached' });
    expect(await card.when.textContent()).toContain(movedTo);
    // The next move starts from the moved visit: the host takes it.
    await card.move(date, laterStill);
    await expect.poll(() => card.when.textContent()).toContain(laterStill);
    expect(await card.error.count()).toBe(0);
  });
  it('keeps Record payment busy until the card shows the first payment, so a split payment is taken', async () => {
    let reads: HeldReads | undefined;
    let answers: (channel: string) => number = () => 0;
    const { host, page } = await sessions.open({
      beforeOpen: async (p) => {
        answers = countApiAnswers(p);
        reads = await holdableReads(p, 'appointments', { changes: true });
      },
    });
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    const loyalty = new LoyaltyPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday(1));
    // A cancelled visit takes no payment (its button is disabled).
    await page.locator('[data-testid="appointment-block"]:not([data-status="cancelled"])').first().click();
    await card.waitOpen();
    const rows = await loyalty.payments.getByTestId('payment-row').count();

    reads!.hold();
    await loyalty.recordPayment('cash', '20');
    await expect.poll(() => answers('appointments.recordPayment')).toBe(1);
    await page.waitForTimeout(300);
    expect(await loyalty.payments.getByTestId('payment-record').getAttribute('data-loading')).not.toBeNull();

    reads!.release();
    await expect.poll(() => loyalty.payments.getByTestId('payment-row').count()).toBe(rows + 1);
    // The rest by card: the host takes it, as the card now holds the visit with the first payment.
    await loyalty.recordPayment('card', '15');
    await expect.poll(() => loyalty.payments.getByTestId('payment-row').count()).toBe(rows + 2);
    expect(answers('appointments.recordPayment')).toBe(2);
  });
});
