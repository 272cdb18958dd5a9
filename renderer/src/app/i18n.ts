/**
 * The UI language. The texts live in one file per language, `renderer/src/i18n/<language>.json` (flat keys,
 * `{name}` placeholders); this module loads them, picks plural forms by CLDR rules (`Intl.PluralRules`), and offers
 * a context with `t(key, vars)`, the choice persisted per desk.
 *
 * Plurals: a key with forms `<key>.one`, `<key>.few`, `<key>.many`, `<key>.other` (each language defines the forms
 * its rules use; every language defines `.other`) is called as `t('<key>', { count })`.
 * Russian must define every English key (the type below says so), so a screen cannot show a missing translation;
 * test/renderer/i18n.test.ts checks the plural forms and placeholders of every language.
 */
import { createContext, createElement, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import en from '../i18n/en.json';
import ru from '../i18n/ru.json';
import { START_FAILURE_TEXTS } from '../../../shared/i18n/start-failure.ts';

export type MessageKey = keyof typeof en;
type PluralBase<K> = K extends `${infer Base}.other` ? Base : never;
/** Keys with plural forms, called with `{ count }`. */
export type PluralKey = PluralBase<MessageKey>;
export type TextKey = MessageKey | PluralKey;

export const LANGUAGES_UI = ['en', 'ru'] as const;
export type UiLanguage = (typeof LANGUAGES_UI)[number];

const ruTable: Record<MessageKey, string> = ru;
/** A host's start failures (`error.hostStart.*`) come from shared/i18n: the desktop app's dialog says them too. */
const startFailures = (language: UiLanguage) => Object.fromEntries(Object.entries(START_FAILURE_TEXTS[language]).map(([reason, text]) => [`error.${reason}`, text]));
export const MESSAGES: Readonly<Record<UiLanguage, Readonly<Record<string, string>>>> = { en: { ...en, ...startFailures('en') }, ru: { ...ruTable, ...startFailures('ru') } };
const STORAGE_KEY = 'frontdesk.language';

export type Vars = Record<string, string | number>;
export type Translate = (key: TextKey, vars?: Vars) => string;

const pluralRules = new Map<UiLanguage, Intl.PluralRules>();
function pluralCategory(language: UiLanguage, count: number): string {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

export function fillVars(text: string, vars?: Vars): string {
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}

/** The text of a key (or of a plural key's form for `vars.count`) in a language; the key itself if none exists. */
export function translate(language: UiLanguage, key: string, vars?: Vars): string {
  const table = MESSAGES[language];
  let text = table[key];
  if (text === undefined && typeof vars?.count === 'number') text = table[`${key}.${pluralCategory(language, vars.count)}`] ?? table[`${key}.other`];
  return fillVars(text ?? key, vars);
}

/** True when the language has a text for the key (or plural forms of it): for codes that come from the host. */
export function hasText(language: UiLanguage, key: string): boolean {
  const table = MESSAGES[language];
  return table[key] !== undefined || table[`${key}.other`] !== undefined;
}

export interface I18n {
  language: UiLanguage;
  /** BCP 47 locale for Intl formatting of UI dates. */
  locale: string;
  setLanguage(language: UiLanguage): void;
  t: Translate;
  /** For keys built at run time (a code from the host): the text, or undefined when the tables have none. */
  tryT(key: string, vars?: Vars): string | undefined;
}

export function localeOf(language: UiLanguage): string {
  return language === 'ru' ? 'ru-RU' : 'en-GB';
}

/** An I18n outside React (tests, helpers): the same texts and rules as the context's. */
export function i18nFor(language: UiLanguage, setLanguage: (language: UiLanguage) => void = () => {}): I18n {
  return {
    language,
    locale: localeOf(language),
    setLanguage,
    t: (key, vars) => translate(language, key, vars),
    tryT: (key, vars) => (hasText(language, key) ? translate(language, key, vars) : undefined),
  };
}

function initialLanguage(): UiLanguage {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<UiLanguage>(initialLanguage);
  const setLanguage = useCallback((next: UiLanguage) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => i18nFor(language, setLanguage), [language, setLanguage]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}
