/**
 * A visit card never shows a visit without its client: right after a new client is booked, the visit and the client are
 * new documents, each read from the storage when the card asks for it (the client only once the visit names it). The
 * storage's client reads are held here, as on a busy desk, to show that the card waits for the client instead of
 * showing "…" and "No contacts" in its place for a moment (commands.e2e read the name once and could get "…").
 */
import { describe, expect, it } from 'vitest';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { watchEverShown } from './support/ever-shown.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

describe('visit card while its client loads (demo salon, web mode)', () => {
  it('shows a new visit once its client is there, never "…" with "No contacts"', async () => {
    let reads: HeldReads | undefined;
    const { host, page } = await sessions.open({ beforeOpen: async (p) => void (reads = await holdableReads(p, 'clients')) });
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    const date = demoWorkday(2);
    await calendar.open(host.openUrl, 'day', date);
    const nameMissing = await watchEverShown(page, '[data-testid="visit-client-name"]', /^…$/);
    const contactsMissing = await watchEverShown(page, '[data-testid="visit-body"]', /No contacts/);

    reads!.hold();
    await calendar.bookNewClient({ firstName: 'Ida', lastName: 'Berg', phone: '0151 2345 6789', email: 'ida@example.org', staff: 'Sophie Wagner', services: ["Women's haircut"], date, time: '11:00' });
    // The host took the booking and the card is open on the new visit: the visit reaches the page, its client does not.
    await page.waitForURL(/visit=/);
    const visitId = await card.visitId();
    await expect.poll(() => reads!.delivered(`"id":"${visitId}"`)).toBe(true);
    await page.waitForTimeout(300);

    reads!.release();
    await card.waitOpen();
    expect(await page.getByTestId('visit-client-name').textContent()).toBe('Ida Berg');
    await expect.poll(() => page.getByTestId('visit-client-contacts').textContent()).toContain('+49 1512 3456789');
    expect(await nameMissing()).toBe(false);
    expect(await contactsMissing()).toBe(false);
  });
});
