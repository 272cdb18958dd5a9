/**
 * UX.md "Keyboard: focus visible": focus goes where the work is — into a form as it opens and back to the button that
 * opened it, onto the button Enter should press in a confirmation — and a focused field is marked as clearly as a
 * focused button, in light and dark. Keyboard only, on the demo salon in Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { minutesToHhmm } from '../../shared/domain/zoned-time.ts';
import { demoWorkday, demoWorkdayHash } from './support/demo-days.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { focused, newBookingByKeyboard, tabTo } from './support/keyboard.ts';
import { CalendarPage } from './support/pages/calendar.page.ts';
import { ClientsPage } from './support/pages/clients.page.ts';
import { VisitCardPage } from './support/pages/visit-card.page.ts';

const sessions = useDemoSessions();

/** The visit of a day's block that is at least `minutes` long, as the grid draws it. */
async function blockOfAtLeast(page: Page, minutes: number): Promise<{ id: string; startMin: number; endMin: number }> {
  const blocks = await page.locator('[data-testid="appointment-block"][data-draggable]').evaluateAll((elements) =>
    elements.map((e) => ({ id: e.getAttribute('data-appointment-id') ?? '', startMin: Number(e.getAttribute('data-start-min')), endMin: Number(e.getAttribute('data-end-min')) })),
  );
  const block = blocks.find((b) => b.endMin - b.startMin >= minutes);
  if (!block) throw new Error(`no visit of ${minutes} minutes or more on the day`);
  return block;
}

describe('focus where the work is (demo salon, web mode)', () => {
  it('puts focus in the Move and Change-length forms as they open, and Escape gives it back to the button that opened them', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    const card = await VisitCardPage.openByKeyboard(page);

    await tabTo(page, 'visit-move', { max: 6 });
    await page.keyboard.press('Enter');
    // On the new date at once; ArrowDown opens its calendar to pick from.
    await expect.poll(async () => (await focused(page)).testId).toBe('move-date');
    await page.keyboard.press('ArrowDown');
    const picker = page.locator('.mantine-Popover-dropdown:visible');
    await picker.waitFor();
    // The first Escape closes the calendar, the next one the form: not the card.
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
    expect((await focused(page)).testId).toBe('move-date');
    await page.keyboard.press('Escape');
    await page.getByTestId('move-date').waitFor({ state: 'detached' });
    expect(await card.root.count()).toBe(1);
    expect((await focused(page)).testId).toBe('visit-move');
    expect(await page.getByTestId('visit-move').getAttribute('aria-expanded')).toBe('false');

    await tabTo(page, 'visit-length', { max: 1 });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('length-end');
    await page.keyboard.press('Escape');
    await page.getByTestId('length-end').waitFor({ state: 'detached' });
    expect(await card.root.count()).toBe(1);
    expect((await focused(page)).testId).toBe('visit-length');

    // A changed end asks before it is dropped; kept, the form and its focus stay.
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('length-end');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('23:45');
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-keep').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('unsaved-keep').waitFor({ state: 'detached' });
    expect(await page.getByTestId('length-end').inputValue()).toBe('23:45');
    await expect.poll(async () => (await focused(page)).testId).toBe('length-end');

    // The Escape after the forms closes the card.
    await tabTo(page, 'visit-length', { backwards: true, max: 3 });
    await page.keyboard.press('Enter');
    await page.getByTestId('length-end').waitFor({ state: 'detached' });
    expect((await focused(page)).testId).toBe('visit-length');
    await page.keyboard.press('Escape');
    await card.root.waitFor({ state: 'detached' });
  });

  it('opens a form from the mouse with focus in it too', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await calendar.blocks.first().click();
    await new VisitCardPage(page).waitOpen();
    await page.getByTestId('visit-length').click();
    await expect.poll(async () => (await focused(page)).testId).toBe('length-end');
  });

  it('saves a form with Enter in its time field, not in its date field, and focus goes back to the button that opened it', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    const visit = await blockOfAtLeast(page, 30);
    await calendar.block(visit.id).focus();
    await page.keyboard.press('Enter');
    const card = new VisitCardPage(page);
    await card.waitOpen();
    const lengthChanges = await card.historyCount('durationChanged');
    const moves = await card.historyCount('moved');

    // Enter in the date field sends nothing: a half-typed date would go out as the last whole one typed.
    await tabTo(page, 'visit-move', { max: 6 });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('move-date');
    const shown = await page.getByTestId('move-date').inputValue();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(shown.replace(/\d{4}$/, (year) => String(Number(year) + 1)));
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('move-save').count()).toBe(1);
    // Backing out: the calendar, then the form, which asks; discarded, focus is back on Move.
    const picker = page.locator('.mantine-Popover-dropdown:visible');
    if ((await picker.count()) > 0) {
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'hidden' });
    }
    await page.keyboard.press('Escape');
    await page.getByTestId('unsaved-keep').waitFor();
    await tabTo(page, 'unsaved-discard', { max: 2 });
    await page.keyboard.press('Enter');
    await page.getByTestId('move-date').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).testId).toBe('visit-move');

    await tabTo(page, 'visit-length', { max: 4 });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('length-end');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(minutesToHhmm(visit.endMin - 15));
    await page.keyboard.press('Enter');
    await page.getByTestId('length-end').waitFor({ state: 'detached' });
    await expect.poll(() => card.historyCount('durationChanged')).toBe(lengthChanges + 1);
    await expect.poll(async () => (await focused(page)).testId).toBe('visit-length');
    // Sent after whatever the Enter in the date would have sent, and answered: that was nothing.
    expect(await card.historyCount('moved')).toBe(moves);
  });

  it('asks "Cancel the visit?" with focus on the reason, where a stray Enter cancels nothing', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    const card = await VisitCardPage.openByKeyboard(page);
    const status = await card.root.getAttribute('data-status');
    await tabTo(page, 'status-cancelled', { max: 8 });
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(page)).testId).toBe('cancel-reason');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Ill');
    expect(await page.getByTestId('cancel-reason').inputValue()).toBe('Ill');
    expect(await card.root.getAttribute('data-status')).toBe(status);
    await page.keyboard.press('Escape');
    await page.getByTestId('status-confirm-ok').waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused(page)).testId).toBe('status-cancelled');
    expect(await card.root.getAttribute('data-status')).toBe(status);
  });

  it('in Russian: saves a client\'s card with Ctrl+Enter from the notes at its bottom', async () => {
    const { page } = await sessions.open({ hash: demoWorkdayHash() });
    const clients = new ClientsPage(page);
    await new CalendarPage(page).blocks.first().waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('nav-clients').innerText()).toContain('Клиенты');
    await tabTo(page, 'nav-clients');
    await page.keyboard.press('Enter');
    await clients.rows.first().waitFor();
    await page.keyboard.type('Emily Brown');
    await expect.poll(() => clients.rows.count()).toBe(1);
    await tabTo(page, 'client-row', { max: 1 });
    await page.keyboard.press('Enter');
    await clients.cardName.filter({ hasText: 'Emily Brown' }).waitFor();
    expect(await page.getByTestId('client-save').getAttribute('title')).toBe('Ctrl+Enter — сохранить');
    // The points form's credit/debit choice is named as a group, not only by the option Tab lands on.
    expect(await page.getByRole('radiogroup', { name: 'Начислить или списать баллы' }).count()).toBe(1);
    await tabTo(page, 'client-notes');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' Любит утро');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('client-message').filter({ hasText: 'Сохранено' }).waitFor();
    expect((await focused(page)).testId).toBe('client-notes');
    expect(await page.getByTestId('client-notes').inputValue()).toContain('Любит утро');
  });

  it('Alt+arrow confirmations start on the change when nothing is wrong with it, else on Cancel', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    const visit = await blockOfAtLeast(page, 30);

    // 15 minutes shorter: nothing to warn about, so Enter saves it.
    await calendar.block(visit.id).focus();
    await page.keyboard.press('Alt+Shift+ArrowUp');
    await page.locator('[data-testid="resize-confirm-body"][data-checked]').waitFor();
    await expect.poll(async () => (await focused(page)).testId).toBe('resize-ok');
    await page.keyboard.press('Enter');
    await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => calendar.block(visit.id).getAttribute('data-end-min')).toBe(String(visit.endMin - 15));

    // 15 minutes later, again and again: each clean move goes with Enter, until one the form warns about (the next
    // visit, a break, closing time), which Enter leaves undone.
    let startMin = visit.startMin;
    for (let step = 0; ; step++) {
      expect(step).toBeLessThan(40);
      await calendar.block(visit.id).focus();
      await page.keyboard.press('Alt+ArrowDown');
      // Once the day's other visits are read, the dialog knows what it warns about.
      await page.locator('[data-testid="drop-confirm-body"][data-checked]').waitFor();
      const warned = (await page.getByTestId('drop-warnings').count()) > 0;
      await expect.poll(async () => (await focused(page)).testId).toBe(warned ? 'drop-cancel' : 'drop-ok');
      await page.keyboard.press('Enter');
      await page.locator('[role="dialog"]').waitFor({ state: 'detached' });
      if (warned) break;
      startMin += 15;
      await expect.poll(() => calendar.block(visit.id).getAttribute('data-start-min')).toBe(String(startMin));
    }
    expect(await calendar.block(visit.id).getAttribute('data-start-min')).toBe(String(startMin));
  });

  it('marks a focused text field, select and date field with a ring as clear as a button\'s, in light and dark', async () => {
    const { host, page } = await sessions.open();
    const calendar = new CalendarPage(page);
    await calendar.open(host.openUrl, 'day', demoWorkday());
    await newBookingByKeyboard(page);
    for (const field of ['client-select', 'staff-select', 'services-select', 'booking-date', 'booking-time']) {
      if ((await focused(page)).testId !== field) await tabTo(page, field, { max: 8 });
      for (const scheme of ['light', 'dark'] as const) {
        // Switched on the document, as the header's toggle does: the toggle is behind the form.
        await page.evaluate((s) => document.documentElement.setAttribute('data-mantine-color-scheme', s), scheme);
        const ring = await focusRing(page);
        expect(ring.width, `${field} in ${scheme}`).toBeGreaterThanOrEqual(2);
        // WCAG 1.4.11: an indicator stands out at 3:1 from what is around it, the field's own fill and the form's.
        expect(ring.contrastWithField, `${field} in ${scheme}: ${ring.color} on ${ring.fieldBackground}`).toBeGreaterThanOrEqual(3);
        expect(ring.contrastWithSurface, `${field} in ${scheme}: ${ring.color} on ${ring.surface}`).toBeGreaterThanOrEqual(3);
      }
    }
  });
});

interface Ring {
  width: number;
  color: string;
  fieldBackground: string;
  surface: string;
  contrastWithField: number;
  contrastWithSurface: number;
}

/**
 * The focus indicator drawn around the focused field (its box: the input itself, or the box of a field made of pills),
 * and its contrast with the field's fill and with the first opaque background behind the field.
 */
function focusRing(page: Page): Promise<Ring> {
  return page.evaluate(() => {
    const input = document.activeElement as HTMLElement;
    const box = (input.closest('.mantine-Input-input') as HTMLElement | null) ?? input;
    const style = getComputedStyle(box);
    const rgb = (css: string): [number, number, number, number] => {
      // Resolves any CSS colour (color-mix, named) to sRGB bytes through a canvas.
      const context = document.createElement('canvas').getContext('2d')!;
      context.fillStyle = css;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!, a!];
    };
    const luminance = ([r, g, b]: number[]) => {
      const linear = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
    };
    const contrast = (a: string, b: string) => {
      const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    let behind = box.parentElement;
    while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] < 255) behind = behind.parentElement;
    const surface = behind ? getComputedStyle(behind).backgroundColor : getComputedStyle(document.body).backgroundColor;
    const visible = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
    return {
      width: visible,
      color: style.outlineColor,
      fieldBackground: style.backgroundColor,
      surface,
      contrastWithField: contrast(style.outlineColor, style.backgroundColor),
      contrastWithSurface: contrast(style.outlineColor, surface),
    };
  });
}

