/** The sync status's coded texts with their parameters: a count, an instant in the desk's words, a refused document. */
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../renderer/src/app/format.ts';
import { i18nFor } from '../../renderer/src/app/i18n.ts';
import { setAsideText, syncProblemText } from '../../renderer/src/app/sync-status.tsx';

const en = i18nFor('en');
const ru = i18nFor('ru');

describe('sync problem texts', () => {
  it('fill in their parameters: how many documents, and when a busy server is asked again', () => {
    expect(syncProblemText(ru, { code: 'sync.documentsRefused', message: 'x', params: { count: 2 } })).toContain('(2)');
    const retryAt = '2031-03-14T09:30:00.000Z';
    const busy = syncProblemText(en, { code: 'sync.busy', message: 'x', params: { status: 503, retryAt } });
    expect(busy).toContain('HTTP 503');
    expect(busy).toContain(formatDateTime(Date.parse(retryAt), en.locale));
    expect(busy).not.toMatch(/[{}]/);
    expect(syncProblemText(en, { code: 'sync.busy', message: 'x', params: { status: 429 } })).toMatch(/next try soon/);
    expect(syncProblemText(en, { code: 'sync.unknownToThisDesk', message: 'the host says' })).toBe('the host says');
  });

  it('name a refused document by its kind and the desk\'s words for it, with the translated reason', () => {
    const entry = { collection: 'appointments', id: 'a-long', description: 'Anna Client c0, 2031-03-14 10:30', code: 'sync.setAside.forbidden', reason: 'english', params: { detail: 'too many history entries' }, since: '2031-03-14T09:00:00.000Z', retryAt: '2031-03-14T09:31:00.000Z' };
    const text = setAsideText(ru, entry);
    expect(text).toContain('Запись: Anna Client c0, 2031-03-14 10:30 — правила сервера не принимают его: too many history entries');
    expect(setAsideText(en, { ...entry, collection: 'somethingNew', code: 'sync.setAside.unknown' })).toContain('somethingNew: Anna Client c0, 2031-03-14 10:30 — english');
  });
});
