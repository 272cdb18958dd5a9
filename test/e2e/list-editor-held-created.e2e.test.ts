/**
 * A new service or staff member opens on its own page once it is there (useOpenWhenCreated, app/list-editor.tsx): the
 * host answers the save on the API socket and the new document reaches the page on the storage socket, sometimes
 * later. Held here (the storage's reads and changes of that collection), the form stays busy until the document
 * arrives; it used to go to the new entry's route at the answer, where the screen said "Choose …" until it came.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { countApiAnswers } from './support/api-answers.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { watchEverShown } from './support/ever-shown.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { StaffPage } from './support/pages/staff.page.ts';

const sessions = useDemoSessions();

interface NewEntryCase {
  screen: 'services' | 'staff';
  prefix: 'service' | 'staff';
  choice: RegExp;
  name: string;
  fill(page: Page): Promise<void>;
}

const CASES: NewEntryCase[] = [
  {
    screen: 'services',
    prefix: 'service',
    choice: /Choose a service, or add a new one\./,
    name: 'Beard trim',
    async fill(page) {
      await page.getByTestId('service-name').fill('Beard trim');
      await page.getByTestId('service-duration').fill('20');
      await page.getByTestId('service-price').fill('15');
    },
  },
  {
    screen: 'staff',
    prefix: 'staff',
    choice: /Choose a staff member, or add a new one\./,
    name: 'Nora Lindqvist',
    async fill(page) {
      await page.getByTestId('staff-name').fill('Nora Lindqvist');
    },
  },
];

describe('a new list entry while it is on its way (demo salon, web mode)', () => {
  it.each(CASES)('$screen: stays on the saved form until the entry is there, then opens it, never the empty choice', async ({ screen, prefix, choice, name, fill }) => {
    let reads: HeldReads | undefined;
    let answers: (channel: string) => number = () => 0;
    const { host, page } = await sessions.open({
      beforeOpen: async (p) => {
        answers = countApiAnswers(p);
        reads = await holdableReads(p, screen, { changes: true });
      },
    });
    const lists = new StaffPage(page);
    await lists.open(host.openUrl, screen);
    await page.getByTestId(`${prefix}-new`).click();
    await page.getByTestId(`${prefix}-form`).waitFor();
    const choiceShown = await watchEverShown(page, `[data-testid="${screen}-screen"]`, choice);

    reads!.hold();
    await fill(page);
    await page.getByTestId(`${prefix}-save`).click();
    // Saving a service re-plans the salon's visits: it can take a while on a busy machine.
    await expect.poll(() => answers(`${screen}.save`), { timeout: 60_000 }).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.getByTestId(`${prefix}-save`).getAttribute('data-loading')).not.toBeNull();

    reads!.release();
    await page.waitForURL(new RegExp(`#/${screen}/[^/]+/created$`));
    await page.getByTestId(`${prefix}-message`).waitFor();
    expect(await page.getByTestId(`${prefix}-form-title`).textContent()).toBe(name);
    expect(await choiceShown()).toBe(false);
  });
});
