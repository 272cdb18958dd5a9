/**
 * Settings → SMS, messengers & push against the real web host and a loopback ntfy server: the cards generated from the
 * provider catalog, field errors that say what to fix (before sending and from the host), a saved token that never
 * comes back, "Test connection" and "Send a test message" reaching the server once, and screenshots in light and dark;
 * and a team notification switched on for a staff channel that cannot carry it is flagged until it can.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeNtfy, type FakeNtfy } from '../electron/host/channels/support/fake-ntfy.ts';
import { startFakeTelegram } from '../electron/host/channels/support/fake-telegram.ts';
import { countApiAnswers } from './support/api-answers.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { ProvidersPage } from './support/pages/providers.page.ts';
import { SettingsPage } from './support/pages/settings.page.ts';

const sessions = useDemoSessions({});
let ntfy: FakeNtfy;
beforeEach(async () => {
  ntfy = await startFakeNtfy();
});
afterEach(async () => {
  await ntfy.close();
});

describe('provider settings', () => {
  it('generates a card per provider, says what to fix, saves, tests and sends through ntfy; light and dark', async () => {
    const { page, shell } = await sessions.open();
    const providers = new ProvidersPage(page);
    await providers.open();
    // Every channel lists the providers the catalog offers for it.
    for (const [channel, kind] of [['sms', 'telegram'], ['sms', 'twilio'], ['sms', 'httpSms'], ['brandedPush', 'fcm'], ['adminPush', 'ntfy']] as const) {
      await providers.card(channel, kind).root.waitFor();
      expect(await providers.card(channel, kind).part('state').textContent()).toBe('Not set up');
    }

    // Twilio: the same validation as the host, before anything is sent, next to each field.
    const twilio = providers.card('sms', 'twilio');
    await twilio.expand();
    await twilio.part('accountSid').fill('AC123');
    await twilio.part('from').fill('0151 2345');
    await twilio.save();
    expect(await twilio.fieldError('accountSid')).toBe('This does not look right: copy it again from the provider’s console.');
    expect(await twilio.fieldError('from')).toBe('Enter the number with + and the country code.');
    expect(await twilio.fieldError('authToken')).toBe('Enter it: the provider cannot work without it.');
    expect(await twilio.part('error').textContent()).toBe('Nothing was saved: fix the fields marked in red.');

    // ntfy for staff phones, against the loopback server.
    const card = providers.card('adminPush', 'ntfy');
    await card.expand();
    await card.part('enabled').check();
    await card.part('serverUrl').fill('ntfy.salon.lan');
    await card.save();
    expect(await card.fieldError('serverUrl')).toBe('Enter an address starting with https://.');
    await card.part('serverUrl').fill(ntfy.url);
    await card.part('defaultTopic').fill('salon-staff');
    await card.part('accessToken').fill(ntfy.token);
    await card.save();
    await expect.poll(() => card.part('state').textContent()).toBe('Ready');
    // The token went to the host's secret store: the field only says one is saved.
    expect(await card.part('accessToken').inputValue()).toBe('');
    expect(await card.part('accessToken').getAttribute('placeholder')).toBe('Saved — type to replace it');
    expect(await page.content()).not.toContain(ntfy.token);

    await card.part('test').click();
    await expect.poll(() => card.part('result').textContent()).toContain('The connection works.');
    await card.part('test-to').fill('salon-staff');
    await card.part('send-test').click();
    await expect.poll(() => card.part('result').textContent()).toContain('Delivered.');
    expect(ntfy.published.filter((m) => m.topic === 'salon-staff')).toHaveLength(1);

    await page.evaluate(() => window.scrollTo(0, 0));
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`provider-settings-${scheme}`), fullPage: true });
    }
  });

  it('links a client’s Telegram chat from the client card: the bot found by Test connection, the link, /start', async () => {
    const telegram = await startFakeTelegram();
    try {
      const { page, host } = await sessions.open();
      const providers = new ProvidersPage(page);
      await providers.open();
      const card = providers.card('sms', 'telegram');
      await card.expand();
      await card.part('enabled').check();
      await card.part('advanced').click();
      await card.part('baseUrl').fill(telegram.url);
      await card.part('botToken').fill(telegram.token);
      await card.save();
      await expect.poll(() => card.part('state').textContent()).toBe('Ready');
      await card.part('test').click();
      await expect.poll(() => card.part('result').textContent()).toContain('@lumiere_desk_bot');

      const clients = new ClientsPage(page);
      await clients.open(host.openUrl);
      await clients.rows.first().click();
      await clients.card.waitFor();
      expect(await page.getByTestId('client-telegram-state').textContent()).toBe('Telegram: no chat linked — messages go by SMS.');
      await page.getByTestId('client-telegram-link').click();
      const url = await page.getByTestId('client-telegram-url').inputValue();
      const code = /^https:\/\/t\.me\/lumiere_desk_bot\?start=([A-Za-z0-9_-]{16})$/.exec(url)?.[1];
      expect(code, url).toBeDefined();
      // The client opens the link and presses Start: the desk reads it through getUpdates and the card follows.
      telegram.userSends('5550001', `/start ${code}`);
      await expect.poll(() => page.getByTestId('client-telegram-state').textContent(), { timeout: 15_000 }).toMatch(/^Telegram: chat linked on .+ — messages go there before SMS\.$/);
    } finally {
      await telegram.close();
    }
  });

  it('flags a team notification on a staff channel that cannot work: no provider, then no address, until ntfy’s default topic reaches everyone', async () => {
    let answers: (channel: string) => number = () => 0;
    const { page } = await sessions.open({ beforeOpen: async (p) => void (answers = countApiAnswers(p)) });
    const settings = new SettingsPage(page);
    const warning = page.getByTestId('team-channel-problems');
    await settings.open('team', 'cancellation');
    expect(await warning.count()).toBe(0);
    // Staff push switched on with no provider for it: the type editor says so once saved.
    await settings.pick('scenario-adminPush', 'always');
    // The staff-app push needs its texts before the type can be saved.
    for (const language of ['en', 'ru'] as const) {
      await settings.selectTemplate('adminPush', language);
      await page.getByTestId('template-title').fill('Cancelled: {{clientName}}');
      await settings.templateBody.fill('{{clientName}} cancelled the visit on {{date}} at {{time}}.');
    }
    await expect.poll(() => settings.saveButton.isEnabled(), { timeout: 10_000 }).toBe(true);
    await settings.saveButton.click();
    await expect.poll(() => warning.textContent()).toContain('Staff app push is switched on, but no provider is set up for it here.');

    // The same warning above the providers; ntfy without a default topic reaches no specialist (none has a topic).
    const providers = new ProvidersPage(page);
    await providers.open();
    expect(await providers.teamProblems.textContent()).toContain('Staff app push is switched on, but no provider is set up for it here.');
    const card = providers.card('adminPush', 'ntfy');
    await card.expand();
    await card.part('enabled').check();
    await card.part('serverUrl').fill(ntfy.url);
    await card.save();
    await expect.poll(() => card.part('state').textContent()).toBe('Ready');
    await expect.poll(() => providers.teamProblems.textContent()).toContain('has no address for Staff app push — add it to the staff card.');
    expect(await providers.teamProblems.textContent()).not.toContain('no provider is set up');

    // A default topic reaches staff without their own: nothing is left to flag, here or in the type editor.
    await card.part('defaultTopic').fill('salon-staff');
    await card.save();
    await expect.poll(() => providers.teamProblems.count()).toBe(0);
    const asked = answers('providers.teamProblems');
    await settings.open('team', 'cancellation');
    await settings.editor.waitFor();
    // The type editor asked the host again; its answer is rendered by the next frames.
    await expect.poll(() => answers('providers.teamProblems')).toBeGreaterThan(asked);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await warning.count()).toBe(0);
  });
});
