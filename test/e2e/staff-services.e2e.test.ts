/**
 * Staff and Services screens on the demo salon: a break and a day off saved for a specialist show on the calendar
 * (shaded) and turn into the booking form's warnings; a new service's repeat interval plans the repeat-visit
 * invitation of a completed visit. Screenshots of both screens in light and dark.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import type { AppShellPage } from './support/pages/app-shell.page.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { StaffPage } from './support/pages/staff.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** The theme by the header toggle, then the toggle blurred so its tooltip stays out of the screenshots. */
async function setScheme(shell: AppShellPage, scheme: 'light' | 'dark'): Promise<void> {
  await shell.setColorScheme(scheme);
  await shell.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await shell.page.waitForTimeout(200);
}
const ZONE = 'Europe/Berlin';

/** The first date after today (in the demo salon's zone) that falls on `weekday`. */
function next(weekday: string, after = 1): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), ZONE).date, after);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), ZONE).weekday !== weekday) date = addDaysToLocalDate(date, 1);
  return date;
}

describe('Staff', () => {
  it('a break and a day off are shown on the calendar and turn into booking warnings; screenshots light and dark', async () => {
    const { host, page, shell } = await sessions.open();
    const staff = new StaffPage(page);
    const calendar = new CalendarPage(page);
    const tuesday = next('tue');
    const wednesday = addDaysToLocalDate(tuesday, 1);

    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Sophie Wagner');
    // Sophie works Tuesdays 09:00–17:00: a break splits it into 09:00–13:00 and 14:00–17:00.
    await page.getByTestId('hours-tue-break').click();
    await expect.poll(() => page.getByTestId('hours-tue-0-end').inputValue()).toBe('13:00');
    expect(await page.getByTestId('hours-tue-1-start').inputValue()).toBe('14:00');
    await staff.addTimeOff('dayOff', wednesday, wednesday);
    await staff.saveStaff();
    expect(await staff.staffMessage.textContent()).toContain('Saved');
    await setScheme(shell, 'light');
    await page.screenshot({ path: await screenshotPath('staff-light') });
    await setScheme(shell, 'dark');
    await page.screenshot({ path: await screenshotPath('staff-dark') });
    // The week with the break and the day off below it.
    await page.getByTestId('staff-time-off').scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath('staff-hours-dark') });
    await setScheme(shell, 'light');
    await page.screenshot({ path: await screenshotPath('staff-hours-light') });

    // The day view hatches the hours outside work: on Tuesday before 09:00, the break and after 17:00; on the
    // Wednesday (with "Day off") the whole column.
    await page.goto(new URL(`#/calendar/day/${tuesday}`, host.openUrl).toString());
    await calendar.dayGrid.waitFor();
    const tuesdayColumn = await calendar.staffColumn('Sophie Wagner');
    const hatched = (column: typeof tuesdayColumn) => column.locator('.fd-closed-range').evaluateAll((ranges) => ranges.map((r) => `${r.getAttribute('data-from')}-${r.getAttribute('data-to')}`));
    await expect.poll(() => hatched(tuesdayColumn)).toContain('13:00-14:00');
    const tuesdayHatched = await hatched(tuesdayColumn);
    expect(tuesdayHatched).toHaveLength(3);
    expect(tuesdayHatched[0]).toMatch(/-09:00$/);
    expect(tuesdayHatched[2]).toMatch(/^17:00-/);
    await page.goto(new URL(`#/calendar/day/${wednesday}`, host.openUrl).toString());
    await page.locator('[data-testid="staff-column-header"][data-off-kind="dayOff"]', { hasText: 'Sophie Wagner' }).waitFor();
    const wednesdayHatched = await hatched(await calendar.staffColumn('Sophie Wagner'));
    expect(wednesdayHatched).toHaveLength(1);
    expect(await calendar.dayGrid.locator('[data-testid="hour-label"]').first().textContent()).toBe(wednesdayHatched[0]!.split('-')[0]);
    // The week view marks the date too.
    await page.goto(new URL(`#/calendar/week/${wednesday}`, host.openUrl).toString());
    await calendar.weekGrid.waitFor();
    const cell = page.locator(`[data-testid="week-cell"][data-date="${wednesday}"][data-off-kind="dayOff"]`);
    await expect.poll(() => cell.count()).toBeGreaterThan(0);

    // The booking form warns on the day off and in the break.
    await page.goto(new URL(`#/calendar/day/${wednesday}`, host.openUrl).toString());
    await calendar.dayGrid.waitFor();
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    await page.getByTestId('staff-select').click();
    await page.getByRole('option', { name: /^Sophie Wagner/ }).click();
    await page.getByTestId('booking-date').fill(wednesday);
    await page.getByTestId('booking-time').fill('10:00');
    await page.getByTestId('services-select').click();
    await page.getByRole('option', { name: /^Women's haircut/ }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('booking-warnings').textContent()).toContain('Sophie Wagner has a day off that day');
    await page.getByTestId('booking-date').fill(tuesday);
    await page.getByTestId('booking-time').fill('13:15');
    await expect.poll(() => page.getByTestId('booking-warnings').textContent()).toContain('Outside Sophie Wagner’s working hours (09:00–13:00, 14:00–17:00)');
  });
});

describe('Services', () => {
  it('a new service with a repeat interval plans the repeat-visit invitation of a completed visit; screenshots light and dark', async () => {
    const { host, page, shell } = await sessions.open();
    const staff = new StaffPage(page);
    await staff.open(host.openUrl, 'services');
    await page.getByTestId('service-new').click();
    await page.getByTestId('service-name').fill('Fringe trim');
    await page.getByTestId('service-category').selectOption('hair');
    await page.getByTestId('service-duration').fill('15');
    await page.getByTestId('service-price').fill('12.50');
    await page.getByTestId('service-repeats').check();
    await page.getByTestId('service-repeat-days').fill('14');
    expect(await page.getByTestId('service-repeat-effect').textContent()).toContain('14 days after a completed visit');
    await staff.saveService();
    await expect.poll(() => staff.serviceRows.filter({ hasText: 'Fringe trim' }).textContent()).toContain('repeat after 14 d');
    await setScheme(shell, 'light');
    await page.screenshot({ path: await screenshotPath('services-light') });
    await setScheme(shell, 'dark');
    await page.screenshot({ path: await screenshotPath('services-dark') });
    await setScheme(shell, 'light');

    // Sophie offers it from now on.
    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Sophie Wagner');
    await page.getByTestId('staff-services').getByLabel('Fringe trim').check();
    await staff.saveStaff();

    // A visit yesterday at 10:00 with it, marked arrived and completed: the invitation is planned 14 days later.
    const yesterday = addDaysToLocalDate(utcToWallClock(Date.now(), ZONE).date, -1);
    const calendar = new CalendarPage(page);
    await page.goto(new URL(`#/calendar/day/${yesterday}`, host.openUrl).toString());
    await calendar.dayGrid.waitFor();
    await calendar.bookNewClient({ firstName: 'Greta', lastName: 'Fringe', phone: '0151 7654321', email: 'greta@example.org', staff: 'Sophie Wagner', services: ['Fringe trim'], date: yesterday, time: '10:00' });
    const card = new VisitCardPage(page);
    await card.waitOpen();
    await card.setStatus('arrived');
    await card.setStatus('completed');
    const invitation = card.job('repeatVisit', 'planned');
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain(new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: ZONE }).format(Date.parse(`${addDaysToLocalDate(yesterday, 14)}T12:00:00Z`)));
  });
});
