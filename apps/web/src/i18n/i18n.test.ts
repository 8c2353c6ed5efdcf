import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { initialLanguage, languageFromBrowser } from './i18n.ts';
import { ru } from './ru.ts';

describe('languageFromBrowser', () => {
  it('takes the first preferred language the cabinet speaks', () => {
    expect(languageFromBrowser(['ru-RU', 'en-US'])).toBe('ru');
    expect(languageFromBrowser(['de-DE', 'EN-gb', 'ru'])).toBe('en');
    expect(languageFromBrowser(['uk', 'ru'])).toBe('ru');
  });

  it('falls back to English for languages it does not speak', () => {
    expect(languageFromBrowser(['fr-FR', 'zh'])).toBe('en');
    expect(languageFromBrowser([])).toBe('en');
  });
});

describe('initialLanguage', () => {
  const storage = (value: string | null) => ({ getItem: () => value });

  it('prefers the choice remembered from the UI', () => {
    expect(initialLanguage(storage('en'), ['ru-RU'])).toBe('en');
  });

  it('ignores a remembered value that is not a language', () => {
    expect(initialLanguage(storage('klingon'), ['ru-RU'])).toBe('ru');
    expect(initialLanguage(storage(null), ['en-US'])).toBe('en');
  });
});

describe('messages', () => {
  function leaves(messages: object, prefix = ''): [string, unknown][] {
    return Object.entries(messages as Record<string, unknown>).flatMap(
      ([key, value]): [string, unknown][] =>
        typeof value === 'object' && value !== null
          ? leaves(value, `${prefix}${key}.`)
          : [[`${prefix}${key}`, value]],
    );
  }

  it('has a non-empty text for every key in both languages', () => {
    for (const messages of [ru, en]) {
      for (const [key, text] of leaves(messages)) {
        expect(typeof text === 'string' && text.trim() !== '', key).toBe(true);
      }
    }
    expect(leaves(en).map(([key]) => key)).toEqual(leaves(ru).map(([key]) => key));
  });
});
