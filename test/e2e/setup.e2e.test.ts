/**
 * A salon from nothing, as a new salon would do it: a fresh data folder WITHOUT --demo shows the set-up; the wizard
 * creates the salon, three services and two specialists with their hours; the calendar opens; a new client is booked
 * and the booking confirmation shows on the visit card. A save answered after its new document reached the page
 * neither leaves the wizard nor empties what was typed for the next service or specialist. And the demo stays a choice
 * on the first screen.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { screenshotPath } from './support/browser.ts';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableAnswers, type HeldAnswers } from './support/held-api-answers.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { SetupPage } from './support/pages/setup.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** A Tuesday ahead in Berlin, when both specialists work. */
function nextTuesday(): string {
  let date = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 1);
  while (utcToWallClock(Date.parse(`${date}T12:00:00Z`), 'Europe/Berlin').weekday !== 'tue') date = addDaysToLocalDate(date, 1);
  return date;
}

describe('first run without --demo', () => {
  it('sets up a salon with the wizard, books a new client and shows the planned confirmation on the visit card', async () => {
    const { page, shell } = await sessions.open({ empty: true });
    const setup = new SetupPage(page);
    await setup.welcome.waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.screenshot({ path: await screenshotPath(`setup-welcome-${scheme}`), fullPage: true });
    }
    await shell.setColorScheme('light');
    await page.getByTestId('setup-start').click();
    await setup.wizard.waitFor();

    // Nothing filled in: every problem shows next to its input, in the desk's language, and nothing is created.
    await setup.choose('salon-country', 'Germany');
    await page.getByTestId('salon-phone').fill('040 1');
    await page.getByTestId('setup-salon-next').click();
    await expect.poll(() => setup.fieldError('salon-name').textContent()).toBe('Enter the salon’s name.');
    expect(await setup.fieldError('salon-street').textContent()).toBe('Enter the street and number.');
    expect(await setup.fieldError('salon-phone').textContent()).toMatch(/digits after \+49/);
    expect(await page.getByTestId('setup-salon-fix').isVisible()).toBe(true);

    await setup.fillSalon({ name: 'Studio Nord', country: 'Germany', street: 'Hauptstraße 5', postalCode: '20095', city: 'Hamburg', phone: '040 1234567', timeZone: 'Europe/Berlin' });
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: await screenshotPath(`setup-salon-${scheme}`), fullPage: true });
    }
    await shell.setColorScheme('light');
    await page.getByTestId('setup-salon-next').click();

    await page.getByTestId('setup-services').waitFor();
    await setup.addService('Haircut', 'Hair', 45, 45);
    await setup.addService('Manicure', 'Nails', 60, 35);
    await setup.addService('Brow shaping', 'Brows', 30, 20);
    await setup.addSpecialist('Anna Berg', ['Haircut', 'Manicure']);
    await setup.addSpecialist('Boris Lang', ['Brow shaping', 'Haircut'], ['mon', 'sat']);
    expect(await page.getByTestId('setup-staff-list').locator('tr').allTextContents()).toEqual([
      expect.stringMatching(/^Anna Berg.*Haircut.*Manicure.*6 days a week$/),
      expect.stringMatching(/^Boris Lang.*4 days a week$/),
    ]);
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: await screenshotPath(`setup-team-${scheme}`), fullPage: true });
    }
    await shell.setColorScheme('light');
    await page.getByTestId('setup-team-next').click();

    await page.getByTestId('setup-email').waitFor();
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.screenshot({ path: await screenshotPath(`setup-email-${scheme}`), fullPage: true });
    }
    await shell.setColorScheme('light');
    await page.getByTestId('setup-finish').click();

    const calendar = new CalendarPage(page);
    await calendar.dayGrid.waitFor();
    const date = nextTuesday();
    await page.evaluate((d) => (window.location.hash = `#/calendar/day/${d}`), date);
    await page.locator(`[data-testid="calendar-screen"][data-date="${date}"]`).waitFor();
    await calendar.bookNewClient({ firstName: 'Clara', lastName: 'Wolf', phone: '0170 7654321', email: 'clara@example.org', staff: 'Anna Berg', services: ['Haircut'], date, time: '11:00' });
    const card = new VisitCardPage(page);
    await card.waitOpen();
    // The card opens with the new visit; its client's document may reach the page a moment later ("…" meanwhile).
    await expect.poll(() => page.getByTestId('visit-client-name').textContent()).toBe('Clara Wolf');
    // The new salon is in sandbox mode: the confirmation is rendered and logged with its text, not sent.
    await card.job('bookingConfirmation', 'sandboxed').waitFor({ timeout: 20_000 });
    expect(await card.job('reminder', 'planned').count()).toBeGreaterThanOrEqual(1);
    await card.settled();
    await page.screenshot({ path: await screenshotPath('setup-first-visit-light'), fullPage: true });
  });

  it('stays on the wizard, and keeps what is typed next, while a save is answered after its new row shows', async () => {
    let answers!: HeldAnswers;
    const { page } = await sessions.open({ empty: true, beforeOpen: async (page) => void (answers = await holdableAnswers(page)) });
    const setup = new SetupPage(page);
    await setup.welcome.waitFor();
    await page.getByTestId('setup-start').click();
    await setup.fillSalon({ name: 'Studio Nord', country: 'Germany', street: 'Hauptstraße 5', postalCode: '20095', city: 'Hamburg', phone: '040 1234567', timeZone: 'Europe/Berlin' });

    answers.hold('location.create');
    await page.getByTestId('setup-salon-next').click();
    // The new location is on the page (the header names it) before the answer that moves the wizard on.
    await expect.poll(() => page.getByTestId('location-name').textContent()).toContain('Studio Nord');
    expect(await setup.wizard.isVisible()).toBe(true);
    expect(await page.getByTestId('salon-name').inputValue()).toBe('Studio Nord');
    await expect.poll(() => answers.held()).toBe(1);
    answers.release();
    await page.getByTestId('setup-services').waitFor();

    answers.hold('services.save');
    await setup.addService('Haircut', 'Hair', 45, 45);
    // The row is there, and the answer to its save has not reached the page: the next service is typed meanwhile.
    await expect.poll(() => answers.held()).toBe(1);
    await page.getByTestId('service-name').fill('Manicure');
    await page.getByTestId('service-price').fill('35');
    answers.release();
    await expect.poll(() => page.getByTestId('service-add').getAttribute('data-loading')).toBeNull();
    expect(await page.getByTestId('service-name').inputValue()).toBe('Manicure');
    expect(await page.getByTestId('service-price').inputValue()).toBe('35');
    await setup.choose('service-category', 'Nails');
    await page.getByTestId('service-add').click();
    await expect.poll(() => page.getByTestId('setup-service-list').locator('tr td:first-child').allTextContents()).toEqual(['Haircut', 'Manicure']);

    answers.hold('staff.save');
    await setup.addSpecialist('Anna Berg', ['Haircut']);
    await expect.poll(() => answers.held()).toBe(1);
    await page.getByTestId('staff-name').fill('Boris Lang');
    answers.release();
    await expect.poll(() => page.getByTestId('staff-add').getAttribute('data-loading')).toBeNull();
    expect(await page.getByTestId('staff-name').inputValue()).toBe('Boris Lang');
  });

  it('speaks Russian: the welcome and the salon step with no untranslated key', async () => {
    const { page, shell } = await sessions.open({ empty: true });
    const setup = new SetupPage(page);
    await setup.welcome.waitFor();
    await shell.setLanguage('ru');
    await expect.poll(() => setup.welcome.innerText()).toContain('Добро пожаловать в FrontDesk');
    expect(await setup.welcome.innerText()).toContain('Посмотреть на демо-салоне');
    await page.getByTestId('setup-start').click();
    await setup.wizard.waitFor();
    const text = await setup.wizard.innerText();
    expect(text).not.toMatch(/\b(setup|salon|staff|error)\.[a-z]/);
    expect(text).toContain('Часы работы');
    await page.screenshot({ path: await screenshotPath('setup-salon-ru-light'), fullPage: true });
  });

  it('offers the demo salon on the first screen, loaded through the host', async () => {
    const { host, page } = await sessions.open({ empty: true });
    await new SetupPage(page).welcome.waitFor();
    await page.getByTestId('setup-demo').click();
    const calendar = new CalendarPage(page);
    await calendar.dayGrid.waitFor();
    await expect.poll(() => page.getByTestId('location-name').textContent()).toContain('Lumière Beauty Studio');
    // Today may be a Sunday, when the demo salon is closed: its visits, on a working day.
    await calendar.open(host.openUrl, 'day', demoWorkday());
  });
});
