import { describe, expect, it } from 'vitest';
import { connectionFailureText } from '../../../renderer/src/app/coded-text.ts';
import { i18nFor } from '../../../renderer/src/app/i18n.ts';
import { ConnectionClosedError } from '../../../renderer/src/api/websocket-transport.ts';
import { START_FAILURE_REASONS, START_FAILURE_TEXTS, startFailureDialog, startFailureLanguage, startFailureText, type StartFailure } from '../../../shared/i18n/start-failure.ts';

const newer: StartFailure = {
  message: 'This data folder was last used by a newer FrontDesk: its staff are stored in format 3, …',
  reason: 'hostStart.newerDatabase',
  params: { collection: 'staff', storedVersion: 3, knownVersion: 2 },
};

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('start failure texts', () => {
  it('exist in every language for every reason, with the same placeholders', () => {
    for (const reason of START_FAILURE_REASONS) {
      expect(START_FAILURE_TEXTS.ru[reason]).toMatch(/[а-я]/);
      expect(placeholders(START_FAILURE_TEXTS.ru[reason]), reason).toEqual(placeholders(START_FAILURE_TEXTS.en[reason]));
    }
  });

  it('fill in the parameters, and keep a placeholder that has none rather than lose the sentence', () => {
    expect(startFailureText('ru', newer)).toBe(
      'Эта папка данных в последний раз открывалась более новой версией FrontDesk: данные «staff» записаны в формате 3, а эта версия читает форматы до 2. Ничего не изменено. Установите новую версию FrontDesk, чтобы открыть эту папку.',
    );
    expect(startFailureText('en', { reason: 'hostStart.databaseDamaged', params: { filePath: '/d/frontdesk.sqlite' } })).toContain('/d/frontdesk.sqlite is damaged ({detail})');
    // A reason from a newer host that this build does not know reads as an unexpected failure, not as nothing.
    expect(startFailureText('en', { reason: 'hostStart.future' as StartFailure['reason'], params: { detail: 'x' } })).toBe(START_FAILURE_TEXTS.en['hostStart.unexpected'].replace('{detail}', 'x'));
  });

  it('pick Russian for a Russian system locale, English otherwise', () => {
    expect(startFailureLanguage('ru-RU')).toBe('ru');
    expect(startFailureLanguage('ru_RU.UTF-8')).toBe('ru');
    expect(startFailureLanguage('de-DE')).toBe('en');
    expect(startFailureLanguage('')).toBe('en');
  });

  it('make the desktop dialog from a failure, an error carrying one, or any other error as it is', () => {
    expect(startFailureDialog(newer, 'ru-RU')).toEqual({ title: 'Не удалось запустить FrontDesk', text: startFailureText('ru', newer) });
    expect(startFailureDialog(Object.assign(new Error(newer.message), { failure: newer }), 'en-GB').text).toBe(startFailureText('en', newer));
    expect(startFailureDialog(new Error('The window could not be created.'), 'ru-RU')).toEqual({ title: 'Не удалось запустить FrontDesk', text: 'The window could not be created.' });
    expect(startFailureDialog('plain text', 'en').text).toBe('plain text');
    expect(startFailureDialog(null, 'en').text).toBe('null');
  });

  it('say in the system’s language that the background service kept crashing, with what it said', () => {
    const crashed = { reason: 'hostStart.crashedRepeatedly' as const, params: { detail: 'exit code 134' }, message: 'stopped' };
    const { text } = startFailureDialog(crashed, 'ru-RU');
    expect(text).toContain('Фоновая служба FrontDesk');
    expect(text).toContain('(exit code 134)');
    expect(startFailureDialog(crashed, 'en-US').text).toContain('background service stopped unexpectedly');
  });

  it('are what an open page shows when its host refuses to start, in the desk’s language', () => {
    const closed = new ConnectionClosedError(newer.message, newer.reason, { ...newer.params });
    expect(connectionFailureText(i18nFor('ru'), closed)).toBe(startFailureText('ru', newer));
    expect(connectionFailureText(i18nFor('en'), closed)).toBe(startFailureText('en', newer));
  });
});
