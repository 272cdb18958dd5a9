/**
 * A new service opens on its own page once it is there: the host answers the save on the API socket and the new
 * service reaches the page on the storage socket, sometimes later. Held here (the storage's service reads and changes),
 * the form stays busy until the service arrives; it used to go to the new service's route at the answer, where the
 * screen said "Choose a service, or add a new one." until the service came.
 */
import { describe, expect, it } from 'vitest';
import { countApiAnswers } from './support/api-answers.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { watchEverShown } from './support/ever-shown.ts';
import { holdableReads, type HeldReads } from './support/held-reads.ts';
import { StaffPage } from './support/pages/staff.page.ts';

const sessions = useDemoSessions();

describe('a new service while it is on its way (demo salon, web mode)', () => {
  it('stays on the saved form until the service is there, then opens it, never the empty choice', async () => {
    let reads: HeldReads | undefined;
    let answers: (channel: string) => number = () => 0;
    const { host, page } = await sessions.open({
      beforeOpen: async (p) => {
        answers = countApiAnswers(p);
        reads = await holdableReads(p, 'services', { changes: true });
      },
    });
    const staff = new StaffPage(page);
    await staff.open(host.openUrl, 'services');
    await page.getByTestId('service-new').click();
    await page.getByTestId('service-form').waitFor();
    const choiceShown = await watchEverShown(page, '[data-testid="services-screen"]', /Choose a service, or add a new one\./);

    reads!.hold();
    await page.getByTestId('service-name').fill('Beard trim');
    await page.getByTestId('service-duration').fill('20');
    await page.getByTestId('service-price').fill('15');
    await page.getByTestId('service-save').click();
    // Saving a service re-plans the salon's visits: it can take a while on a busy machine.
    await expect.poll(() => answers('services.save'), { timeout: 60_000 }).toBe(1);
    await page.waitForTimeout(300);
    expect(await page.getByTestId('service-save').getAttribute('data-loading')).not.toBeNull();

    reads!.release();
    await page.waitForURL(/#\/services\/[^/]+\/created$/);
    await staff.serviceMessage.waitFor();
    expect(await page.getByTestId('service-form-title').textContent()).toBe('Beard trim');
    expect(await choiceShown()).toBe(false);
  });
});
