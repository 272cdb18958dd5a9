/**
 * The desk in Russian: every screen of the main flows is scanned for text that escaped translation — a translation
 * key shown as is ("visit.action.cancelled") or an English sentence (ASCII letters only) in the app's own chrome:
 * headings, labels, buttons, tabs, badges, table headers, alerts, descriptions, placeholders. Salon data (client,
 * staff and service names, addresses, emails) is not the app's text and is left out of the scan.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';
import { demoWorkday } from './support/demo-days.ts';

const sessions = useDemoSessions({});

/** Texts of the app's chrome on screen now, with where they were found. */
async function chromeTexts(page: Page): Promise<{ text: string; where: string }[]> {
  return page.evaluate(() => {
    const CHROME = 'h1, h2, h3, h4, label, th, button, [role="tab"], .mantine-Badge-label, .mantine-Alert-title, .mantine-Alert-message, .mantine-InputWrapper-description, .mantine-InputWrapper-error, .mantine-Text-root, p';
    // Salon data shown inside chrome elements: names, services, contacts, message texts, the data folder.
    const DATA = '[data-testid="appointment-block"], [data-testid="client-row"], [data-testid="visit-client-name"], [data-testid="visit-client-contacts"], [data-testid="client-card-name"], [data-testid="visit-staff"], [data-testid="visit-services"], [data-testid="staff-column-header"], [data-testid="week-staff"], [data-testid="sandboxed-text"], [data-testid="data-dir"], [data-testid="location-name"], [data-testid="log-client"], [data-testid="team-event-title"], [data-testid="team-event-body"], [data-testid="log-entry-details"], [data-testid="template-preview"], [data-testid="staff-legend"], .mantine-Select-option, textarea, code, [data-testid="message-line"], [data-testid="visit-history"], [data-testid="client-visits"], [data-testid="bonus-reason"], [data-testid="voucher-name"], [data-testid="payment-by"], [data-testid="desk-toast"], [data-testid="staff-row"], [data-testid="staff-form-title"], [data-testid="staff-services"], [data-testid="service-row"], [data-testid="service-form-title"], .mantine-Checkbox-root:has([data-testid^="desk-staff-"]), .mantine-Checkbox-root:has([data-testid^="sync-location-"])';
    const out: { text: string; where: string }[] = [];
    for (const element of document.querySelectorAll<HTMLElement>(CHROME)) {
      if (element.closest(DATA) || element.offsetParent === null) continue;
      // Own text only: children that are chrome elements are scanned on their own.
      const own = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim();
      if (own) out.push({ text: own, where: element.getAttribute('data-testid') ?? element.tagName.toLowerCase() });
    }
    for (const input of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) {
      if (input.offsetParent !== null && !input.closest(DATA)) out.push({ text: input.placeholder, where: 'placeholder' });
    }
    // What a screen reader says for an icon button or a field without a visible label.
    for (const element of document.querySelectorAll<HTMLElement>('[aria-label]')) {
      if (element.offsetParent !== null && !element.closest(DATA)) out.push({ text: element.getAttribute('aria-label') ?? '', where: `aria-label of ${element.getAttribute('data-testid') ?? element.tagName.toLowerCase()}` });
    }
    return out;
  });
}

/** Words the Russian UI keeps as they are: product, protocol and provider brand names, keys, formats. */
const BRANDS = /FrontDesk|SMTP|STARTTLS|Email|SMS|CSV|UTC|Telegram|Twilio|WhatsApp|Firebase Cloud Messaging|Firebase|FCM|ntfy|JSON|HTTP|https:\/\//g;
const KEPT = /^(FrontDesk.*|EN|RU|SMS|Email|SMTP|SSL\/TLS|STARTTLS|CSV|UTC|Telegram|Twilio|ntfy|Firebase Cloud Messaging|https:\/\/|Alt \d|[A-Z]{1,3}|DD\.MM\.YYYY|ДД\.ММ\.ГГГГ)$/;

function untranslated(items: { text: string; where: string }[]): string[] {
  return items
    .filter(({ text }) => {
      if (/^[\w-]+(\.[\w-]+)*\.(com|org|net|de|ru)$/.test(text)) return false; // a host name (SMTP server example)
      if (/^https?:\/\/\S+$/.test(text)) return false; // an address (the sync server's example)
      if (/^[a-z]+(\.[a-zA-Z0-9]+)+$/.test(text)) return true; // a translation key shown as is
      if (!/[A-Za-z]/.test(text) || /[А-Яа-яЁё]/.test(text) || KEPT.test(text)) return false;
      if (/^[\w.+-]+@[\w.-]+$/.test(text) || /^\+?[\d\s()-]+$/.test(text) || /^[\w-]+(\.[\w-]+)+$/.test(text)) return false; // contacts, host names
      // An English word of three letters or more, outside the kept names: text that escaped translation.
      return /[A-Za-z]{3,}/.test(text.replace(BRANDS, ''));
    })
    .map(({ text, where }) => `${where}: ${text}`);
}

describe('the desk in Russian', () => {
  it('shows no untranslated key or English sentence on the main screens, and errors in Russian', async () => {
    const { page, shell, host } = await sessions.open();
    await shell.setLanguage('ru');
    const found: string[] = [];
    const scan = async (screen: string) => {
      await page.waitForTimeout(300);
      found.push(...untranslated(await chromeTexts(page)).map((line) => `${screen} — ${line}`));
    };

    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await scan('calendar day');
    await calendar.switchView('week');
    await scan('calendar week');
    await calendar.blocks.first().click();
    const card = new VisitCardPage(page);
    await card.waitOpen();
    await card.messages.first().waitFor();
    await scan('visit card');
    await page.getByTestId('visit-move').click();
    await scan('visit card, move form');
    // The date's calendar: its month and level controls are icon buttons, named only for a screen reader.
    await page.getByTestId('move-date').click();
    await page.locator('.mantine-Popover-dropdown').waitFor();
    await scan('visit card, move form, calendar open');
    const unnamed = await page.locator('.mantine-Popover-dropdown button').evaluateAll((buttons) => buttons.filter((b) => !(b.getAttribute('aria-label') ?? b.textContent ?? '').trim()).length);
    expect(unnamed, 'buttons of the calendar without a name for a screen reader').toBe(0);
    await page.keyboard.press('Escape');
    await card.close();
    await page.getByTestId('new-booking').click();
    await calendar.form.waitFor();
    await scan('booking form');
    await page.keyboard.press('Escape');

    for (const [screen, nav, ready] of [
      ['clients', 'nav-clients', 'client-search'],
      ['notification center', 'nav-notifications', 'team-event-row'],
      ['delivery log', 'nav-log', 'log-row'],
      ['settings', 'nav-settings', 'settings-screen'],
    ] as const) {
      await page.getByTestId(nav).click();
      await page.getByTestId(ready).first().waitFor();
      await scan(screen);
    }
    // Each client notification's editor: its timing differs by type (reminder times, a delay, days before at a time).
    for (const type of ['reminder', 'winBack', 'reviewRequest', 'birthdayGreeting', 'expiringDiscount', 'repeatVisit']) {
      await page.getByTestId(`type-${type}`).click();
      await scan(`settings, ${type}`);
    }
    // Staff and services, each with a card open, and the client import dialog.
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('staff-row').first().click();
    await page.getByTestId('staff-form').waitFor();
    await scan('staff');
    await page.getByTestId('nav-services').click();
    await page.getByTestId('service-row').first().click();
    await page.getByTestId('service-form').waitFor();
    await scan('services');
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('clients-import').click();
    await page.getByTestId('import-pick').waitFor();
    await scan('client import');
    await page.keyboard.press('Escape');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-screen').waitFor();
    for (const tab of ['team', 'salon', 'location', 'sync', 'integrations', 'email', 'channels']) {
      await page.getByTestId(`settings-tab-${tab}`).click();
      await scan(`settings ${tab}`);
    }
    // Every provider card open, with its advanced fields, and the errors a wrong value gets (SMS, push, email).
    const providers = page.getByTestId('providers-panel');
    // Each click takes its section out of the "closed" set, so the first closed one is the next.
    for (const closed of ['[data-testid$="-toggle"][aria-expanded="false"]', '[data-testid$="-advanced"][aria-expanded="false"]']) {
      while ((await providers.locator(closed).count()) > 0) await providers.locator(closed).first().click();
    }
    await scan('settings channels, every provider open');
    await page.getByTestId('provider-sms-twilio-accountSid').fill('AC1');
    await page.getByTestId('provider-sms-twilio-save').click();
    await page.locator('[data-testid="provider-sms-twilio-card"] .mantine-InputWrapper-error').first().waitFor();
    await scan('settings channels, errors');
    await page.getByTestId('settings-tab-email').click();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('provider-email-smtp-host').fill('smtp example');
    await page.getByTestId('provider-email-smtp-fromAddress').fill('nope');
    await page.getByTestId('provider-email-smtp-save').click();
    await page.locator('[data-testid="provider-email-smtp-card"] .mantine-InputWrapper-error').first().waitFor();
    await scan('settings email, errors');

    // A client card, and an error the desk must read in its language.
    await page.getByTestId('nav-clients').click();
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('client-row').first().click();
    await page.getByTestId('client-card').waitFor();
    await scan('client card');
    await page.getByTestId('client-phone').fill('12');
    await page.getByTestId('client-save').click();
    const phoneError = page.locator('[data-testid="client-card"] .mantine-InputWrapper-error').first();
    await phoneError.waitFor();
    expect(await phoneError.textContent()).toMatch(/[А-Яа-яЁё]/);
    await scan('client card with an error');
    expect(found).toEqual([]);
    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.getByTestId('client-card').scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`russian-error-${scheme}`) });
    }
  });

  it('asks in Russian before a dragged visit moves or changes its length, and before unsaved edits are dropped', async () => {
    const { host, page, shell } = await sessions.open();
    await shell.setLanguage('ru');
    const calendar = new CalendarPage(page);
    let date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    while (new Date(`${date}T12:00:00Z`).getUTCDay() !== 2) date = new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await calendar.open(host.openUrl, 'day', date);
    const sophie = await calendar.staffColumn('Sophie Wagner');
    const id = (await sophie.locator('[data-testid="appointment-block"][data-draggable]').first().getAttribute('data-appointment-id')) ?? '';
    await calendar.dragBlock(id, { minutes: 60 });
    await page.getByTestId('drop-confirm-body').waitFor();
    expect(await page.getByTestId('drop-confirm').textContent()).toContain('Перенести визит?');
    expect(untranslated(await chromeTexts(page))).toEqual([]);
    await page.getByTestId('drop-cancel').click();
    await page.getByTestId('drop-confirm-body').waitFor({ state: 'detached' });
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

    // The bottom edge dragged: a length change, asked in Russian too.
    await calendar.resizeBlock(id, { minutes: 30 });
    await page.getByTestId('resize-confirm-body').waitFor();
    expect(await page.getByTestId('resize-confirm').textContent()).toContain('Изменить длительность визита?');
    expect(untranslated(await chromeTexts(page))).toEqual([]);
    await page.getByTestId('resize-cancel').click();
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });

    await page.getByTestId('new-booking').click();
    await page.getByTestId('booking-time').fill('11:45');
    expect(await page.getByTestId('booking-date').getAttribute('placeholder')).toBe('ДД.ММ.ГГГГ');
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-keep').waitFor();
    expect(await page.getByTestId('unsaved-prompt').textContent()).toContain('Отменить несохранённые изменения?');
    expect(untranslated(await chromeTexts(page))).toEqual([]);
    await page.getByTestId('unsaved-discard').click();
    await page.getByTestId('booking-time').waitFor({ state: 'detached' });
  });
});
