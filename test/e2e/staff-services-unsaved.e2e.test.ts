/**
 * The Staff and Services forms keep unsaved edits as the other forms do: choosing another entry (or another screen)
 * asks first — Keep stays on the edited form with its edits, Discard goes on — and nothing asks once the edits are
 * saved, or for a new entry whose Save opens its own page. Time-off dates use the desk's date input (day first in a
 * German salon, typed in the shown order or as YYYY-MM-DD), not the browser's native one.
 */
import { describe, expect, it } from 'vitest';
import { addDaysToLocalDate, utcToWallClock } from '../../shared/domain/zoned-time.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { StaffPage } from './support/pages/staff.page.ts';

const sessions = useDemoSessions({ locale: 'en-US' });

describe('Staff and Services: unsaved edits and the desk date input', () => {
  it('Staff: another person asks first, Keep keeps the edits, Discard drops them; saved edits and time-off dates ask nothing', async () => {
    const { host, page } = await sessions.open();
    const staff = new StaffPage(page);
    // The question's buttons (the modal's root stays in the page while closed).
    const prompt = page.getByTestId('unsaved-keep');
    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Sophie Wagner');
    await page.getByTestId('staff-name').fill('Sophie Wagner-Klein');

    await staff.staffRows.filter({ hasText: 'Mia Schneider' }).click();
    await page.getByTestId('unsaved-keep').waitFor();
    await page.getByTestId('unsaved-keep').click();
    await prompt.waitFor({ state: 'detached' });
    expect(await page.getByTestId('staff-name').inputValue()).toBe('Sophie Wagner-Klein');
    expect(page.url()).not.toContain('Mia');

    // Another screen asks too; Discard goes there and the edit is gone.
    await page.getByTestId('nav-services').click();
    await page.getByTestId('unsaved-discard').click();
    await staff.serviceRows.first().waitFor();
    await staff.open(host.openUrl, 'staff');
    await staff.chooseStaff('Sophie Wagner');
    expect(await page.getByTestId('staff-name').inputValue()).toBe('Sophie Wagner');

    // A vacation typed in the desk's order (the browser is en-US; the desk shows day first) and saved: no question after.
    const start = addDaysToLocalDate(utcToWallClock(Date.now(), 'Europe/Berlin').date, 30);
    const end = addDaysToLocalDate(start, 4);
    const shown = (iso: string) => iso.split('-').reverse().join('/');
    await page.getByTestId('time-off-add').click();
    const row = page.getByTestId('time-off-row').last();
    await row.getByTestId('time-off-kind').selectOption('vacation');
    expect(await row.getByTestId('time-off-from').getAttribute('type')).not.toBe('date');
    await row.getByTestId('time-off-from').fill(shown(start));
    await row.getByTestId('time-off-to').fill(end);
    await row.getByTestId('time-off-to').blur();
    expect(await row.getByTestId('time-off-from').inputValue()).toBe(shown(start));
    expect(await row.getByTestId('time-off-to').inputValue()).toBe(shown(end));
    await staff.saveStaff();
    expect(await staff.staffMessage.textContent()).toContain('Saved');
    await staff.staffRows.filter({ hasText: 'Mia Schneider' }).click();
    await page.getByTestId('staff-form-title').filter({ hasText: 'Mia Schneider' }).waitFor();
    expect(await prompt.count()).toBe(0);
    await staff.chooseStaff('Sophie Wagner');
    const saved = page.getByTestId('time-off-row').last();
    expect(await saved.getByTestId('time-off-from').inputValue()).toBe(shown(start));
    expect(await saved.getByTestId('time-off-to').inputValue()).toBe(shown(end));
  });

  it('Services: another service asks first; a new service saved opens its own page without asking', async () => {
    const { host, page } = await sessions.open();
    const staff = new StaffPage(page);
    await staff.open(host.openUrl, 'services');
    await staff.serviceRows.first().click();
    await page.getByTestId('service-form').waitFor();
    const first = await page.getByTestId('service-form-title').textContent();
    await page.getByTestId('service-price').fill('99');

    await staff.serviceRows.nth(1).click();
    await page.getByTestId('unsaved-keep').click();
    await page.getByTestId('unsaved-keep').waitFor({ state: 'detached' });
    expect(await page.getByTestId('service-form-title').textContent()).toBe(first);
    expect(await page.getByTestId('service-price').inputValue()).toBe('99');
    await staff.serviceRows.nth(1).click();
    await page.getByTestId('unsaved-discard').click();
    await expect.poll(() => page.getByTestId('service-form-title').textContent()).not.toBe(first);

    await page.getByTestId('service-new').click();
    await page.getByTestId('service-name').fill('Beard trim');
    await page.getByTestId('service-duration').fill('20');
    await page.getByTestId('service-price').fill('15');
    await page.getByTestId('service-save').click();
    // Saving a service re-plans the salon's visits: it can take a while on a busy machine.
    await page.waitForURL(/#\/services\/[^/]+\/created$/, { timeout: 60_000 });
    await staff.serviceMessage.waitFor();
    expect(await page.getByTestId('unsaved-keep').count()).toBe(0);
    expect(await page.getByTestId('service-form-title').textContent()).toBe('Beard trim');
    // Saved: going elsewhere asks nothing.
    await staff.serviceRows.first().click();
    await expect.poll(() => page.getByTestId('service-form-title').textContent()).not.toBe('Beard trim');
    expect(await page.getByTestId('unsaved-keep').count()).toBe(0);
  });
});
