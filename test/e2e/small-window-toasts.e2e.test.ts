/**
 * Toasts over a dialog on a laptop at 150 % scaling (911×512): a phone ringing while the receptionist fills in the
 * visit card or a booking. The call's toast stays until dismissed; it must stay readable and closable, and must not
 * cover the button of the form being filled in (bottom-right, it covered Book and the card's Save).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath } from './support/browser.ts';
import { demoWorkday } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { LAPTOP_150, onTopAtCentre, withinWindow } from './support/small-window.ts';

// The integration endpoint on any free port: test files run side by side.
process.env.FRONTDESK_INTEGRATION_PORT = '0';
const sessions = useDemoSessions(LAPTOP_150);

/** A phone system added in Settings → Integrations: its endpoint and the token it calls with. */
async function addPhoneSystem(page: Page, openUrl: string): Promise<{ endpoint: string; token: string }> {
  const url = new URL(openUrl);
  url.hash = '#/settings/integrations';
  await page.goto(url.toString());
  await page.getByTestId('integration-add').click();
  await page.getByTestId('integration-name').fill('Front desk phone');
  await page.getByTestId('integration-kind').click();
  await page.getByRole('option', { name: /Phone system/ }).click();
  await page.getByTestId('integration-save').click();
  const token = (await page.getByTestId('integration-token-value').textContent()) ?? '';
  await page.getByTestId('integration-token-done').click();
  await expect.poll(() => page.getByTestId('endpoint-state').textContent()).toBe('Listening');
  return { endpoint: (await page.getByTestId('endpoint-url').textContent()) ?? '', token };
}

async function ring(phone: { endpoint: string; token: string }, number: string, callId: string): Promise<void> {
  const response = await fetch(phone.endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${phone.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'incomingCall', phone: number, callId }),
  });
  expect(response.status).toBe(202);
}

/** Each toast whole in the window, and its close button the topmost thing where it is clicked. */
async function toastsReadableAndClosable(page: Page, count: number): Promise<void> {
  const toasts = page.locator('.mantine-Notification-root');
  await expect.poll(() => toasts.count()).toBe(count);
  for (const toast of await toasts.all()) {
    await expect.poll(() => withinWindow(toast)).toBe(true);
    expect(await onTopAtCentre(toast.locator('.mantine-Notification-closeButton'))).toBe(true);
  }
}

async function uncovered(button: Locator): Promise<boolean> {
  return (await withinWindow(button)) && (await onTopAtCentre(button));
}

describe('toasts over a dialog in a small window', () => {
  it("keep clear of the visit card's Save and the booking form's Book, and stay readable and closable", async () => {
    const { host, page } = await sessions.open();
    const phone = await addPhoneSystem(page, host.openUrl);
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());

    // A booking for a new client when two calls come in.
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    await calendar.form.getByText('New client', { exact: true }).click();
    await page.getByTestId('new-client-first').waitFor();
    await ring(phone, '030 5550123', 'small-1');
    await ring(phone, '030 5550124', 'small-2');
    await toastsReadableAndClosable(page, 2);
    expect(await uncovered(page.getByTestId('booking-save'))).toBe(true);
    expect(await uncovered(calendar.form.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await page.screenshot({ path: await screenshotPath('small-window-toasts-booking') });
    await calendar.form.getByRole('button', { name: 'Cancel' }).click();
    await calendar.form.waitFor({ state: 'detached' });

    // Changing a visit's length with the calls' toasts still up.
    await calendar.blocks.first().click();
    await new VisitCardPage(page).waitOpen();
    await page.getByTestId('visit-length').click();
    await toastsReadableAndClosable(page, 2);
    expect(await uncovered(page.getByTestId('length-save'))).toBe(true);
    expect(await uncovered(page.getByTestId('length-end'))).toBe(true);
    await page.screenshot({ path: await screenshotPath('small-window-toasts-visit-card') });

    // Closed, a toast goes; the other stays.
    await page.locator('.mantine-Notification-closeButton').first().click();
    await expect.poll(() => page.locator('.mantine-Notification-root').count()).toBe(1);
  });
});
