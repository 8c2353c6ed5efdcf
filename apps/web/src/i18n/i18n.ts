import { languageSchema } from '@provod/contracts';
import { createI18n } from 'vue-i18n';
import { z } from 'zod';
import { en as zodEnglish, ru as zodRussian } from 'zod/locales';
import { en } from './en.ts';
import { ru, type MessageSchema } from './ru.ts';

export type Language = z.infer<typeof languageSchema>;
export const languages = languageSchema.options;

const storageKey = 'provod.language';

/**
 * The first of the browser's preferred languages that the cabinet speaks
 * (https://developer.mozilla.org/docs/Web/API/Navigator/languages); English otherwise.
 */
export function languageFromBrowser(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = languageSchema.safeParse(tag.toLowerCase().split('-')[0]);
    if (primary.success) return primary.data;
  }
  return 'en';
}

/** A choice made in the UI wins over the browser's preference. */
export function initialLanguage(storage: Pick<Storage, 'getItem'>, preferred: readonly string[]) {
  const remembered = languageSchema.safeParse(storage.getItem(storageKey));
  return remembered.success ? remembered.data : languageFromBrowser(preferred);
}

export function createCabinetI18n(language: Language) {
  applyLanguage(language);
  return createI18n<[MessageSchema], Language, false>({
    legacy: false,
    locale: language,
    fallbackLocale: 'ru',
    messages: { ru, en },
  });
}

/** Switch the UI, the page's lang and zod's built-in messages; remember the choice. */
export function switchLanguage(
  locale: { value: string },
  language: Language,
  storage: Pick<Storage, 'setItem'>,
): void {
  locale.value = language;
  storage.setItem(storageKey, language);
  applyLanguage(language);
}

function applyLanguage(language: Language): void {
  document.documentElement.lang = language;
  // https://zod.dev/error-customization#internationalization
  z.config(language === 'ru' ? zodRussian() : zodEnglish());
}
