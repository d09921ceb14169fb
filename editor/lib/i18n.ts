/** The interface language: Dutch by default, English as a choice, remembered in localStorage. */
import { createSignal } from 'solid-js';
import { en } from '../i18n/en.js';
import { nl, type MessageKey } from '../i18n/nl.js';

export type Locale = 'nl' | 'en';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { nl, en };

function initial(): Locale {
  try {
    return localStorage.getItem('locale') === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

const [locale, setLocaleSignal] = createSignal<Locale>(initial());
export { locale };

export function setLocale(l: Locale) {
  setLocaleSignal(l);
  try {
    localStorage.setItem('locale', l);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = l;
}

/** `t('overview.validFrom', { date })` in the current language. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[locale()][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function formatCents(cents: number): string {
  return new Intl.NumberFormat(locale() === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(
    cents / 100,
  );
}
