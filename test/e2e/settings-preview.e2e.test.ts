/**
 * The template preview while the host prepares it, and for an empty template: a small "preparing" spinner, not the
 * "No template yet" line (the preview of a template that exists is on its way); that line only for an empty body, and
 * readable in the dark theme (4.5:1: the dimmed grey on the preview's panel was 4.44).
 */
import { describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { holdableAnswers, type HeldAnswers } from './support/held-api-answers.ts';
import { SettingsPage } from './support/pages/settings.page.ts';

const sessions = useDemoSessions();

describe('template preview (demo salon, web mode)', () => {
  it('shows a spinner until the preview comes and "No template yet" only for an empty body, readable in the dark', async () => {
    let answers: HeldAnswers | undefined;
    const { page, shell } = await sessions.open({ beforeOpen: async (p) => (answers = await holdableAnswers(p)) });
    await shell.setColorScheme('dark');
    answers!.hold('templates.preview');
    const settings = new SettingsPage(page);
    await settings.open('client', 'reminder');
    const loading = page.getByTestId('preview-loading');
    const empty = page.getByTestId('preview-empty');
    await expect.poll(() => answers!.held()).toBeGreaterThan(0);
    expect(await loading.isVisible()).toBe(true);
    expect(await empty.count()).toBe(0);
    expect(await loading.getAttribute('aria-label')).toBe('Preparing the preview…');
    expect(await axeViolations(page, '[data-testid="template-preview"]')).toEqual([]);

    answers!.release();
    await settings.preview.waitFor();
    expect(await loading.count()).toBe(0);

    await settings.templateBody.fill('');
    await empty.waitFor();
    expect(await empty.innerText()).toBe('No template yet for this channel and language.');
    expect(await settings.preview.count()).toBe(0);
    expect(await axeViolations(page, '[data-testid="template-preview"]')).toEqual([]);
  });
});
