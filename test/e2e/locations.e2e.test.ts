/**
 * Settings → Salon (the profile with the review and booking links, the locations, this desk) and a chain of two
 * locations: the header's switcher changes the calendar, the clients and the delivery log together.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { DeliveryLogPage } from './support/pages/delivery-log.page.ts';
import { SetupPage } from './support/pages/setup.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

function nextTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('salon settings', () => {
  it('edits the salon’s links and this desk, refusing what cannot be used; screenshots light and dark', async () => {
    const { page, shell } = await sessions.open();
    const setup = new SetupPage(page);
    await page.evaluate(() => (window.location.hash = '#/settings/salon'));
    await page.getByTestId('salon-profile-card').waitFor();
    expect(await page.getByTestId('salon-name').inputValue()).toBe('Lumière Beauty Studio');
    expect(await page.getByTestId('salon-review-url').inputValue()).toBe('https://lumiere-studio.example/review');

    await page.getByTestId('salon-review-url').fill('our review page');
    await page.getByTestId('salon-profile-save').click();
    await expect.poll(() => setup.fieldError('salon-review-url').textContent()).toBe('“our review page” is not a web address: it starts with https://.');
    await page.getByTestId('salon-review-url').fill('https://g.page/r/lumiere/review');
    await page.getByTestId('salon-booking-url').fill('https://lumiere-studio.example/online');
    await page.getByTestId('salon-profile-save').click();
    await expect.poll(() => page.getByTestId('salon-profile-save').isDisabled()).toBe(true);

    // This desk: a name and who works here (their toasts show on this desk).
    await page.getByTestId('desk-name').fill('Reception, ground floor');
    await page.getByTestId('desk-staff').getByText('Sophie Wagner', { exact: true }).click();
    // The profile's "saved" notification sits over this card's Save; a pointer resting on it pauses its auto-close.
    for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click().catch(() => {});
    await page.getByTestId('desk-save').click();
    await expect.poll(() => page.getByTestId('desk-save').isDisabled()).toBe(true);

    await page.reload();
    await page.getByTestId('salon-profile-card').waitFor();
    await expect.poll(() => page.getByTestId('salon-review-url').inputValue()).toBe('https://g.page/r/lumiere/review');
    expect(await page.getByTestId('salon-booking-url').inputValue()).toBe('https://lumiere-studio.example/online');
    await expect.poll(() => page.getByTestId('desk-name').inputValue()).toBe('Reception, ground floor');
    expect(await page.getByTestId('desk-staff').locator('input:checked').count()).toBe(1);

    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: await screenshotPath(`settings-salon-${scheme}`), fullPage: true });
    }
  });
});

describe('a chain of two locations', () => {
  it('adds a location with the set-up, and the switcher changes the calendar, the clients and the log', async () => {
    const { page } = await sessions.open();
    const setup = new SetupPage(page);
    const calendar = new CalendarPage(page);
    const clients = new ClientsPage(page);
    const log = new DeliveryLogPage(page);
    await calendar.dayGrid.waitFor();
    await page.evaluate(() => (window.location.hash = '#/settings/salon'));
    await page.getByTestId('salon-add-location').click();
    await setup.wizard.waitFor();
    await setup.fillSalon({ name: 'Studio Nord', country: 'Germany', street: 'Hauptstraße 5', postalCode: '20095', city: 'Hamburg', phone: '040 1234567', timeZone: 'Europe/Berlin' });
    await page.getByTestId('setup-salon-next').click();
    await setup.addService('Haircut', 'Hair', 45, 45);
    await setup.addSpecialist('Anna Berg', ['Haircut']);
    await page.getByTestId('setup-team-next').click();
    await page.getByTestId('setup-finish').click();

    // The new location is the one shown: its calendar, its (first) client, its log.
    await expect.poll(() => page.getByTestId('location-switcher').inputValue()).toBe('Studio Nord');
    const date = nextTuesday();
    await page.evaluate((d) => (window.location.hash = `#/calendar/day/${d}`), date);
    await page.locator(`[data-testid="calendar-screen"][data-date="${date}"]`).waitFor();
    await expect.poll(() => page.getByTestId('staff-column-header').allInnerTexts()).toEqual([expect.stringContaining('Anna Berg')]);
    await calendar.bookNewClient({ firstName: 'Clarabelle', lastName: 'Quist', phone: '0170 7654321', email: 'clarabelle@example.org', staff: 'Anna Berg', services: ['Haircut'], date, time: '11:00' });
    const card = new VisitCardPage(page);
    await card.waitOpen();
    await card.job('bookingConfirmation', 'sandboxed').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-clients').click();
    await expect.poll(() => clients.rows.allInnerTexts()).toEqual([expect.stringContaining('Clarabelle Quist')]);
    await log.open();
    await log.rows.first().waitFor();
    expect(new Set((await log.clientCells.allInnerTexts()).map((n) => n.trim()))).toEqual(new Set(['Clarabelle Quist']));

    // Switch to the demo salon: every screen follows.
    await page.getByTestId('location-switcher').click();
    await page.getByRole('option', { name: 'Lumière Beauty Studio' }).click();
    await expect.poll(async () => (await log.clientCells.allInnerTexts()).some((n) => n.includes('Clarabelle'))).toBe(false);
    await expect.poll(() => log.rows.count()).toBeGreaterThan(0);
    await page.getByTestId('nav-clients').click();
    await expect.poll(() => clients.rows.count()).toBeGreaterThan(50);
    await clients.search.fill('Quist');
    await expect.poll(() => clients.rows.count()).toBe(0);
    await page.evaluate((d) => (window.location.hash = `#/calendar/day/${d}`), date);
    await expect.poll(async () => (await page.getByTestId('staff-column-header').allInnerTexts()).join('|')).toContain('Sophie Wagner');
    expect((await page.getByTestId('staff-column-header').allInnerTexts()).join('|')).not.toContain('Anna Berg');

    // And back: the choice is remembered on this desk across a reload.
    await page.getByTestId('location-switcher').click();
    await page.getByRole('option', { name: 'Studio Nord' }).click();
    await page.reload();
    await expect.poll(() => page.getByTestId('location-switcher').inputValue()).toBe('Studio Nord');
    await expect.poll(() => page.getByTestId('staff-column-header').allInnerTexts()).toEqual([expect.stringContaining('Anna Berg')]);
  });
});
