/** Settings → Salon → Backups of the book: "Back up now" makes one, the card says when, how big and where, in the desk's language. */
import { describe, expect, it } from 'vitest';
import { useDemoSessions } from './support/demo-session.ts';

const sessions = useDemoSessions();

describe('backups of the book', () => {
  it('makes a backup on request and shows it, with the folder and the way back', async () => {
    const { page, host } = await sessions.open();
    await page.evaluate(() => (window.location.hash = '#/settings/salon'));
    const card = page.getByTestId('backup-card');
    await card.waitFor();
    await expect.poll(() => page.getByTestId('backup-last').textContent()).toBe('No backup yet.');
    expect(await page.getByTestId('backup-folder').textContent()).toBe(`${host.dataDir}/backups`);
    expect(await card.textContent()).toContain('--restore-backup');
    await page.getByTestId('backup-now').click();
    await expect.poll(() => page.getByTestId('backup-last').textContent(), { timeout: 20_000 }).toMatch(/^Last backup .+ \(\d+(\.\d)? (kB|MB)\); 1 backup kept\.$/);
    await expect.poll(() => page.getByText('The backup is made.').count()).toBe(1);
    expect(await card.getByTestId('backup-error').count()).toBe(0);
  });
});
