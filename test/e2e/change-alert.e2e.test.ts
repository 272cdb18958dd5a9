/**
 * The change alert a client gets says the truth about the visit before and after the change (time, services and the
 * specialist by name — once "with ." and the old time after a second edit). A change alert waits for edits to settle
 * (2 minutes) but never past a minute before the visit: moving a visit to start within the next minute and a half sends
 * it at once, so its text can be read on the visit card (the demo salon is in sandbox mode: the full text is kept,
 * nothing is sent).
 */
import { describe, expect, it } from 'vitest';
import { minutesToHhmm, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { demoWorkday } from './support/demo-days.ts';

const sessions = useDemoSessions();
const ZONE = 'Europe/Berlin';

describe('change alert text (demo salon, web mode)', () => {
  it('states the visit before the change and as it is now, specialist and services included', { timeout: 150_000 }, async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    const card = new VisitCardPage(page);
    const later = demoWorkday(3);
    await calendar.open(host.openUrl, 'day', later);
    await calendar.bookNewClient({ firstName: 'Greta', lastName: 'Lindqvist', phone: '0151 2345 6789', email: 'greta@example.org', staff: 'Sophie Wagner', services: ["Women's haircut"], date: later, time: '10:00' });
    await card.waitOpen();
    await card.job('bookingConfirmation', 'sandboxed').waitFor({ timeout: 30_000 });

    // To the minute 90 s from now (30–90 s ahead): the alert is due a minute before the visit, i.e. within 30 s.
    const soon = utcToWallClock(Date.now() + 90_000, ZONE);
    const time = minutesToHhmm(soon.minutes);
    await card.move(soon.date, time);
    const alert = card.job('changeAlert', 'sandboxed');
    await alert.waitFor({ timeout: 100_000 });
    const text = (await alert.locator('[data-testid="sandboxed-text"]').textContent()) ?? '';
    // The salon's locale writes hours before ten without a leading zero ("5:36"), as en-DE does.
    const clock = time.replace(/^0/, '0?');
    expect(text).toMatch(/^Your appointment has changed: .+ at \d{1,2}:\d\d/);
    expect(text).toMatch(new RegExp(`When: [^\\n]+, ${clock}\\nServices: Women's haircut[^\\n]*\\nSpecialist: Sophie Wagner\\n`));
    expect(text).toMatch(/Before the change: \w{3}, \d{1,2} \w{3} \d{4}, 10:00, Women's haircut[^\n]* with Sophie Wagner\./);
    expect(text).not.toMatch(/with \.|\{\{|undefined/);
    expect(await card.job('changeAlert').count()).toBe(1);
  });
});
