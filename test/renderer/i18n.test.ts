import { describe, expect, it } from 'vitest';
import { errorText, fieldErrors, reasonText } from '../../renderer/src/app/coded-text.ts';
import { i18nFor, LANGUAGES_UI, MESSAGES, translate, type UiLanguage } from '../../renderer/src/app/i18n.ts';
import { API_ERROR_CODES, ApiError } from '../../shared/ipc/result.ts';
import { REASON_CODES, englishReason } from '../../shared/notifications/reasons.ts';
import { SYNCED_COLLECTIONS } from '../../shared/sync/sync-config.ts';
import { QUARANTINE_CODES, SET_ASIDE_CODES, SYNC_ERROR_CODES } from '../../shared/sync/sync-status.ts';

const PLURAL_FORM = /\.(zero|one|two|few|many|other)$/;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

/** Keys without their plural suffix; a plural key appears once. */
function baseKeys(language: UiLanguage): Set<string> {
  return new Set(Object.keys(MESSAGES[language]).map((key) => key.replace(PLURAL_FORM, '')));
}

describe('translation tables (renderer/src/i18n/*.json)', () => {
  it('define the same keys in every language, with the same placeholders', () => {
    const en = baseKeys('en');
    for (const language of LANGUAGES_UI) {
      expect([...baseKeys(language)].sort()).toEqual([...en].sort());
      for (const [key, text] of Object.entries(MESSAGES[language])) {
        const english = MESSAGES.en[key] ?? MESSAGES.en[key.replace(PLURAL_FORM, '.other')];
        expect(placeholders(text), `${language}: ${key}`).toEqual(placeholders(english!));
        expect(text.trim(), `${language}: ${key} is empty`).not.toBe('');
      }
    }
  });

  it('give every plural key exactly the CLDR forms of its language', () => {
    for (const language of LANGUAGES_UI) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      const plural = new Map<string, Set<string>>();
      for (const key of Object.keys(MESSAGES[language])) {
        const match = PLURAL_FORM.exec(key);
        if (!match) continue;
        const base = key.slice(0, match.index);
        plural.set(base, (plural.get(base) ?? new Set()).add(match[1]!));
      }
      expect(plural.size).toBeGreaterThan(0);
      for (const [base, forms] of plural) expect([...forms].sort(), `${language}: ${base}`).toEqual([...categories].sort());
    }
  });

  it('pick Russian plural forms by CLDR rules', () => {
    const t = (count: number) => translate('ru', 'center.unreadCount', { count });
    expect(t(1)).toBe('1 непрочитанное');
    expect(t(21)).toBe('21 непрочитанное');
    expect(t(3)).toBe('3 непрочитанных');
    expect(t(5)).toBe('5 непрочитанных');
    expect(t(11)).toBe('11 непрочитанных');
    expect(translate('ru', 'cal.visits', { count: 22 })).toBe('22 визита');
    expect(translate('en', 'cal.visits', { count: 1 })).toBe('1 visit');
    expect(translate('en', 'cal.visits', { count: 21 })).toBe('21 visits');
  });

  it('translate every reason code and every API error kind', () => {
    for (const language of LANGUAGES_UI) {
      for (const code of REASON_CODES) expect(MESSAGES[language][`reason.${code}`], `${language}: reason.${code}`).toBeDefined();
      for (const code of API_ERROR_CODES) expect(MESSAGES[language][`apiError.${code}`], `${language}: apiError.${code}`).toBeDefined();
      for (const code of [...SYNC_ERROR_CODES, ...QUARANTINE_CODES, ...SET_ASIDE_CODES]) expect(MESSAGES[language][code], `${language}: ${code}`).toBeDefined();
      // The status names a refused document's collection.
      for (const name of SYNCED_COLLECTIONS) expect(MESSAGES[language][`sync.collection.${name}`], `${language}: sync.collection.${name}`).toBeDefined();
    }
  });
});

describe('coded texts', () => {
  const ru = i18nFor('ru');
  const en = i18nFor('en');
  const instant = (ms: number) => new Date(ms).toISOString().slice(11, 16);

  it('translate a reason by code with its parameters, and keep the English text of old entries', () => {
    const at = Date.UTC(2026, 11, 2, 17, 0);
    expect(reasonText(ru, { reasonCode: 'appointment.moved', reasonParams: { startAt: at }, reason: 'the appointment moved to …' }, instant)).toBe('Визит перенесён на 17:00');
    expect(reasonText(ru, { reasonCode: 'client.optedOut', reasonParams: { type: 'reminder' } })).toBe('Клиент отказался от сообщений «Напоминание»');
    expect(reasonText(en, { reasonCode: 'channel.notConfigured', reasonParams: { channel: 'sms' } })).toBe('SMS is not set up for this salon');
    expect(reasonText(ru, { reason: 'an old English reason' })).toBe('an old English reason');
    expect(reasonText(ru, { reasonCode: 'some.futureCode', reason: 'fallback' })).toBe('fallback');
  });

  it('show API errors by code, never their English message or field paths', () => {
    const invalid = new ApiError('invalid_request', 'Invalid request for location.save: quietHours.end: expected a time HH:MM.', {
      issues: [{ code: 'location.quietHours.same', field: 'quietHours.end', message: 'quietHours: start = end' }],
    });
    const text = errorText(ru, invalid);
    expect(text).not.toMatch(/quietHours|HH:MM|location\.save/);
    expect(text).toMatch(/[а-я]/);
    expect(errorText(en, new ApiError('not_found', "No location 'x'."))).toBe(MESSAGES.en['apiError.not_found']);
    expect(errorText(ru, new Error('socket hang up'))).toBe(MESSAGES.ru['apiError.unexpected']);
    expect(fieldErrors(en, invalid)).toEqual({ 'quietHours.end': expect.any(String) });
  });

  it('write English reasons with the salon region’s clock, not its language', () => {
    const at = Date.UTC(2026, 11, 2, 17, 0);
    const text = englishReason('appointment.moved', { startAt: at }, { timeZone: 'Europe/Berlin', locale: 'de-DE' });
    expect(text).toMatch(/^the appointment moved to Wed.*2 Dec.*2026.*18:00$/);
    expect(text).not.toMatch(/Mi\.|Dez/);
  });
});
